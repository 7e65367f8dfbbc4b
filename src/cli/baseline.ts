/**
 * `--baseline` names a strategy the way `run --strategy` does: its full label, a prefix
 * only that label has, or its number counting from 1 (chooseStrategy), so the two options
 * read alike. The experiment gets the full label.
 */
import type { Scenario } from '../scenario/parse.js';
import { chooseStrategy } from '../scenario/strategy-choice.js';

export function baselineLabel(scenario: Scenario, text: string | undefined): string | undefined {
  return text === undefined ? undefined : chooseStrategy(scenario, text, '--baseline').label;
}
