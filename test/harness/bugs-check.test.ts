/**
 * Each bug example, checked as a user would check it: an orchestrator module that runs the
 * example's code, a scenario with the world that shows the bug, and `dispatchlab check` on
 * the scenario's own seeds. The buggy module breaks the invariant its unit test names
 * (exit code 3), the text says what broke and prints the command that replays the seed,
 * and that command breaks it again; the fixed twin, in the same world, passes (exit code 0).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CliResult, cli, cliWith, tempDir } from '../cli/helpers.js';

/**
 * An absolute path, not a file: URL. The module compiler bundles the user's imports and
 * resolves a bare specifier through esbuild, which does not read `file:///...` (it refuses
 * it with "Could not resolve"); an absolute path is bundled as a relative one is.
 */
const source = (path: string) => JSON.stringify(resolve(path));

interface BugCase {
  /** The example's file, under examples/harness. */
  readonly example: string;
  /** What the module imports from it: the buggy factory, its fixed twin, their settings. */
  readonly imports: readonly string[];
  /** Another file the fixed twin comes from, when the example has none of its own. */
  readonly fixedFrom?: { readonly example: string; readonly imports: readonly string[] };
  /** The orchestrator and the settings it declares, as source text. */
  readonly buggy: string;
  readonly fixed: string;
  readonly settings: string;
  /** The scenario's world, YAML lines, and the seed its unit test shows the bug on. */
  readonly world: string;
  readonly seed: number;
  /** The invariant the example's unit test asserts broken. */
  readonly invariant: string;
  /** A fragment of the violation's message on that seed. */
  readonly message: RegExp;
}

const lognormal = '{ dist: lognormal, median: 60s, p95: 5m }';

const cases: Readonly<Record<string, BugCase>> = {
  'lost-ids-at-compaction': {
    example: 'bugs/lost-ids-at-compaction.ts',
    imports: ['lostIdsAtCompaction'],
    buggy: "lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'context' })",
    fixed: "lostIdsAtCompaction({ wip: 8, pollEvery: 30, keepIdsIn: 'durable' })",
    settings: '{ wip: 8, pollInterval: 30 }',
    world: `tasks: 30
subagents:
  latency: ${lognormal}
orchestrator: { dispatch: 1s, poll: 0.2s, process: 5s, synthesize: 10s }
context:
  base: 2000
  perHandle: 50
  perResult: 3000
  perSummary: 300
  budget: 8000
  compactionCost: 4s
  compactionKeeps: 0.2
  forgetProbability: 0.3`,
    seed: 0,
    invariant: 'noGhosts',
    message: /its result was never consumed nor cancelled: a ghost/,
  },
  'dropped-same-tick': {
    example: 'bugs/dropped-same-tick.ts',
    imports: ['droppedSameTick', 'droppedSameTickFixed', 'droppedSameTickSettings'],
    buggy: 'droppedSameTick({ budget: 600 })',
    fixed: 'droppedSameTickFixed({ budget: 600 })',
    settings: 'droppedSameTickSettings()',
    // Nothing to pay for a dispatch: both subagents, working exactly 60 s, end together.
    world: `tasks: 2
subagents:
  latency: { dist: fixed, value: 60s }
orchestrator: { dispatch: 0s, poll: 0s, process: 5s, synthesize: 10s, turn: 2s }`,
    seed: 0,
    invariant: 'noGhosts',
    message:
      /agent 0 \(task 0\) ended at 62 s and its result, delivered at 62 s, was never processed: a ghost/,
  },
  'nested-fanout': {
    example: 'bugs/nested-fanout.ts',
    imports: ['nestedFanout', 'nestedFanoutFixed', 'nestedFanoutSettings'],
    buggy: 'nestedFanout(options)',
    fixed: 'nestedFanoutFixed(options)',
    settings: 'nestedFanoutSettings(options)',
    world: `tasks: 12
subagents:
  latency: ${lognormal}
  failures: { error: 0.1 }
orchestrator: { dispatch: 1s, poll: 0.5s, process: 5s, synthesize: 10s }`,
    seed: 1,
    invariant: 'wipLimit',
    message:
      /agent 3 \(task 6\) started at 4 s with 4 subagents in flight, above the WIP limit of 3/,
  },
  'cancel-after-finish': {
    example: 'bugs/cancel-after-finish.ts',
    imports: ['cancelAfterFinish', 'cancelAfterFinishFixed', 'cancelAfterFinishSettings'],
    buggy: 'cancelAfterFinish(options)',
    fixed: 'cancelAfterFinishFixed(options)',
    settings: 'cancelAfterFinishSettings(options)',
    world: `tasks: 8
subagents:
  latency: ${lognormal}
  failures: { error: 0.1, hang: 0.1 }
orchestrator: { dispatch: 1s, poll: 0.5s, process: 5s, synthesize: 10s }`,
    seed: 1,
    invariant: 'cancelOnlyLive',
    message: /agent 3 \(task 3\) was cancelled \(timeout\) at 300 s, but it had already ended/,
  },
  'never-woken': {
    example: 'bugs/never-woken.ts',
    imports: ['neverWoken', 'neverWokenFixed', 'neverWokenSettings'],
    buggy: 'neverWoken(options)',
    fixed: 'neverWokenFixed(options)',
    settings: 'neverWokenSettings(options)',
    world: `tasks: 4
subagents:
  latency: ${lognormal}
  failures: { hang: 0.25 }
orchestrator: { dispatch: 1s, process: 5s, synthesize: 10s, turn: 2s }`,
    seed: 0,
    invariant: 'runEnds',
    message: /the run did not end: it deadlocked at 305 s/,
  },
  'final-answer-early': {
    example: 'final-answer-early.ts',
    imports: ['finalAnswerEarly'],
    // Its fixed twin is the example it was made from: the same code, every result awaited.
    fixedFrom: { example: 'blocking-polling.ts', imports: ['blockingPolling'] },
    buggy: 'finalAnswerEarly(60)',
    fixed: 'blockingPolling(60)',
    settings: '{ pollInterval: 60 }',
    world: `tasks: 12
subagents:
  latency: ${lognormal}
orchestrator: { process: 5s, synthesize: 10s }`,
    seed: 0,
    invariant: 'runEnds',
    message: /returned at \d+ s with 1 task unresolved/,
  },
};

