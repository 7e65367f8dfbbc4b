/**
 * A mutation suite of recorded traces: small orchestrators written the way users write
 * them (test/mutants/recorded/), each with a bug users report, record their traces, and
 * `dispatchlab check --trace` must catch every bug (exit 3, the invariant it breaks named
 * as FAIL) and pass the same program with the bug fixed (exit 0). The near miss is what
 * shows the check is not just failing everything: the fixed program runs the same
 * workload on the same seed, races and compactions included.
 *
 * The programs share nothing with dispatchlab but the trace format, so this is the check
 * judging traces as it would judge any other tool's. Two CLI runs in all: every buggy
 * trace in one, in text (what a user reads), every near miss in the other, as JSON.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, cli, tempDir } from '../cli/helpers.js';
import * as answerBeforeLastResult from './recorded/answer-before-last-result.js';
import * as cancelAfterFinish from './recorded/cancel-after-finish.js';
import * as droppedNotice from './recorded/dropped-notice.js';
import * as lostIds from './recorded/lost-ids-at-compaction.js';
import * as nestedFanout from './recorded/nested-fanout.js';
import * as neverWoken from './recorded/never-woken.js';
import * as silentMonitor from './recorded/silent-monitor.js';

type Record = (options: { buggy: boolean; seed?: number }) => string;

interface Mutant {
  readonly name: string;
  readonly record: Record;
  /** The invariants the bug breaks: exactly these FAIL, and no other. */
  readonly breaks: readonly string[];
}

const mutants: readonly Mutant[] = [
  // The forgotten subagents' notices are dropped (ghosts), and their tasks dispatched
  // again as "first" while the forgotten attempts run on (duplicates).
  {
    name: 'lost-ids-at-compaction',
    record: lostIds.record,
    breaks: ['noGhosts', 'noDuplicateSpawn'],
  },
  // The dropped notice's result is never consumed (a ghost); the run then says it
  // completed without that task's resolve.
  { name: 'dropped-notice', record: droppedNotice.record, breaks: ['noGhosts', 'tasksEndOnce'] },
  { name: 'never-woken', record: neverWoken.record, breaks: ['runEnds'] },
  // The straggler still running at the final answer is a ghost; its task never resolved.
  {
    name: 'answer-before-last-result',
    record: answerBeforeLastResult.record,
    breaks: ['noGhosts', 'tasksEndOnce'],
  },
  { name: 'nested-fanout', record: nestedFanout.record, breaks: ['wipLimit'] },
  { name: 'cancel-after-finish', record: cancelAfterFinish.record, breaks: ['cancelOnlyLive'] },
  { name: 'silent-monitor', record: silentMonitor.record, breaks: ['failuresDetected'] },
];

/**
 * The buggy programs on seeds where what the bug needs does not happen: no two ends
 * within a millisecond, no straggler, no end while the orchestrator is busy. The bug is
 * in the code all the same, and the trace is rightly clean: the check judges what
 * happened, not the code.
 */
const dormant: readonly {
  readonly mutant: string;
  readonly record: Record;
  readonly seed: number;
}[] = [
  { mutant: 'dropped-notice', record: droppedNotice.record, seed: 1 },
  { mutant: 'answer-before-last-result', record: answerBeforeLastResult.record, seed: 1 },
  { mutant: 'never-woken', record: neverWoken.record, seed: 5 },
];

const invariantCount = 9;

interface Checked {
  readonly buggy: CliResult;
  readonly nearMisses: CliResult;
  readonly files: Map<string, string>;
  readonly texts: Map<string, string>;
}

let checked: Checked;

beforeAll(() => {
  const dir = tempDir();
  const files = new Map<string, string>();
  const texts = new Map<string, string>();
  const write = (key: string, text: string) => {
    const file = join(dir, `${key}.jsonl`);
    writeFileSync(file, text);
    files.set(key, file);
    texts.set(key, text);
    return file;
  };
  const buggy: string[] = [];
  const nearMisses: string[] = [];
  for (const m of mutants) {
    buggy.push(write(`${m.name}.buggy`, m.record({ buggy: true })));
    nearMisses.push(write(`${m.name}.fixed`, m.record({ buggy: false })));
  }
  for (const d of dormant) {
    nearMisses.push(write(`${d.mutant}.dormant`, d.record({ buggy: true, seed: d.seed })));
  }
  // The silent monitor on a seed where its idle begins before the deadline (see the last test).
  buggy.push(write('silent-monitor.unseen', silentMonitor.record({ buggy: true, seed: 1 })));
  const traces = (list: string[]) => list.flatMap((file) => ['--trace', file]);
  checked = {
    buggy: cli('check', ...traces(buggy)),
    nearMisses: cli('check', '--json', ...traces(nearMisses)),
    files,
    texts,
  };
});

/** One trace's part of the text report: from its `FILE: ...` line to the next blank line. */
function section(key: string): string {
  const { stdout } = checked.buggy;
  const start = stdout.indexOf(`${checked.files.get(key)}:`);
  expect(start, stdout).toBeGreaterThanOrEqual(0);
  const end = stdout.indexOf('\n\n', start);
  return stdout.slice(start, end < 0 ? undefined : end);
}

/** The verdict line of each invariant in a section: `  FAIL     noGhosts  ...`. */
function verdicts(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const m of text.matchAll(/^ {2}(PASS|FAIL|VACUOUS)\s+(\w+)/gm)) found.set(m[2]!, m[1]!);
  return found;
}

interface JsonReport {
  readonly traces: readonly {
    readonly file: string;
    readonly check: { readonly results: readonly { invariant: string; status: string }[] };
  }[];
}

