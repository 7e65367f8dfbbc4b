/** The README's examples are code: they must parse and run as written. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resultsText } from '../../src/cli/results-text.js';
import { compare } from '../../src/experiment/compare.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseScenario } from '../../src/scenario/parse.js';

const readme = readFileSync('README.md', 'utf8');

function blocksAfter(heading: string, language: string): string[] {
  const section = readme.slice(readme.indexOf(heading));
  const end = section.indexOf('\n## ', heading.length);
  const body = end < 0 ? section : section.slice(0, end);
  return [...body.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map(
    (m) => m[1]!,
  );
}

describe('README', () => {
  it('shows a scenario file that is valid, with every strategy option', () => {
    const [yaml] = blocksAfter('## Scenario files', 'yaml');
    expect(yaml).toBeDefined();
    const scenario = parseScenario(parse(yaml!), { source: 'README.md', baseDir: '.' });
    expect(scenario.strategies.map((s) => s.label)).toContain('async-events');
    expect(scenario.strategies).toHaveLength(4);
  });

  it('quotes the error message of a bad scenario as the tool prints it', () => {
    const bad = {
      name: 'x',
      description: 'y',
      tasks: { count: 5 },
      subagents: { latency: { dist: 'lognormal', mu: 0, sigma: -1 } },
      strategies: [{ kind: 'asynch' }],
    };
    let message = '';
    try {
      parseScenario(bad, { source: 'scenarios/mine.yaml', baseDir: '.' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(readme).toContain(`dispatchlab: ${message}`);
  });

  it('quotes the output of compare on the headline scenario as the tool prints it', async () => {
    const [quoted] = blocksAfter('## Reading a comparison', '');
    expect(quoted).toBeDefined();
    const scenario = loadScenario('scenarios/docs-audit.yaml');
    const actual = resultsText(await compare(scenario)).split('\n');
    // Every quoted line, in order; `...` stands for lines left out.
    let at = 0;
    for (const line of quoted!.trimEnd().split('\n')) {
      if (line === '...') continue;
      const found = actual.indexOf(line, at);
      expect(
        found,
        `README line not in the output (in order): ${JSON.stringify(line)}`,
      ).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});

describe('README, the kernel example', () => {
  it('prints what its comment says', () => {
    const [example] = blocksAfter('## The simulation kernel', 'ts');
    const promised = /\/\/ prints: (.*)$/m.exec(example!)?.[1];
    expect(promised).toBeDefined();
    // Run as written, with the package's entry point taken from the sources.
    const dir = mkdtempSync(join(tmpdir(), 'dispatchlab-readme-'));
    const file = join(dir, 'kernel-example.ts');
    const sim = pathToFileURL(join(process.cwd(), 'src/sim/index.ts')).href;
    writeFileSync(file, example!.replace("from 'dispatchlab/sim'", `from '${sim}'`));
    const out = execFileSync(process.execPath, ['--import', 'tsx', file], { encoding: 'utf8' });
    expect(out.trim()).toBe(promised);
  });
});
