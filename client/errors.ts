/**
 * Errors of the client library, the CLI and the HTTP service: small named classes with readonly context, so
 * that callers match on the class (or `name`) and map it to an exit code or an HTTP status.
 */
import type { SpecIssue } from './spec/issue';

/** The spec failed validation: nothing was started. */
export class InvalidSpecError extends Error {
  override readonly name = 'InvalidSpecError';
  constructor(readonly issues: SpecIssue[]) {
    super(`the migration spec is invalid: ${issues.map((i) => `${i.path || '(spec)'}: ${i.message}`).join('; ')}`);
  }
}

/** A different migration (or a running one the caller refused to attach to) already owns the cluster. */
export class MigrationConflictError extends Error {
  override readonly name = 'MigrationConflictError';
  constructor(
    readonly workflowId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** No migration has this workflow ID. */
export class MigrationNotFoundError extends Error {
  override readonly name = 'MigrationNotFoundError';
  constructor(
    readonly workflowId: string,
    options?: { cause?: unknown },
  ) {
    super(`no migration with ID ${workflowId}`, options);
  }
}

/** The migration is in a state where the request cannot apply (e.g. approving one that is not waiting). */
export class MigrationStateError extends Error {
  override readonly name = 'MigrationStateError';
  constructor(
    readonly workflowId: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** An RDS event notification could not be understood; `path` names the field (`''`: the body as a whole). */
export class RdsEventParseError extends Error {
  override readonly name = 'RdsEventParseError';
  constructor(
    readonly path: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(path ? `${path}: ${reason}` : reason, options);
  }
}