function jsonResults(key: string): readonly { invariant: string; status: string }[] {
  const report = JSON.parse(checked.nearMisses.stdout) as JsonReport;
  const trace = report.traces.find((t) => t.file === checked.files.get(key));
  expect(trace, checked.nearMisses.stdout.slice(0, 2000)).toBeDefined();
  return trace!.check.results;
}

function records(key: string): { t: number; type: string; [field: string]: unknown }[] {
  return checked.texts
    .get(key)!
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

describe('recorded traces of buggy orchestrators: check --trace', () => {
  it('exits 3 on the buggy traces and 0 on their near misses', () => {
    expect(checked.buggy.code, checked.buggy.stderr).toBe(3);
    expect(checked.nearMisses.code, checked.nearMisses.stderr + checked.nearMisses.stdout).toBe(0);
    // Reported in full, so that the last test judges its verdicts.
    expect(verdicts(section('silent-monitor.unseen')).size).toBe(invariantCount);
  });

  it.each(mutants)('$name: the bug is caught, by exactly $breaks', (m) => {
    const text = section(`${m.name}.buggy`);
    const found = verdicts(text);
    expect(found.size, text).toBe(invariantCount);
    const failed = [...found].filter(([, v]) => v === 'FAIL').map(([name]) => name);
    expect(failed.sort(), text).toEqual([...m.breaks].sort());
    for (const name of m.breaks) expect(text).toMatch(new RegExp(`FAIL\\s+${name}\\b`));
  });

  it.each(mutants)('$name: the near miss passes', (m) => {
    const results = jsonResults(`${m.name}.fixed`);
    expect(results).toHaveLength(invariantCount);
    expect(results.filter((r) => r.status === 'fail')).toEqual([]);
  });

  it.each(dormant)(
    '$mutant on seed $seed: the bug is in the code but never triggered, and the trace passes',
    (d) => {
      const results = jsonResults(`${d.mutant}.dormant`);
      expect(results.filter((r) => r.status === 'fail')).toEqual([]);
    },
  );

  it('the near misses put the rule each bug breaks to the test, where their workload can', () => {
    const status = (key: string, invariant: string) =>
      jsonResults(key).find((r) => r.invariant === invariant)?.status;
    // Retries and timeouts really happen in the fixed programs: the rule is judged, and holds.
    expect(status('cancel-after-finish.fixed', 'cancelOnlyLive')).toBe('pass');
    expect(status('silent-monitor.fixed', 'failuresDetected')).toBe('pass');
    expect(status('nested-fanout.fixed', 'wipLimit')).toBe('pass');
    expect(status('lost-ids-at-compaction.fixed', 'noGhosts')).toBe('pass');
  });

  it('the conditions each bug needs really happen on the chosen seeds, in the near miss too', () => {
    // Two ends within a millisecond: the burst the buggy debounce loses a notice of.
    for (const key of ['dropped-notice.fixed', 'dropped-notice.buggy']) {
      const ends = records(key)
        .filter((r) => r.type === 'end')
        .map((r) => r.t)
        .sort((a, b) => a - b);
      expect(
        ends.some((t, i) => i > 0 && t - ends[i - 1]! < 0.001),
        key,
      ).toBe(true);
    }
    // Compactions while subagents are in flight, in both.
    for (const key of ['lost-ids-at-compaction.fixed', 'lost-ids-at-compaction.buggy']) {
      const live = new Set<unknown>();
      const atCompaction: number[] = [];
      for (const r of records(key)) {
        if (r.type === 'start') live.add(r.agent);
        if (r.type === 'end') live.delete(r.agent);
        if (r.type === 'compaction') atCompaction.push(live.size);
      }
      expect(atCompaction.length, key).toBeGreaterThan(0);
      expect(Math.max(...atCompaction), key).toBeGreaterThan(0);
    }
    // Nested fan-outs of 3 run 6 at once where the header says 3.
    let inFlight = 0;
    let peak = 0;
    for (const r of records('nested-fanout.buggy')) {
      if (r.type === 'start') peak = Math.max(peak, ++inFlight);
      if (r.type === 'end' || r.type === 'cancel') inFlight--;
    }
    expect(peak).toBe(6);
    // The never-woken orchestrator is stopped by its harness with a result left unread.
    expect(records('never-woken.buggy').at(-1)).toMatchObject({
      type: 'run.end',
      outcome: 'incomplete',
      unresolved: 1,
    });
  });

  // On seed 1 the silent monitor's hung subagent (agent 6) passes its deadline at 220.5 s
  // while the orchestrator has been idle since 189.9 s, with nothing else left to happen;
  // it stays idle until the gateway's error at 700.5 s, and its retry hangs the same way.
  // The idle began before the deadline, so only the rule that an idle may not run on past
  // the instant a failure became observable catches it. Its starts carry no `world`, so
  // the checker counts the hang as what it sees: a subagent still running at its deadline.
  it('silent-monitor on seed 1: the hang the orchestrator idles through is caught', () => {
    const text = section('silent-monitor.unseen');
    const found = verdicts(text);
    expect(found.get('failuresDetected'), text).toBe('FAIL');
    expect([...found].filter(([, v]) => v === 'FAIL').map(([name]) => name)).toEqual([
      'failuresDetected',
    ]);
    expect(text).toContain(
      'agent 6 (task 6) ran past its timeout; its deadline passed at 220.484 s and the orchestrator, idle since 189.876 s, stayed idle until 700.484 s without detecting it',
    );
  });
});
