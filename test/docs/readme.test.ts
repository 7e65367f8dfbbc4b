/** The README's examples are code: they must parse and run as written. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resultsText } from '../../src/cli/results-text.js';
import { checkScenario } from '../../src/experiment/check-runs.js';
import { compare } from '../../src/experiment/compare.js';
import type { ResultsDocument } from '../../src/experiment/results.js';
import { invariants } from '../../src/invariants/index.js';
import { scenarioCheckText, seedReplayCommand } from '../../src/report/check-text.js';
import { loadScenario } from '../../src/scenario/load.js';
import { parseScenario } from '../../src/scenario/parse.js';
import { cli, tempDir } from '../cli/helpers.js';

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
    expectQuoted(quoted!, await compareText('docs-audit'));
  });

  it('quotes the output of compare on a scenario with deadlocks as the tool prints it', async () => {
    const [, quoted] = blocksAfter('## Reading a comparison', '');
    expect(quoted).toBeDefined();
    expectQuoted(quoted!, await compareText('hung-subagents'));
  });

  it("shows a results document whose every decimal is one of docs-audit's, as compare makes it", async () => {
    const [example] = blocksAfter('### The results document', 'jsonc');
    expect(example).toBeDefined();
    const { doc } = await compareScenario('docs-audit');
    const numbers: number[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'number') numbers.push(value);
      else if (typeof value === 'object' && value !== null) Object.values(value).forEach(collect);
    };
    collect(doc);
    const decimals = [...example!.matchAll(/-?\d+\.(\d+)/g)];
    expect(decimals.length, 'decimals in the example').toBeGreaterThan(15);
    for (const [shown, places] of decimals) {
      const x = Number(shown);
      const scale = 10 ** places!.length;
      expect(
        numbers.some((v) => Math.abs(Math.round(v * scale) / scale - x) < 1e-9),
        `README's results document shows ${shown}, which docs-audit's document has nowhere (rounded so)`,
      ).toBe(true);
    }
  });
});

/** `compare` on a bundled scenario: its document and its text, as the CLI prints it. */
const compared = new Map<string, Promise<{ doc: ResultsDocument; text: string }>>();
function compareScenario(name: string): Promise<{ doc: ResultsDocument; text: string }> {
  let result = compared.get(name);
  if (result === undefined) {
    const file = `scenarios/${name}.yaml`;
    result = loadScenario(file)
      .then((scenario) => compare(scenario))
      .then((doc) => ({
        doc,
        text: resultsText(doc, { file }),
      }));
    compared.set(name, result);
  }
  return result;
}
async function compareText(name: string): Promise<string> {
  return (await compareScenario(name)).text;
}

/** Every quoted line is in the output, in order; `...` stands for lines left out. */
function expectQuoted(quoted: string, output: string): void {
  const actual = output.split('\n');
  let at = 0;
  for (const line of quoted.trimEnd().split('\n')) {
    if (line === '...') continue;
    const found = actual.indexOf(line, at);
    expect(
      found,
      `README line not in the output (in order): ${JSON.stringify(line)}`,
    ).toBeGreaterThanOrEqual(0);
    at = found + 1;
  }
}

/** The figures a sentence quotes: CIs, ± half-widths, durations, percentages, decimals. */
function figures(text: string): string[] {
  const patterns = [
    /\[[^\]]*\]/g,
    /±[0-9.hms]+/g,
    /[+-]?\b\d+(?:\.\d+)?(?:ms|h|m|s)(?:\d+(?:\.\d+)?(?:ms|h|m|s))*\b/g,
    /\b\d+(?:\.\d+)?%/g,
    /\b\d+\.\d+\b/g,
  ];
  return patterns.flatMap((p) => [...text.matchAll(p)].map((m) => m[0]));
}

/**
 * Each sentence of `text` quotes only figures that `compare` prints for the scenarios it
 * names, or, naming none, for those named earlier in its paragraph or list item.
 */
async function expectFiguresOfNamedScenarios(text: string): Promise<void> {
  let checked = 0;
  const sentences = text.split(/\n\n|\n- /).flatMap((part) => {
    let named: string[] = [];
    return part.split(/(?<=\.)\s+(?=[A-Z*])/).map((sentence) => {
      const here = [...sentence.matchAll(/([a-z-]+)\.yaml/g)].map((m) => m[1]!);
      if (here.length > 0) named = here;
      return { sentence, named };
    });
  });
  for (const { sentence, named } of sentences) {
    const texts = await Promise.all(named.map(compareText));
    for (const figure of figures(sentence)) {
      // A whole figure: "9.8s" must not be found inside "19.8s", nor "1.2" inside "1.25".
      const escaped = figure.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const whole = new RegExp(`(?<![\\d.])${escaped}(?![\\d])`);
      expect(
        texts.some((t) => whole.test(t)),
        `README figure ${figure} in: ${sentence}`,
      ).toBe(true);
      checked++;
    }
  }
  expect(checked, 'figures checked').toBeGreaterThan(5);
}

