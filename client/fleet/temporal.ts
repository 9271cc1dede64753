/**
 * The fleet's client library: start a fleet from a manifest, read its progress (the parent's query, enriched
 * with each running migration's step and ETA), list fleets, cancel one. The CLI and HTTP service call these.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Client, WorkflowExecutionStatusName } from '@temporalio/client';
import type { AppConfig } from '../../config/app-config';
import { FLEET_WORKFLOW_TYPE, FleetMessages, fleetWorkflowId } from '../../workflows/fleet/ids';
import type { FleetInput, FleetProgress } from '../../workflows/fleet/types';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress, MigrationStep } from '../../workflows/types';
import { InvalidSpecError, MigrationConflictError, MigrationStateError } from '../errors';
import { describeOrNotFound } from '../temporal';
import { parseManifest } from './manifest';

/** A started (or attached) fleet. */
export interface StartedFleet {
  workflowId: string;
  runId: string;
  /** ISO 8601 start of the fleet. */
  createdAt: string;
  total: number;
  /** True when a running fleet of the same name was returned instead of starting one. */
  attached: boolean;
}

/**
 * Validates `manifest` (nothing starts on any issue: `InvalidSpecError` names each field) and starts the fleet
 * with the workflow ID of its name. A running fleet of that name is returned (`attached`); a closed one is
 * started again, adopting the migrations that already exist.
 */
export async function startFleet(client: Client, config: AppConfig, manifest: unknown): Promise<StartedFleet> {
  const parsed = parseManifest(manifest, {
    defaultRegion: config.aws.region,
    payloadsEncrypted: config.codecKeys.length > 0,
  });
  if (!parsed.ok) throw new InvalidSpecError(parsed.issues);
  const { fleet } = parsed;
  const workflowId = fleetWorkflowId(fleet.name);
  const input: FleetInput = { name: fleet.name, databases: fleet.databases, options: fleet.options };
  // Random per call: tells whether USE_EXISTING started our run or returned a running one.
  const startToken = randomUUID();
  // Identifies the manifest (its specs without passwords, and its options): a running fleet of the same name
  // is returned only when it runs the same manifest.
  const manifestHash = createHash('sha256')
    .update(JSON.stringify([fleet.databases.map((d) => d.specHash), fleet.options]))
    .digest('hex');
  const handle = await client.workflow.start(FLEET_WORKFLOW_TYPE, {
    workflowId,
    taskQueue: config.taskQueue,
    args: [input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `fleet ${fleet.name}: ${fleet.databases.length} databases`,
    memo: { startToken, manifestHash },
  });
  const description = await handle.describe();
  const memo = description.memo as { startToken?: string; manifestHash?: string } | undefined;
  const attached = memo?.startToken !== startToken;
  if (description.type !== FLEET_WORKFLOW_TYPE) {
    throw new MigrationConflictError(workflowId, `${workflowId} is a ${description.type}, not a fleet`);
  }
  if (attached && memo?.manifestHash !== manifestHash) {
    throw new MigrationConflictError(
      workflowId,
      `a fleet named ${fleet.name} is running another manifest (${workflowId}): wait for it, cancel it, or rename this one`,
    );
  }
  return {
    workflowId,
    runId: description.runId,
    createdAt: description.startTime.toISOString(),
    total: fleet.databases.length,
    attached,
  };
}

/** The fleet's progress, its execution status and, per running migration, its step (and ETA when it has one). */
export interface FleetStatus extends FleetProgress {
  status: WorkflowExecutionStatusName;
  /** ISO 8601, once the fleet closed. */
  closedAt?: string;
  /** Running migrations per step, from each one's own `progress` query. */
  steps: Partial<Record<MigrationStep, number>>;
  /**
   * When the fleet is predicted to end (ISO 8601): the latest ETA of the running migrations that report one,
   * plus the rounds still to start at their mean predicted duration. Absent while none reports an ETA.
   */
  eta?: string;
}

/** How long a progress query may wait for a worker, in ms. */
const QUERY_DEADLINE_MS = 5000;

/** Reads a fleet's progress (throws `MigrationNotFoundError` when there is no such fleet). */
export async function getFleetProgress(client: Client, workflowId: string): Promise<FleetStatus> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeOrNotFound(handle);
  if (description.type !== FLEET_WORKFLOW_TYPE) {
    throw new MigrationStateError(workflowId, `${workflowId} is a ${description.type}, not a fleet`);
  }
  const progress = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
    handle.query<FleetProgress>(FleetMessages.progressQuery),
  );
  // A migration that does not answer in time is left out of the step counts, not waited for.
  const children = await Promise.all(
    progress.running.map((id) =>
      client
        .withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
          client.workflow.getHandle(id).query<MigrationProgress>(Messages.progressQuery),
        )
        .catch(() => undefined),
    ),
  );
  const steps: Partial<Record<MigrationStep, number>> = {};
  for (const child of children) if (child) steps[child.step] = (steps[child.step] ?? 0) + 1;
  return {
    ...progress,
    status: description.status.name,
    ...(description.closeTime ? { closedAt: description.closeTime.toISOString() } : {}),
    steps,
    ...fleetEta(progress, children),
  };
}

