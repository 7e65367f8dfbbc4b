/**
 * Every invariant `dispatchlab check` checks (src/invariants/index.ts) on every bundled
 * scenario's strategies (scenarios/*.yaml), over a few seeds: every one holds, except
 * where a scenario sets out a design unsafe by construction to show what it costs. Those
 * are listed below with the sentence of the scenario's description that explains them and
 * the invariants its entry's `expect:` declares broken, and must fail exactly where that
 * sentence says. A new scenario is picked up automatically, and expected safe.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { failuresDetected } from '../../src/invariants/failures-detected.js';
import { invariants } from '../../src/invariants/index.js';
import { noDuplicateSpawn } from '../../src/invariants/no-duplicate-spawn.js';
import { noGhosts } from '../../src/invariants/no-ghosts.js';
import { runEnds } from '../../src/invariants/run-ends.js';
import { bundled, check, failing, simulated, type Trace } from './traces.js';

const files = readdirSync(fileURLToPath(new URL('../../scenarios/', import.meta.url)))
  .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
  .sort();
const seeds = [0, 1, 2, 3, 4, 5];

interface Unsafe {
  /** Words of the scenario's description that say why. */
  readonly because: string;
  /** The invariants broken... */
  readonly breaks: readonly string[];
  /** ...in the runs where this holds. */
  readonly when: (trace: Trace) => boolean;
  /** What else each violation must show to be the one the description means. */
  readonly explain: (trace: Trace) => void;
}

const forgotten = (trace: Trace) =>
  new Set(trace.flatMap((r) => (r.type === 'forget' ? [r.agent] : [])));

/** A run in which some subagent hung (the world's draw: only a simulation knows it). */
const hung = (trace: Trace) =>
  trace.some((r) => r.type === 'start' && 'world' in r && r.world.fate === 'hang');

const unsafe: Readonly<Record<string, Readonly<Record<string, Unsafe>>>> = {
  'frequent-compaction.yaml': {
    'async-volatile-registry': {
      because:
        'compaction makes it forget some of them: it dispatches those tasks again (duplicate spawns) while the forgotten subagents run on unread (ghosts)',
      breaks: ['noGhosts', 'noDuplicateSpawn'],
      when: (trace) => forgotten(trace).size > 0,
      explain(trace) {
        const lost = forgotten(trace);
        const ghost = check(noGhosts, trace).violation!;
        expect(lost.has(ghost.agent!), ghost.message).toBe(true);
        expect(ghost.message).toMatch(/was forgotten at .* a ghost$/);
        const duplicate = check(noDuplicateSpawn, trace).violation!;
        const spawn = trace[duplicate.index]!;
        expect(spawn).toMatchObject({ type: 'spawn', reason: 'first' });
        // The live attempt it duplicates is one the compaction made the orchestrator forget.
        const earlier = Number(/while agent (\d+) /.exec(duplicate.message)![1]);
        expect(lost.has(earlier), duplicate.message).toBe(true);
      },
    },
  },
  'hung-subagents.yaml': {
    'blocking-no-timeout': {
      because:
        'Blocking fan-out without a timeout waits for it forever: every run with a hang ends in a deadlock',
      breaks: ['failuresDetected', 'runEnds'],
      when: hung,
      explain(trace) {
        const never = check(failuresDetected, trace).violation!;
        expect(never.message).toMatch(/hung .* and was never detected: the run has no timeout/);
        const v = check(runEnds, trace).violation!;
        expect(v.index).toBe(trace.length - 1);
        expect(v.message).toMatch(/^the run did not end: it deadlocked at .*a hung subagent/);
      },
    },
  },
};

describe('the bundled scenarios under every invariant', () => {
  it('lists unsafe designs only of scenarios and strategies that exist, with their description’s words', async () => {
    for (const [file, strategies] of Object.entries(unsafe)) {
      expect(files).toContain(file);
      const scenario = await bundled(file);
      const description = scenario.description.replace(/\s+/g, ' ');
      for (const [label, u] of Object.entries(strategies)) {
        expect(scenario.strategies.map((s) => s.label)).toContain(label);
        expect(description).toContain(u.because);
        expect([...u.breaks].sort(), label).toEqual(
          [...(scenario.expected.get(label) ?? [])].sort(),
        );
      }
    }
  });

  for (const file of files) {
    it(`${file}: every strategy keeps every invariant, but where the scenario says it cannot`, async () => {
      const scenario = await bundled(file);
      for (const [i, config] of scenario.strategies.entries()) {
        const u = unsafe[file]?.[config.label];
        const seen = { unsafe: 0, safe: 0 };
        for (const seed of seeds) {
          const trace = await simulated(file, i, seed);
          const broken = u?.when(trace) ? u : undefined;
          seen[broken === undefined ? 'safe' : 'unsafe']++;
          expect(failing(trace, invariants), `${config.label}, seed ${seed}`).toEqual(
            broken?.breaks ?? [],
          );
          broken?.explain(trace);
        }
        // An unsafe design shows on these seeds (the check above would pass vacuously otherwise).
        if (u !== undefined) expect(seen.unsafe, config.label).toBeGreaterThan(0);
      }
    });
  }

  it('hung-subagents: a run of blocking without a timeout that meets no hang completes and passes', async () => {
    const clean = [];
    for (const seed of seeds) {
      const trace = await simulated('hung-subagents.yaml', 0, seed);
      if (!hung(trace)) clean.push(seed);
    }
    expect(clean.length).toBeGreaterThan(0);
  });
});
