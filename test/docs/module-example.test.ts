/**
 * The README's "Writing your own strategy" ends with comparing one: the module and the
 * scenario it quotes are the files in examples/, and the command it shows, run as a user
 * runs it (the CLI, from dist/), prints the lines it quotes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/helpers.js';

const readme = readFileSync('README.md', 'utf8');
const section = readme.slice(
  readme.indexOf('**Comparing it with the built-in ones.**'),
  readme.indexOf('\n## Scenario files'),
);

/** The fenced blocks of the section in `language` ('' for a plain one), each with its final newline. */
function blocks(language: string): string[] {
  const found: string[] = [];
  let open: { language: string; lines: string[] } | undefined;
  for (const line of section.split('\n')) {
    if (!line.startsWith('```')) open?.lines.push(line);
    else if (open === undefined) open = { language: line.slice(3), lines: [] };
    else {
      if (open.language === language) found.push(`${open.lines.join('\n')}\n`);
      open = undefined;
    }
  }
  return found;
}

describe("README's strategy module example", () => {
  it('quotes examples/one-at-a-time.ts from its first import, and examples/one-at-a-time.yaml whole', () => {
    const module = readFileSync('examples/one-at-a-time.ts', 'utf8');
    expect(blocks('ts')).toEqual([module.slice(module.indexOf('import '))]);
    expect(blocks('yaml')).toEqual([readFileSync('examples/one-at-a-time.yaml', 'utf8')]);
    expect(blocks('yaml')[0]).toContain('module: ./one-at-a-time.ts');
  });

  it('shows the command, and what it prints', () => {
    const [sh] = blocks('sh');
    expect(sh!.split('\n')[0]).toMatch(
      /^npx dispatchlab compare examples\/one-at-a-time\.yaml( |$)/,
    );
    const r = cli('compare', 'examples/one-at-a-time.yaml');
    expect(r.code, r.stderr).toBe(0);
    const [quoted] = blocks('');
    expect(quoted).toContain('one-at-a-time(timeout=600s,retries=2)');
    // Every quoted line is in the output, in order; `...` stands for lines left out.
    const output = r.stdout.split('\n');
    let at = 0;
    for (const line of quoted!.trimEnd().split('\n')) {
      if (line === '...') continue;
      const found = output.indexOf(line, at);
      expect(
        found,
        `README line not in the output (in order): ${JSON.stringify(line)}`,
      ).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});
