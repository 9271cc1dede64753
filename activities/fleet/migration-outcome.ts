/**
 * How an adopted migration (one the fleet did not start as its child) ended, read from Temporal. While it runs
 * the activity fails with the benign `MigrationStillRunning`, so its retry policy is the poll: no history grows
 * per check and no worker slot is held between checks.
 */
import { ApplicationFailure } from '@temporalio/common';
import { type Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { FailureTypes } from '../../workflows/errors';
import type { DatabaseStatus } from '../../workflows/fleet/types';

/** Input of `migrationOutcome`. */
export interface MigrationOutcomeInput {
  workflowId: string;
  /**
   * The spec hash the fleet expects (`specHash`). A migration recorded with another one (its memo) belongs to a
   * different spec: it is reported as a `ResourceConflict` failure, not adopted. One without a hash is adopted.
   */
  specHash?: string;
}

/** Result of `migrationOutcome`. */
export interface MigrationOutcomeResult {
  status: DatabaseStatus;
  failureType?: string;
  reason?: string;
}

/** Reads the migration's latest run: its outcome once closed, `MigrationStillRunning` while it runs. */
export async function migrationOutcome(
  client: Client | undefined,
  input: MigrationOutcomeInput,
): Promise<MigrationOutcomeResult> {
  if (!client) {
    throw ApplicationFailure.create({
      type: FailureTypes.InvalidInput,
      nonRetryable: true,
      message: 'this worker has no Temporal client for its activities, so it cannot watch adopted migrations',
    });
  }
  const handle = client.workflow.getHandle(input.workflowId);
  let status: string;
  let recordedHash: string | undefined;
  try {
    const description = await handle.describe();
    status = description.status.name;
    recordedHash = (description.memo as { specHash?: unknown } | undefined)?.specHash as string | undefined;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
    return { status: 'failed', failureType: 'NotFound', reason: `no migration ${input.workflowId} exists any more` };
  }
  if (input.specHash && recordedHash && recordedHash !== input.specHash) {
    return {
      status: 'failed',
      failureType: FailureTypes.ResourceConflict,
      reason:
        `${input.workflowId} already exists with a different spec than the manifest's (${status.toLowerCase()}): ` +
        'cancel or finish it, or give this database another DBClusterIdentifier',
    };
  }
  switch (status) {
    case 'RUNNING':
    case 'CONTINUED_AS_NEW':
      throw ApplicationFailure.create({
        type: FailureTypes.MigrationStillRunning,
        message: `migration ${input.workflowId} is still running`,
      });
    case 'COMPLETED':
      return { status: 'completed' };
    case 'CANCELED':
    case 'CANCELLED':
      return { status: 'cancelled', reason: 'cancelled' };
    case 'FAILED':
      return failureOf(handle);
    default:
      return { status: 'failed', failureType: status, reason: `migration ${input.workflowId} was ${status}` };
  }
}

async function failureOf(handle: ReturnType<Client['workflow']['getHandle']>): Promise<MigrationOutcomeResult> {
  try {
    await handle.result();
    return { status: 'completed' };
  } catch (err) {
    const cause = err instanceof WorkflowFailedError ? err.cause : err;
    if (cause instanceof ApplicationFailure)
      return { status: 'failed', failureType: cause.type ?? undefined, reason: cause.message };
    return { status: 'failed', reason: cause instanceof Error ? cause.message : String(cause) };
  }
}
