/**
 * The mutation suite's broken strategies (test/mutants/strategies/), each written against
 * the public strategy API and checked as a user would check theirs: `dispatchlab check`
 * on test/mutants/strategies/mutants.yaml, with its default budget. Every one must be
 * caught (exit 3). Four are broken only under conditions the scenario's own seeds never
 * meet — a task count above 40, two results at one instant, a compaction, a hang — so
 * they pass on those seeds and are caught only by the generated workloads, whose
 * shrunk counterexample must name the condition. A correct strategy beside them passes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempDir } from '../cli/helpers.js';

const scenario = 'test/mutants/strategies/mutants.yaml';

interface Doc {
  readonly failed: number;
  readonly strategies: readonly {
    readonly label: string;
    readonly invariants: readonly { readonly invariant: string; readonly status: string }[];
    readonly generated?: {
      readonly runs: number;
      readonly counterexample?: {
        readonly variation: Record<string, unknown>;
        readonly changed: readonly string[];
        readonly breaches: readonly { readonly invariant: string | null }[];
        readonly yaml: string;
        readonly replay: string;
      };
    };
  }[];
}

function check(...args: string[]): { code: number; doc: Doc } {
  const r = cli('check', scenario, '--json', '--quiet', '--no-regressions', ...args);
  expect([0, 3], r.stderr).toContain(r.code);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc };
}

const broken = (doc: Doc, label: string) =>
  doc.strategies
    .find((s) => s.label === label)!
    .invariants.filter((i) => i.status === 'fail')
    .map((i) => i.invariant);

/** Broken on every workload: the scenario's own seeds catch them. */
const always = {
  'returns-after-first-result': 'runEnds',
  'answers-before-the-last': 'runEnds',
  'busy-polls': 'runEnds',
};

/** Broken only under a condition the generator must find, and the field that shows it. */
const conditional = {
  'caps-at-forty': { invariant: 'runEnds', condition: /^tasks\.count$/ },
  'dedupes-by-timestamp': {
    invariant: 'runEnds',
    condition: /^(orchestrator\.process|subagents\.latency)$/,
  },
  'volatile-registry': { invariant: 'noGhosts', condition: /^(context\.|tasks\.count$)/ },
  'no-timeout': { invariant: 'runEnds', condition: /^subagents\.failures\.hang$/ },
};

describe('the mutation suite of broken strategies', () => {
  const out = tempDir();
  const own = check('--runs', '0');
  const generated = check('--out', out);

  it('catches the unconditional mutants on the scenario’s own seeds, and passes the correct one', () => {
    expect(own.code).toBe(3);
    for (const [label, invariant] of Object.entries(always))
      expect(broken(own.doc, label), label).toContain(invariant);
    for (const label of Object.keys(conditional)) expect(broken(own.doc, label), label).toEqual([]);
    expect(broken(own.doc, 'correct')).toEqual([]);
  });

  it('catches every mutant within the default budget of generated workloads', () => {
    expect(generated.code).toBe(3);
    for (const label of [...Object.keys(always), ...Object.keys(conditional)]) {
      const s = generated.doc.strategies.find((x) => x.label === label)!;
      expect(s.generated?.counterexample, label).toBeDefined();
      expect(s.generated!.runs, label).toBeLessThanOrEqual(100);
    }
    const correct = generated.doc.strategies.find((s) => s.label === 'correct')!;
    expect(correct.generated?.counterexample).toBeUndefined();
    expect(correct.generated?.runs).toBe(100);
    expect(broken(generated.doc, 'correct')).toEqual([]);
  });

  it('shrinks each conditional mutant to a workload that names its condition', () => {
    for (const [label, { invariant, condition }] of Object.entries(conditional)) {
      const c = generated.doc.strategies.find((s) => s.label === label)!.generated!.counterexample!;
      expect(
        c.breaches.map((b) => b.invariant),
        label,
      ).toContain(invariant);
      expect(
        c.changed.some((path) => condition.test(path)),
        `${label}: ${c.changed.join(', ')}`,
      ).toBe(true);
    }
    // Shrinking finds the very edge: one task past the table of 40.
    const cap = generated.doc.strategies.find((s) => s.label === 'caps-at-forty')!.generated!
      .counterexample!;
    expect(cap.variation).toEqual({ tasks: 41 });
  });

  it('writes a minimal scenario that breaks the same way on its own, and a replay that finds it again', () => {
    const c = generated.doc.strategies.find((s) => s.label === 'caps-at-forty')!.generated!
      .counterexample!;
    expect(c.yaml).toBe(join(out, 'mutants.caps-at-forty.yaml'));
    const text = readFileSync(c.yaml, 'utf8');
    expect(text).toMatch(/count: 41 # changed \(the scenario's: 10\)/);
    const again = cli('check', c.yaml, '--runs', '0', '--quiet', '--no-regressions');
    expect(again.code, again.stderr).toBe(3);
    expect(again.stdout).toMatch(/FAIL\s+runEnds\s+broken in 1 of 1 run/);
    const token = /--replay (\S+)/.exec(c.replay)![1]!;
    const replayed = cli(
      'check',
      scenario,
      '--strategy',
      'caps-at-forty',
      '--replay',
      token,
      '--quiet',
      '--no-regressions',
      '--out',
      out,
    );
    expect(replayed.code, replayed.stderr).toBe(3);
    expect(replayed.stdout).toMatch(/workload: tasks\.count: 41; seed 0/);
  });
});
