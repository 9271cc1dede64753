/**
 * `getProgress`: the workflow's `progress` query, merged with what Temporal itself knows (execution status,
 * close time) and the live deep-validation percentage from the validateBackup activity's heartbeat.
 */
import type { Client, WorkflowExecutionDescription, WorkflowExecutionStatusName } from '@temporalio/client';
import { FailureTypes } from '../workflows/errors';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { Messages, SearchAttributeKeys } from '../workflows/ids';
import { type MigrationProgress, type MigrationStep, MigrationSteps } from '../workflows/types';
import { describeOrNotFound } from './temporal';

/** Progress plus the execution's status as Temporal reports it. */
export interface MigrationStatus extends MigrationProgress {
  runId: string;
  /** RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT… */
  status: WorkflowExecutionStatusName;
  /** ISO 8601, when the execution closed. */
  closedAt?: string;
  /** False when no worker answered the query and the fields come from visibility data only. */
  live: boolean;
}

/** Options of `getProgress`. */
export interface ProgressOptions {
  /** How long to wait for a worker to answer the query before falling back, in ms. @default 5000 */
  queryTimeoutMs?: number;
}

/** The activity type whose heartbeat details carry `{ bytesDone, bytesTotal }`. */
const VALIDATE_ACTIVITY = 'validateBackup';

/** Reads a migration's progress; works on running and closed migrations, with or without a live worker. */
export async function getProgress(
  client: Client,
  workflowId: string,
  opts: ProgressOptions = {},
): Promise<MigrationStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeOrNotFound(handle);
  let progress: MigrationProgress | undefined;
  try {
    progress = await client.withDeadline(Date.now() + (opts.queryTimeoutMs ?? 5000), () =>
      handle.query<MigrationProgress>(Messages.progressQuery),
    );
  } catch {
    progress = undefined; // No worker (or an old workflow): fall back to what visibility knows.
  }
  const base = progress ?? fallbackProgress(workflowId, description);
  const percent = await validationPercent(client, description);
  const inFlight = pendingRetries(description);
  return {
    ...base,
    retries: base.retries + inFlight.retries,
    ...((base.lastError ?? inFlight.lastError) ? { lastError: base.lastError ?? inFlight.lastError } : {}),
    ...(percent !== undefined ? { validationPercent: percent } : {}),
    runId: description.runId,
    status: description.status.name,
    ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
    live: progress !== undefined,
  };
}

function fallbackProgress(workflowId: string, description: WorkflowExecutionDescription): MigrationProgress {
  const attributes = description.typedSearchAttributes;
  const recorded = attributes.get(SearchAttributeKeys.step);
  const step: MigrationStep = MigrationSteps.includes(recorded as MigrationStep)
    ? (recorded as MigrationStep)
    : 'validating';
  return {
    workflowId,
    step: closedStep(description.status.name) ?? step,
    startedAt: description.startTime.toISOString(),
    region: attributes.get(SearchAttributeKeys.region) ?? '',
    clusterId: attributes.get(SearchAttributeKeys.clusterId) ?? '',
    instances: {},
    stepDurations: {},
    retries: 0,
  };
}

function closedStep(status: WorkflowExecutionStatusName): MigrationStep | undefined {
  if (status === 'COMPLETED') return 'completed';
  if (status === 'FAILED' || status === 'TIMED_OUT' || status === 'TERMINATED') return 'failed';
  if (status === 'CANCELLED') return 'cancelled';
  return undefined;
}

/** Failure types of the status checks that only mean "not yet": polls, not retries. */
const NOT_READY_TYPES = new Set<string>([FailureTypes.ClusterNotReady, FailureTypes.InstanceNotReady]);

/**
 * Retries of activities still running (a throttled restore, an S3 error during validation), which the workflow
 * learns of only when they finish: from the pending activities' attempt counts and last failures.
 */
function pendingRetries(description: WorkflowExecutionDescription): { retries: number; lastError?: string } {
  let retries = 0;
  let lastError: string | undefined;
  for (const activity of description.raw.pendingActivities ?? []) {
    const failure = activity.lastFailure;
    if (!failure || NOT_READY_TYPES.has(failure.applicationFailureInfo?.type ?? '')) continue;
    retries += Math.max(0, (activity.attempt ?? 1) - 1);
    if (failure.message) lastError = failure.message;
  }
  return { retries, lastError };
}

async function validationPercent(
  client: Client,
  description: WorkflowExecutionDescription,
): Promise<number | undefined> {
  const pending = description.raw.pendingActivities?.find((a) => a.activityType?.name === VALIDATE_ACTIVITY);
  const payloads = pending?.heartbeatDetails?.payloads;
  if (!payloads?.length) return undefined;
  try {
    const [details] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
    const { bytesDone, bytesTotal } = (details ?? {}) as { bytesDone?: unknown; bytesTotal?: unknown };
    if (typeof bytesDone !== 'number' || typeof bytesTotal !== 'number' || bytesTotal <= 0) return undefined;
    return Math.min(100, Math.round((bytesDone / bytesTotal) * 1000) / 10);
  } catch {
    return undefined; // Undecodable details (another codec key): the percentage is a nicety, not a contract.
  }
}
