/**
 * Exit codes of the CLI: scripts branch on them, so they are API.
 */

/** 0 success, 1 failure (or findings with errors), 2 usage or invalid spec, 3 cancelled or terminated. */
export const ExitCodes = {
  ok: 0,
  failed: 1,
  usage: 2,
  cancelled: 3,
} as const;

/** One exit code. */
export type ExitCode = (typeof ExitCodes)[keyof typeof ExitCodes];

/** The command line was wrong (bad option value, invalid spec): exit 2, nothing started. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

/** A command finished and wants this exit code without printing an error (e.g. validation findings). */
export class ExitRequest extends Error {
  override readonly name = 'ExitRequest';
  constructor(readonly code: ExitCode) {
    super(`exit ${code}`);
  }
}

/** The exit code that tells how a migration ended, from its Temporal execution status. */
export function exitCodeForStatus(status: string): ExitCode {
  if (status === 'COMPLETED') return ExitCodes.ok;
  if (status === 'CANCELLED' || status === 'TERMINATED') return ExitCodes.cancelled;
  return ExitCodes.failed;
}