describe('README, checking that a strategy is safe', () => {
  it('quotes check on frequent-compaction as the tool prints it', async () => {
    const [quoted] = blocksAfter('## Checking that a strategy is safe', '');
    expect(quoted).toBeDefined();
    const file = 'scenarios/frequent-compaction.yaml';
    const doc = checkScenario(await loadScenario(file), {
      invariants,
      seeds: { start: 0, count: 20 },
      generate: { runs: 100, seed: 0 },
    });
    expectQuoted(
      quoted!,
      scenarioCheckText(doc, {
        files: new Map(),
        replay: () => '',
        seedReplay: (label, seed) => seedReplayCommand(file, label, seed),
      }),
    );
  });

  it("quotes the counterexample check finds for the mutation suite's caps-at-forty", () => {
    const [, quoted] = blocksAfter('## Checking that a strategy is safe', '');
    const out = tempDir();
    expect(quoted).toBeDefined();
    const r = cli(
      'check',
      'test/mutants/strategies/mutants.yaml',
      '--strategy',
      'caps-at-forty',
      '--quiet',
      '--no-regressions',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(3);
    // The README's command writes into dispatchlab-check/ and keeps regressions; this one
    // writes into a temporary folder and keeps none, and its replay line says so.
    expectQuoted(quoted!, r.stdout.replaceAll(` --out ${out} --no-regressions`, ''));
  });

  it('is right that every bundled scenario passes check, on its own seeds and on generated workloads', async () => {
    for (const name of readdirSync('scenarios').filter((f) => f.endsWith('.yaml'))) {
      const doc = checkScenario(await loadScenario(`scenarios/${name}`), {
        invariants,
        generate: { runs: 100, seed: 0 },
      });
      expect(doc.failed, name).toBe(0);
    }
  }, 300_000);
});

describe('README, when blocking is the better choice', () => {
  const start = readme.indexOf('## When blocking is the better choice');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));

  it('quotes, about each scenario, only figures its comparison prints', async () => {
    expect(start).toBeGreaterThanOrEqual(0);
    await expectFiguresOfNamedScenarios(section);
  });

  it('names the four conditions, each with the scenario whose test applies the rule', () => {
    for (const name of [
      'no-work-during-waits',
      'chain-dependencies',
      'small-team',
      'frequent-compaction',
    ]) {
      expect(section).toContain(`\`${name}.yaml\``);
    }
  });
});

describe('README, reading a comparison', () => {
  const start = readme.indexOf('## Reading a comparison');
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
  const between = (from: string, to: string) => {
    const a = section.indexOf(from);
    const b = section.indexOf(to, a);
    expect(a, from).toBeGreaterThanOrEqual(0);
    expect(b, to).toBeGreaterThan(a);
    return section.slice(a, b);
  };

  it('quotes, in its reading of the headline comparison, only figures the tool prints', async () => {
    const text = await compareText('docs-audit');
    const prose = between('How to read it:', '**Deadlocks.**');
    const quoted = figures(prose);
    expect(quoted.length).toBeGreaterThan(15);
    for (const figure of quoted) expect(text, `README figure ${figure}`).toContain(figure);
  });

  it('quotes, about the other scenarios, figures their comparisons print', async () => {
    await expectFiguresOfNamedScenarios(section.slice(section.indexOf('Try `dispatchlab sweep')));
    // "equal on every seed" along the chain; "no clear improvement" with a volatile registry.
    expect(await compareText('chain-dependencies')).toContain(
      'Equal to the baseline on every seed: makespan,',
    );
    const { doc } = await compareScenario('frequent-compaction');
    const volatile = doc.comparisons.find(
      (c) => c.a === 'async-volatile-registry' && c.metric === 'makespan',
    )!;
    expect(volatile.ci95![0]).toBeLessThan(0);
    expect(volatile.ci95![1]).toBeGreaterThan(0);
  });

  it('says of the headline makespans what their intervals show', async () => {
    const { doc } = await compareScenario('docs-audit');
    const [blocking, , async] = doc.strategies.map((s) => s.metrics.makespan.ci95!);
    // "those two intervals do not even overlap"
    expect(async![1]).toBeLessThan(blocking![0]);
    // "[-4m, -2m42s], narrower than either strategy's own interval: clear of zero"
    const paired = doc.comparisons.find(
      (c) => c.a === doc.strategies[2]!.label && c.metric === 'makespan',
    )!;
    const width = (ci: readonly [number, number]) => ci[1] - ci[0];
    expect(width(paired.ci95!)).toBeLessThan(Math.min(width(blocking!), width(async!)));
    expect(paired.ci95![1]).toBeLessThan(0);
  });

  it('says of the deadlocking strategy what the document holds', async () => {
    expect(section).toContain('deadlocks in 31 of 50 runs');
    expect(section).toContain('is 667.6, the shortest of the four');
    const { doc, text } = await compareScenario('hung-subagents');
    expect(text).toContain('blocking-no-timeout deadlocked in 31 of 50 runs');
    const means = doc.strategies.map((s) => s.metrics.makespan.mean!);
    expect(means[0]!.toFixed(1)).toBe('667.6');
    expect(Math.min(...means)).toBe(means[0]);
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
