/**
 * Errors of the client library, the CLI and the HTTP service: small named classes with readonly context, so
 * that callers match on the class (or `name`) and map it to an exit code or an HTTP status.
 */
import type { SpecIssue } from './spec/issue';

/** The spec failed validation: nothing was started. */
export class InvalidSpecError extends Error {
  override readonly name: string = 'InvalidSpecError';
  constructor(readonly issues: SpecIssue[]) {
    super(`the migration spec is invalid: ${issues.map((i) => `${i.path || '(spec)'}: ${i.message}`).join('; ')}`);
  }
}

/**
 * The spec carries `restore.MasterUserPassword` but no payload codec is configured: Temporal would store the
 * password in clear in the workflow's history, so nothing was started. An InvalidSpecError, so the CLI exits 2
 * and the HTTP service answers 400 VALIDATION_ERROR with the field's path.
 */
export class PlaintextPasswordError extends InvalidSpecError {
  override readonly name = 'PlaintextPasswordError';
  constructor() {
    super([
      {
        path: 'restore.MasterUserPassword',
        message:
          'a plaintext password would be stored unencrypted in Temporal history because AURORA_MIGRATE_CODEC_KEYS is not configured: put it in Secrets Manager and give MasterUserPasswordSecretArn instead (read by the worker, never in history), or use ManageMasterUserPassword: true, or set AURORA_MIGRATE_CODEC_KEYS on every worker and client',
      },
    ]);
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
