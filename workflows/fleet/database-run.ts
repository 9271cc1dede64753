/**
 * One database of a fleet: started as a child `migrateToAurora` with the workflow ID a lone start would use, or,
 * when a migration with that ID already exists (started by hand, by an earlier run of the fleet, or still running
 * after this fleet continued as new), adopted and watched until it ends. Workflow code only.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  ChildWorkflowFailure,
  isCancellation,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  TerminatedFailure,
  TimeoutFailure,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/common';
import type { createActivities } from '../../activities';
import { FailureTypes } from '../errors';
import { migrationWorkflowId, SearchAttributeKeys, WORKFLOW_TYPE } from '../ids';
import type { MigrationInput, MigrationResult } from '../types';
import type { DatabaseOutcome, FleetDatabase } from './types';

type Activities = ReturnType<typeof createActivities>;

/** The fleet's view of a database while it runs. */
export interface RunningDatabase {
  /** True once the child's start is confirmed or the migration was found existing (safe to continue as new). */
  settled: boolean;
  adopted: boolean;
}

/** The workflow ID of a database's migration (the one `aurora-migrate start` would use). */
export function databaseWorkflowId(db: FleetDatabase): string {
  return migrationWorkflowId(db.spec.region, db.spec.restore.DBClusterIdentifier);
}

/**
 * Starts (or adopts) the migration of `db` and resolves with its outcome; never rejects, so the fleet's loop
 * only ever counts outcomes. `view` is updated as the start settles.
 */
export async function runDatabase(
  db: FleetDatabase,
  view: RunningDatabase,
  adoptedPollMs: number,
): Promise<DatabaseOutcome> {
  const workflowId = databaseWorkflowId(db);
  let handle;
  try {
    handle = await startChild<(input: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
      workflowId,
      args: [db.spec],
      // The migration outlives this run: continue-as-new (or a terminated fleet) must not end it. The next run
      // adopts it by its ID; cancelling the fleet cancels it explicitly.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // A failed or cancelled migration is retried by a re-run fleet; a completed one is adopted, not redone.
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: searchAttributes(db.spec),
      memo: { specHash: db.specHash, startToken: `fleet:${workflowInfo().workflowId}` },
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      view.settled = true;
      return outcomeOf(workflowId, false, err);
    }
    return adopt(workflowId, view, adoptedPollMs, db.specHash);
  }
  view.settled = true;
  try {
    await handle.result();
    return { workflowId, status: 'completed', adopted: false, closedAt: now() };
  } catch (err) {
    return outcomeOf(workflowId, false, err);
  }
}

/**
 * Watches a migration this run did not start until it ends; the activity's retry policy is the poll. One that
 * carries another spec's hash is reported as a conflict, not adopted.
 */
export async function adopt(
  workflowId: string,
  view: RunningDatabase,
  pollMs: number,
  specHash?: string,
): Promise<DatabaseOutcome> {
  view.adopted = true;
  view.settled = true;
  const watch = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    summary: `watch adopted migration ${workflowId}`,
    retry: {
      initialInterval: pollMs,
      backoffCoefficient: 1,
      maximumInterval: pollMs,
      nonRetryableErrorTypes: [FailureTypes.InvalidInput],
    },
  });
  try {
    const found = await watch.migrationOutcome({ workflowId, specHash });
    return { workflowId, adopted: true, closedAt: now(), ...found };
  } catch (err) {
    return outcomeOf(workflowId, true, err);
  }
}

/** Classifies how a child (or the watch of an adopted migration) ended. */
function outcomeOf(workflowId: string, adopted: boolean, err: unknown): DatabaseOutcome {
  const base = { workflowId, adopted, closedAt: now() };
  if (isCancellation(err)) return { ...base, status: 'cancelled', reason: 'cancelled' };
  const cause = err instanceof ChildWorkflowFailure || err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    return { ...base, status: 'failed', failureType: cause.type ?? undefined, reason: cause.message };
  }
  if (cause instanceof TerminatedFailure)
    return { ...base, status: 'failed', failureType: 'Terminated', reason: 'terminated' };
  if (cause instanceof TimeoutFailure)
    return { ...base, status: 'failed', failureType: 'Timeout', reason: 'timed out' };
  return { ...base, status: 'failed', reason: cause instanceof Error ? cause.message : String(cause) };
}

/** The search attributes a lone start sets (`client/temporal.ts`), so `list` shows fleet members alike. */
function searchAttributes(spec: MigrationInput) {
  return [
    { key: SearchAttributeKeys.step, value: 'validating' },
    { key: SearchAttributeKeys.clusterId, value: spec.restore.DBClusterIdentifier.toLowerCase() },
    { key: SearchAttributeKeys.sourceBucket, value: spec.restore.S3BucketName },
    { key: SearchAttributeKeys.region, value: spec.region },
    { key: SearchAttributeKeys.instanceIds, value: spec.instances.map((i) => i.DBInstanceIdentifier.toLowerCase()) },
  ];
}

function now(): string {
  return new Date(Date.now()).toISOString();
}
