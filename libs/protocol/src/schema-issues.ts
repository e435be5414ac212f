/** What `describeIssues` reads of a zod error's issues (zod's own type has more). */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The `invalid_payload` message for a payload its schema refused: one `field: problem` per issue, `; ` between
 * them, and `whole` naming the field when the issue is about the payload itself (e.g. `payload: expected an object`).
 */
export function describeIssues(issues: readonly SchemaIssue[], whole: string): string {
  return issues.map((issue) => `${issue.path.map(String).join('.') || whole}: ${issue.message}`).join('; ');
}
