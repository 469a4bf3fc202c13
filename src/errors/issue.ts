/** One validation problem, shaped like zod's issues so users meet one format everywhere. */
export interface Issue {
  /** Location of the problem: field names and array indexes from the root of the value. */
  readonly path: readonly (string | number)[];
  /** Machine-readable kind of problem (`invalid_type`, `too_small`, `unrecognized_keys`, ...). */
  readonly code: string;
  /** Human-readable explanation that says what was expected. */
  readonly message: string;
}

/** Renders issues as `path: message` lines, for error messages and model feedback. */
export function formatIssues(issues: readonly Issue[]): string {
  return issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
}
