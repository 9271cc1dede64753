/**
 * Our strategy: the real `migrateToAurora` workflow on the real worker, started through the client library
 * (`startMigration`), polling with `options.pollInterval`/`maxPollInterval`, optionally woken early by RDS events.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { startMigration } from '../../client/temporal';
import { configFor, type BenchStack } from '../lib/bench-stack';
import { benchSpec, type BackupLocation, type BenchPolling } from '../lib/migration-spec';
import type { TimeScale } from '../lib/settings';
import type { WatchOutcome } from './types';

/** Starts one migration of `clusterId` on `taskQueue` (from `backup`, the shared one by default); returns its ID. */
export async function startOurs(
  stack: BenchStack,
  taskQueue: string,
  clusterId: string,
  scale: TimeScale,
  polling: BenchPolling = {},
  backup: BackupLocation = stack.backup,
) {
  const spec = benchSpec(clusterId, backup, scale, polling);
  return (await startMigration(stack.client, configFor(stack, taskQueue), spec)).workflowId;
}

/** Waits for the migration to close; `endedAt` is the run's close time as Temporal recorded it. */
export async function awaitOurs(stack: BenchStack, workflowId: string): Promise<WatchOutcome> {
  const handle = stack.client.workflow.getHandle(workflowId);
  let result: WatchOutcome['result'] = 'available';
  let reason = 'completed';
  try {
    await handle.result();
  } catch (err) {
    result = 'failed';
    const cause = err instanceof WorkflowFailedError ? err.cause : err;
    reason = `${(cause as Error)?.name ?? 'Error'}: ${(cause as Error)?.message ?? String(cause)}`;
  }
  const description = await handle.describe();
  return { result, reason, endedAt: description.closeTime?.getTime() ?? Date.now(), polls: 0 };
}

/** Events in the workflow's history (all of them, the run being closed). */
export async function historyEventCount(stack: BenchStack, workflowId: string): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events?.length ?? 0;
}

/** Events of one type in the workflow's history, e.g. `EVENT_TYPE_WORKFLOW_TASK_FAILED`. */
export async function historyEventsOfType(stack: BenchStack, workflowId: string, types: number[]): Promise<number> {
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).filter((e) => types.includes(Number(e.eventType))).length;
}
