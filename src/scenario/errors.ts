/**
 * Errors in scenario files, for people: each names the file, the field path
 * (`subagents.latency.sigma`), what is wrong and what would be right.
 */

export interface ScenarioIssue {
  /** Field path such as `strategies[1].wip`; empty for the file as a whole. */
  readonly path: string;
  readonly message: string;
}

/** Bad input: the CLI prints the message (no stack) and exits with code 2. */
export class ScenarioError extends Error {
  override name = 'ScenarioError';
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(formatIssues(file, issues));
  }
}

const shownIssues = 8;

function formatIssues(file: string, issues: readonly ScenarioIssue[]): string {
  const line = (i: ScenarioIssue) => (i.path ? `${i.path}: ${i.message}` : i.message);
  if (issues.length === 1) return `${file}: ${line(issues[0]!)}`;
  const listed = issues.slice(0, shownIssues).map((i) => `  - ${line(i)}`);
  if (issues.length > shownIssues) listed.push(`  - ... and ${issues.length - shownIssues} more`);
  return `${file}: ${issues.length} problems:\n${listed.join('\n')}`;
}

/** `['strategies', 1, 'wip']` → `strategies[1].wip`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