/** The options every factory that takes `options` is given, by example. */
const optionsOf: Readonly<Record<string, string>> = {
  'nested-fanout': '{ sections: 2, limit: 3, pollEvery: 10, retries: 1 }',
  'cancel-after-finish': '{ budget: 300, pollEvery: 60 }',
  'never-woken': '{ timeout: 300, retries: 1 }',
};

/** Writes the module and its scenario into a fresh folder; returns the scenario's path. */
function writeScenario(name: string, c: BugCase, twin: 'buggy' | 'fixed'): string {
  const dir = tempDir();
  const imports = [
    `import { defineOrchestrator } from ${source('src/harness/define-orchestrator.ts')};`,
    `import { ${c.imports.join(', ')} } from ${source(`examples/harness/${c.example}`)};`,
  ];
  if (c.fixedFrom !== undefined) {
    imports.push(
      `import { ${c.fixedFrom.imports.join(', ')} } from ${source(`examples/harness/${c.fixedFrom.example}`)};`,
    );
  }
  const options = optionsOf[name];
  writeFileSync(
    join(dir, 'orchestrator.ts'),
    [
      ...imports,
      ...(options === undefined ? [] : [`const options = ${options};`]),
      'export default defineOrchestrator({',
      `  label: '${name}',`,
      `  settings: ${c.settings},`,
      `  orchestrator: ${twin === 'buggy' ? c.buggy : c.fixed},`,
      '});',
      '',
    ].join('\n'),
  );
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      `name: ${name}`,
      `description: the ${twin} ${name} example, on the world its unit test shows the bug in`,
      c.world,
      'strategies:',
      '  - orchestrator: ./orchestrator.ts',
      `seeds: { start: ${c.seed}, count: 1 }`,
      '',
    ].join('\n'),
  );
  return file;
}

const context = (r: CliResult) => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/** Runs each command of `dispatchlab a ... && dispatchlab b ...` in `cwd`, in order. */
function replay(command: string, cwd: string): CliResult[] {
  return command.split(' && ').map((part) => {
    const words = part.trim().split(' ');
    expect(words[0]).toBe('dispatchlab');
    return cliWith({ cwd }, ...words.slice(1));
  });
}

describe('dispatchlab check on each bug example, run as an orchestrator module', () => {
  for (const [name, c] of Object.entries(cases)) {
    it(`${name}: breaks ${c.invariant} on seed ${c.seed}, replays it, and its fix passes`, () => {
      const file = writeScenario(name, c, 'buggy');
      const dir = resolve(file, '..');
      const out = join(dir, 'out');
      const r = cli('check', file, '--runs', '0', '--out', out);
      expect(r.code, context(r)).toBe(3);
      expect(r.stdout, context(r)).toMatch(
        new RegExp(`^ +FAIL +${c.invariant} +broken in 1 of 1 run$`, 'm'),
      );
      expect(r.stdout, context(r)).toMatch(new RegExp(`^ +first on seed ${c.seed}: `, 'm'));
      expect(r.stdout, context(r)).toMatch(c.message);
      // What happened, told as a story ending with the violation, then the trace's records
      // around it, the one that broke it marked.
      const ofInvariant = r.stdout.slice(r.stdout.search(new RegExp(`FAIL +${c.invariant} `)));
      const story = ofInvariant.match(
        /^ +what happened:\n((?: {14}.*\n)+) +the records around it:$/m,
      );
      expect(story, context(r)).not.toBeNull();
      expect(story![1]!.trimEnd().split('\n').at(-1)!.trim(), context(r)).toMatch(c.message);
      expect(r.stdout, context(r)).toMatch(/^ +> +\d+ +\{"t":/m);
      const replayLine = r.stdout.match(/^ +replay: (dispatchlab .+)$/m);
      expect(replayLine, context(r)).not.toBeNull();

      const replayed = replay(replayLine![1]!, dir);
      const last = replayed.at(-1)!;
      for (const step of replayed.slice(0, -1)) expect(step.code, context(step)).toBe(0);
      expect(last.code, context(last)).toBe(3);
      expect(last.stdout, context(last)).toMatch(new RegExp(`^ +FAIL +${c.invariant} `, 'm'));
      expect(last.stdout, context(last)).toMatch(c.message);

      const fixed = cli('check', writeScenario(name, c, 'fixed'), '--runs', '0', '--out', out);
      expect(fixed.code, context(fixed)).toBe(0);
      expect(fixed.stdout, context(fixed)).not.toMatch(/FAIL/);
      expect(fixed.stdout, context(fixed)).toMatch(
        new RegExp(`^ +(PASS|VACUOUS) +${c.invariant} `, 'm'),
      );
    });
  }
});
