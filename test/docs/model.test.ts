/** docs/model.md's worked examples are code: each runs as written and prints what it says. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const doc = readFileSync('docs/model.md', 'utf8');

/** The TypeScript blocks that end with the lines they print: `// prints:` then `// line`s. */
const examples = [...doc.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1]!)
  .filter((code) => code.includes('// prints:'));

/** The package's entry points, taken from the sources. */
const entry = (path: string) => pathToFileURL(join(process.cwd(), path)).href;

describe('docs/model.md', () => {
  it('has worked examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(examples.map((code, i) => [i + 1, code] as const))(
    'example %i prints what its comment says',
    (_, code) => {
      const promised = code
        .slice(code.indexOf('// prints:') + '// prints:'.length)
        .trim()
        .split('\n')
        .map((line) => line.replace(/^\/\/ ?/, ''));
      const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-model-doc-'));
      const file = join(dir, 'example.ts');
      writeFileSync(
        file,
        code
          .replace("from 'dispatchlab/sim'", `from '${entry('src/sim/index.ts')}'`)
          .replace("from 'dispatchlab'", `from '${entry('src/index.ts')}'`),
      );
      const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
      expect(out.trim().split('\n')).toEqual(promised);
    },
  );
});
