/**
 * The shape of a spec problem and how it is printed: shared by the parser, the CLI and the HTTP envelope.
 */

/** One problem with a spec: the field path (`restore.DBClusterIdentifier`, `instances[1].DBInstanceClass`). */
export interface SpecIssue {
  /** Dotted path of the field; `''` means the spec as a whole. */
  path: string;
  message: string;
}

/** Renders issues one per line as `path: message`. */
export function formatSpecIssues(issues: readonly SpecIssue[]): string {
  return issues.map((issue) => `${issue.path || '(spec)'}: ${issue.message}`).join('\n');
}

/** Formats a zod path as `restore.Tags[0].Key`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
