/** The README's examples are code: they must parse and run as written. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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
});
