/**
 * Picking one strategy of a scenario from the command line (`run --strategy`): by its full
 * label, by its number (1 for the first, as the tables list them), or by a prefix of its
 * label that only it has (`batch` for `batch(k=10,timeout=15m)`). A prefix shared by
 * several lists them; no match lists every label with its number.
 */
import { ScenarioError } from './errors.js';
import type { Scenario } from './parse.js';
import { closestMatch } from './suggest.js';

type Chosen = Scenario['strategies'][number];

/** `1: "blocking", 2: "batch(k=10)"`: labels with their numbers, for messages. */
export function numbered(scenario: Scenario, indices?: readonly number[]): string {
  const all = indices ?? scenario.strategies.map((_, i) => i);
  return all.map((i) => `${i + 1}: "${scenario.strategies[i]!.label}"`).join(', ');
}

/**
 * The strategy `text` designates: its label, its 1-based number, or a unique prefix of its
 * label (case-sensitive first, then ignoring case). Throws a ScenarioError naming the labels
 * when none or several match. `option` names the option in messages.
 */
export function chooseStrategy(scenario: Scenario, text: string, option = '--strategy'): Chosen {
  const { strategies, source } = scenario;
  const fail = (message: string): never => {
    throw new ScenarioError(source, [{ path: '', message }]);
  };
  const exact = strategies.find((s) => s.label === text);
  if (exact !== undefined) return exact;
  // An empty value (an unset variable in a script) would be a prefix of every label.
  if (text.trim() === '') {
    return fail(`${option} is empty; give a label or a number: ${numbered(scenario)}.`);
  }

  if (/^\d+$/.test(text.trim())) {
    const n = Number(text.trim());
    const chosen = strategies[n - 1];
    if (n >= 1 && chosen !== undefined) return chosen;
    return fail(
      `${option} ${text}: there ${strategies.length === 1 ? 'is 1 strategy' : `are ${strategies.length} strategies`}, numbered from 1; give a number from 1 to ${strategies.length} or a label: ${numbered(scenario)}.`,
    );
  }

  for (const fold of [(s: string) => s, (s: string) => s.toLowerCase()]) {
    const prefix = fold(text);
    const matches = strategies.flatMap((s, i) => (fold(s.label).startsWith(prefix) ? [i] : []));
    if (matches.length === 1) return strategies[matches[0]!]!;
    if (matches.length > 1) {
      return fail(
        `${option} "${text}" matches ${matches.length} strategies: ${numbered(scenario, matches)}; give more of the label, or its number.`,
      );
    }
  }

  // A slip in a label, or in the start of one (`bath` for `batch(k=10)`).
  const labels = strategies.map((s) => s.label);
  const starts = labels.map((l) => l.slice(0, text.length));
  const nearStart = closestMatch(text, starts);
  const near =
    closestMatch(text, labels) ??
    (nearStart === undefined ? undefined : labels[starts.indexOf(nearStart)]);
  return fail(
    `no strategy is labelled "${text}".${near ? ` Did you mean "${near}"?` : ''} Give a label, a prefix of one, or a number: ${numbered(scenario)}.`,
  );
}
