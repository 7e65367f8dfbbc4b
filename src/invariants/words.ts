/**
 * How the invariants' messages say things, said once: a time, an agent, a count. Every
 * violation is one sentence a person reads in a terminal, so the same fact reads the same
 * way whichever invariant reports it ("agent 7 (task 3) ended at 41.2 s ...").
 */

/**
 * A time in seconds, to the millisecond at most and without trailing zeros: `41.2 s`,
 * `106.107 s`, `0 s`. A trace's times are seconds since the run began; more digits than
 * a millisecond only hide the fact behind float noise, and the violation's `t` keeps the
 * exact value for whoever needs it.
 */
export function seconds(t: number): string {
  if (!Number.isFinite(t)) return `${t} s`;
  // toFixed rounds to 3 decimals; Number() drops the trailing zeros (and turns -0 into 0
  // once printed, since String(-0) is "0").
  return `${Number(t.toFixed(3))} s`;
}

/** `agent 7 (task 3)`, or `agent 7` when its task is unknown (its spawn is not in the trace). */
export function agentName(agent: number, task?: number): string {
  return task === undefined ? `agent ${agent}` : `agent ${agent} (task ${task})`;
}

/** `1 subagent`, `3 subagents`: a count and its noun, in the singular for one. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/**
 * The tasks 0 … tasks − 1 that `resolved` lacks: how many, and the first `most` of them, in
 * order. Without building the whole list: a header may claim any number of tasks, and the
 * scan stops after the resolved ones and `most` missing ones.
 */
export function missingTasks(
  tasks: number,
  resolved: { has(task: number): boolean; keys(): Iterable<number> },
  most = 5,
): { count: number; first: number[] } {
  let inRange = 0;
  for (const task of resolved.keys())
    if (Number.isInteger(task) && task >= 0 && task < tasks) inRange++;
  const first: number[] = [];
  for (let task = 0; task < tasks && first.length < most; task++) {
    if (!resolved.has(task)) first.push(task);
  }
  return { count: Math.max(0, tasks - inRange), first };
}

/** `3`, `3 and 5`, `3, 5 and 8`; the first `most` then `and N more`, so a list stays one line. */
export function list(items: readonly (number | string)[], most = 5, total = items.length): string {
  const shown = items.slice(0, most).map(String);
  const rest = total - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

/**
 * A text of several lines made one line, for a message that quotes it: each line trimmed,
 * a list's `- ` dropped, lines joined by `; ` (by a space after a line that ends with a
 * colon). "3 processes wait:\n  - a\n  - b" becomes "3 processes wait: a; b".
 */
export function oneLine(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((line) => line.trim().replace(/^- +/, ''))
    .filter((line) => line !== '');
  let out = '';
  for (const line of lines) {
    out += out === '' ? line : `${out.endsWith(':') ? ' ' : '; '}${line}`;
  }
  return out;
}

/** `a` or `an` before a word, by its first letter: "an idle record", "a spawn record". */
export function article(word: string): string {
  return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
