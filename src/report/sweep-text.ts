/**
 * The sentences and cells a sweep is read by, shared by `dispatchlab sweep`'s text and the
 * sweep report, so that the terminal and the report say the same thing in the same words:
 * the rule a winner meets, what a point's winner cell shows, and where the clear winner
 * changes (the race); the rule the verdict follows, what a point's adopt cell shows, and
 * where the answer flips (the rules themselves: src/experiment/sweep.ts).
 */
import { formatMargin } from '../experiment/margin.js';
import type { AnswerFlip, SweepDocument, SweepPoint, WinnerChange } from '../experiment/sweep.js';
import { gridStride, type VaryValue } from '../experiment/vary.js';

/**
 * A name per strategy, by its position in the scenario's list: its label, or, where a
 * varied field changes the label from point to point, its kind (or module) and position.
 * Strategies are told apart by position because a varied field may change a label.
 */
export function strategyNames(doc: SweepDocument): string[] {
  const first = doc.points[0]?.results.strategies ?? [];
  return first.map((s, i) =>
    doc.points.every((p) => p.results.strategies[i]?.label === s.label)
      ? s.label
      : `${'module' in s.config ? s.config.module : 'orchestrator' in s.config ? s.config.orchestrator : s.config.kind} #${i + 1} (label varies)`,
  );
}

/** What the winner column shows for a point. */
export function winnerCell(p: SweepPoint): string {
  if (p.lead === 'tie') return `tie: ${p.tied.join(' ≈ ')}`;
  if (p.winner === null) return '—';
  return p.lead === null ? `${p.winner} (unopposed)` : p.winner;
}

/** The rule a winner meets, in a sentence. */
export function ruleText(doc: SweepDocument): string {
  const { margin } = doc.winnerBy;
  const leads =
    margin === 0
      ? 'leads every other strategy significantly (its paired 95% CI excludes 0; --margin 0)'
      : `leads every other strategy by more than ${formatMargin(margin)} of that strategy's mean across the whole paired 95% CI`;
  return `A winner completed every run, has the best mean, and ${leads}; where the best mean's lead is less clear, the point is a tie (≈).`;
}

/** "a", "a and b", "a, b and c". */
function joinList(items: readonly string[]): string {
  return items.length <= 1
    ? (items[0] ?? '')
    : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;
}

/** The other varies' values on a change's line of the grid: `a=1, b=2` (empty with one vary). */
export function atText(at: WinnerChange['at']): string {
  return Object.entries(at)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
}

/** One line per change of clear winner; the other varies' values and any points without a winner in between in parentheses. */
function changeLine(doc: SweepDocument, c: WinnerChange): string {
  const d = doc.vary.findIndex((v) => v.path === c.along);
  const stride = gridStride(doc.vary, d);
  const passed: VaryValue[] = [];
  for (let i = c.from + stride; i < c.to; i += stride) passed.push(doc.points[i]!.values[c.along]!);
  const notes: string[] = [];
  const at = atText(c.at);
  if (at !== '') notes.push(`at ${at}`);
  if (passed.length > 0) {
    const where =
      passed.length > 4 ? `the ${passed.length} values in between` : joinList(passed.map(String));
    notes.push(`no clear winner at ${where}`);
  }
  const context = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `The winner changes along ${c.along} between ${String(c.between[0])} and ${String(c.between[1])}${context}: ${c.before} → ${c.after}.`;
}

/** When no change is printed: what the winners are, never suggesting a tie is a win. */
function noChangeLine(doc: SweepDocument, labels: readonly string[]): string {
  const wins = new Map<number, number>();
  for (const p of doc.points) {
    if (p.winner === null) continue;
    const i = p.results.strategies.findIndex((s) => s.label === p.winner);
    wins.set(i, (wins.get(i) ?? 0) + 1);
  }
  const total = doc.points.length;
  if (wins.size === 0) return 'No point has a clear winner.';
  const [only] = [...wins.keys()];
  if (wins.size === 1) {
    const n = wins.get(only!)!;
    return n === total
      ? `The winner is the same at every point: ${labels[only!]}.`
      : `${labels[only!]} wins at every point that has a clear winner (${n} of ${total}); the others have none.`;
  }
  const list = [...wins].map(([i, n]) => `${labels[i]} (${n} ${n === 1 ? 'point' : 'points'})`);
  return `The clear winners are ${joinList(list)}, but no line of the grid holds two different clear winners (they differ in more than one varied value); see the table.`;
}

/**
 * Where the clear winner changes, a sentence each; or, when it never does, one sentence
 * saying what the winners are. `labels` are strategyNames(doc).
 */