/**
 * See `FleetStatus.eta`: from the running migrations that report an ETA (those restoring), the latest of them,
 * plus the rounds of `maxInFlight` still to start at the mean predicted duration of those migrations.
 */
function fleetEta(
  progress: FleetProgress,
  children: (Pick<MigrationProgress, 'eta' | 'startedAt'> | undefined)[],
): { eta?: string } {
  const known = children.flatMap((c) => {
    const at = Date.parse(c?.eta?.expectedAt ?? '');
    return Number.isNaN(at) ? [] : [{ at, duration: at - Date.parse(c?.startedAt ?? '') }];
  });
  if (known.length === 0) return {};
  const latest = Math.max(...known.map((k) => k.at));
  if (progress.counts.pending === 0) return { eta: new Date(latest).toISOString() };
  const durations = known.map((k) => k.duration).filter((d) => d > 0);
  if (durations.length === 0) return {};
  const mean = durations.reduce((a, b) => a + b, 0) / durations.length;
  const rounds = Math.ceil(progress.counts.pending / Math.max(1, progress.maxInFlight));
  return { eta: new Date(latest + rounds * mean).toISOString() };
}

/** One fleet in a list. */
export interface FleetListItem {
  workflowId: string;
  status: WorkflowExecutionStatusName;
  /** ISO 8601. */
  startedAt: string;
  closedAt?: string;
}

/** Temporal's execution status codes (`WorkflowExecutionStatus`) by name. */
const STATUS_NAMES: Record<number, WorkflowExecutionStatusName> = {
  1: 'RUNNING',
  2: 'COMPLETED',
  3: 'FAILED',
  4: 'CANCELLED',
  5: 'TERMINATED',
  6: 'CONTINUED_AS_NEW',
  7: 'TIMED_OUT',
};

/**
 * Lists fleets, newest first (at most `limit`). Reads the raw visibility records: a list needs no payload, so a
 * fleet whose memo was encrypted with a key this client lacks (rotated out) is still listed.
 */
export async function listFleets(client: Client, limit = 100): Promise<FleetListItem[]> {
  const items: FleetListItem[] = [];
  const query = `WorkflowType = '${FLEET_WORKFLOW_TYPE}'`;
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      pageSize: Math.min(limit, 1000),
      nextPageToken,
    });
    for (const raw of page.executions ?? []) {
      const closedAt = timestamp(raw.closeTime);
      items.push({
        workflowId: raw.execution?.workflowId ?? '',
        status: STATUS_NAMES[raw.status ?? 0] ?? 'UNKNOWN',
        startedAt: timestamp(raw.startTime) ?? '',
        ...(closedAt ? { closedAt } : {}),
      });
      if (items.length >= limit) return items;
    }
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return items;
}

function timestamp(ts: { seconds?: { toNumber(): number } | number | null; nanos?: number | null } | null | undefined) {
  if (!ts?.seconds) return undefined;
  const seconds = typeof ts.seconds === 'number' ? ts.seconds : ts.seconds.toNumber();
  return new Date(seconds * 1000 + Math.floor((ts.nanos ?? 0) / 1e6)).toISOString();
}

/** Cancels a running fleet: it cancels every running migration, which each apply their failure policy. */
export async function cancelFleet(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeOrNotFound(handle);
  if (description.type !== FLEET_WORKFLOW_TYPE) {
    throw new MigrationStateError(workflowId, `${workflowId} is a ${description.type}, not a fleet`);
  }
  if (description.status.name !== 'RUNNING') {
    throw new MigrationStateError(workflowId, `fleet ${workflowId} is already ${description.status.name}`);
  }
  await handle.cancel();
}