export function changesText(doc: SweepDocument, labels: readonly string[]): string[] {
  // Distinct changes give distinct lines (each names its line of the grid); the set is a
  // guard against a vary listing a value twice.
  const lines = new Set(doc.changes.map((c) => changeLine(doc, c)));
  return lines.size === 0 ? [noChangeLine(doc, labels)] : [...lines];
}

/** What the adopt column shows for a point: the verdict's recommendation. */
export function adoptCell(p: SweepPoint): string {
  return p.verdict.recommended ?? 'nothing safe';
}

/** The rule the verdict at each point follows (verdict.ts), in a sentence. */
export function verdictRuleText(doc: SweepDocument): string {
  const { metric, margin, direction } = doc.winnerBy;
  // Every point's verdict reads the metric the same (its usual) way.
  const reads = doc.points[0]!.verdict.direction;
  const beyond =
    margin === 0
      ? 'lies wholly on the better side of 0 (--margin 0)'
      : `lies beyond ${formatMargin(margin)} of the reference's mean on the better side`;
  const side =
    reads === direction
      ? `${reads} ${metric} is better`
      : `${reads} ${metric} is better, as compare reads it; --direction ranks the winners only`;
  return `The strategy to adopt is the one compare's verdict recommends at the point: unsafe strategies are set aside, the simplest safe one is the reference, and another is recommended only if the whole paired 95% CI of its difference on ${metric} ${beyond} (${side}); a lead over the reference within the margin keeps it.`;
}

/** A strategy's place in the scenario's list, or null for none: how flips tell them apart. */
function recommendedIndex(p: SweepPoint): number | null {
  const label = p.verdict.recommended;
  return label === null ? null : p.results.strategies.findIndex((s) => s.label === label);
}

/**
 * Where along a line of the grid the recommendation at `point` holds: its run of
 * neighbours with the same recommendation, `step` (−1 or +1) being the way to walk from
 * it. "at 3", "at 1 and 3", "from 0 to 3", the values in the line's order.
 */
function runText(doc: SweepDocument, along: string, point: number, step: -1 | 1): string {
  const d = doc.vary.findIndex((v) => v.path === along);
  const stride = gridStride(doc.vary, d);
  const n = doc.vary[d]!.values.length;
  const same = recommendedIndex(doc.points[point]!);
  const run = [point];
  let position = Math.floor(point / stride) % n;
  for (let i = point + step * stride; ; i += step * stride) {
    position += step;
    if (position < 0 || position >= n || recommendedIndex(doc.points[i]!) !== same) break;
    run.push(i);
  }
  if (step === -1) run.reverse();
  // A vary may list a value twice; each is named once.
  const values = [...new Set(run.map((i) => String(doc.points[i]!.values[along])))];
  if (values.length === 1) return `at ${values[0]}`;
  if (values.length === 2) return `at ${values[0]} and ${values[1]}`;
  return `from ${values[0]} to ${values.at(-1)!}`;
}

/** One sentence per flip: where, and what to adopt on either side. */
function flipLine(doc: SweepDocument, f: AnswerFlip): string {
  const adopt = (label: string | null, where: string) =>
    label === null ? `nothing ${where} (no strategy is safe there)` : `${label} ${where}`;
  const at = atText(f.at);
  const line = at === '' ? f.along : `${f.along} at ${at}`;
  const before = adopt(f.before, runText(doc, f.along, f.from, -1));
  const after = adopt(f.after, runText(doc, f.along, f.to, 1));
  return `Along ${line}, the answer flips between ${String(f.between[0])} and ${String(f.between[1])}: adopt ${before}, ${after}.`;
}

/** When no flip is printed: what the verdict recommends, everywhere. */
function noFlipLine(doc: SweepDocument, labels: readonly string[]): string {
  const recommended = new Set(doc.points.map(recommendedIndex));
  const [only] = [...recommended];
  if (recommended.size === 1) {
    return only === null
      ? 'No strategy is safe at any point: the verdict recommends nothing.'
      : `The verdict recommends ${labels[only!]} at every point.`;
  }
  // Not reached from a sweep: on a grid every two points are joined by lines, so
  // recommendations that differ flip somewhere. Said plainly for a document built otherwise.
  const names = [...recommended].map((i) => (i === null ? 'nothing safe' : labels[i]!));
  return `The verdict recommends ${joinList(names)} at different points; see the table.`;
}

/**
 * Where the verdict's recommendation flips, a sentence each; or, when it never does, one
 * sentence saying what it recommends. `labels` are strategyNames(doc).
 */
export function flipsText(doc: SweepDocument, labels: readonly string[]): string[] {
  // As for changes: the set guards against a vary listing a value twice.
  const lines = new Set(doc.flips.map((f) => flipLine(doc, f)));
  return lines.size === 0 ? [noFlipLine(doc, labels)] : [...lines];
}
