/**
 * Status checks for Temporal's "infrequent polling" pattern: each call reads the status once and either
 * returns (available), fails non-retryably (a terminal status, or the resource vanished), or fails with a
 * benign retryable NotReady failure so that the activity's retry policy schedules the next read. Between reads
 * no worker slot is held and no history event is written.
 *
 * Each status change is sent to the workflow as a signal (one per change, never one per poll): the worker's
 * StatusMemory remembers what it last reported.
 */
import type { DBCluster, DBInstance } from '@aws-sdk/client-rds';
import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { ClusterSummary, InstanceSummary, RestoreEstimate, StatusObservedSignal } from '../../workflows/types';
import { classifyAwsError } from '../aws-errors';
import { nextPollDelay } from './poll-delay';
import { predictRestore } from './restore-eta';
import type { ProgressAnchors } from './progress-anchors';
import type { RestoreThroughput } from './restore-throughput';
import { AVAILABLE, TERMINAL_CLUSTER_STATUSES, TERMINAL_INSTANCE_STATUSES } from './statuses';
import type { StatusBatcher } from './status-batcher';
import type { StatusMemory } from './status-memory';
import { summarizeCluster, summarizeInstance } from './summaries';
import type { CheckStatusInput } from './types';

/** Sends a status change to the migration's workflow. */
export type StatusReporter = (workflowId: string, observed: StatusObservedSignal) => Promise<void>;

/** The worker's coalescing readers: concurrent checks share one Describe call per 100 resources. */
export interface StatusReaders {
  clusters: StatusBatcher<DBCluster>;
  instances: StatusBatcher<DBInstance>;
}

/** Where status changes go, the memory that keeps them to one signal per change, and the ETA's model. */
export interface StatusReporting {
  report?: StatusReporter;
  memory: StatusMemory;
  throughput: RestoreThroughput;
  /** The first usable PercentProgress of each restore this worker reads, to measure its rate from. */
  anchors: ProgressAnchors;
  /** Uniform in [0, 1): the poll jitter's source. */
  random?: () => number;
}

/**
 * How long after the first check a missing resource is still taken for RDS's eventual consistency rather than
 * a deletion.
 */
const NOT_FOUND_GRACE_MS = 60_000;

interface Observed {
  status: string;
  percentProgress?: string;
  eta?: RestoreEstimate;
}

/** One read of a resource: its status, and its summary for when it is available. */
interface Reading<S> extends Observed {
  summary(): S;
}

/** What differs between waiting for a cluster and waiting for an instance. */
interface ResourceKind<S> {
  kind: 'cluster' | 'instance';
  /** Reads the resource once; undefined when RDS says it does not exist. */
  read(readers: StatusReaders, id: string): Promise<Reading<S> | undefined>;
  terminal: ReadonlySet<string>;
  failedType: string;
  notReadyType: string;
}

const CLUSTER: ResourceKind<ClusterSummary> = {
  kind: 'cluster',
  async read(readers, id) {
    try {
      const cluster = await readers.clusters.read(id);
      return (
        cluster && {
          status: cluster.Status ?? 'unknown',
          percentProgress: cluster.PercentProgress,
          summary: () => summarizeCluster(cluster),
        }
      );
    } catch (err) {
      throw classifyAwsError(err, { operation: `DescribeDBClusters for ${id}` });
    }
  },
  terminal: TERMINAL_CLUSTER_STATUSES,
  failedType: FailureTypes.ClusterFailed,
  notReadyType: FailureTypes.ClusterNotReady,
};

const INSTANCE: ResourceKind<InstanceSummary> = {
  kind: 'instance',
  async read(readers, id) {
    try {
      const instance = await readers.instances.read(id);
      return instance && { status: instance.DBInstanceStatus ?? 'unknown', summary: () => summarizeInstance(instance) };
    } catch (err) {
      throw classifyAwsError(err, { operation: `DescribeDBInstances for ${id}` });
    }
  },
  terminal: TERMINAL_INSTANCE_STATUSES,
  failedType: FailureTypes.InstanceFailed,
  notReadyType: FailureTypes.InstanceNotReady,
};

/** Reads the cluster once: returns when available, else fails benignly or terminally. */
export function checkClusterAvailable(
  readers: StatusReaders,
  reporting: StatusReporting,
  input: CheckStatusInput,
): Promise<ClusterSummary> {
  return checkAvailable(CLUSTER, readers, reporting, input);
}

/** Reads one instance once: returns when available, else fails benignly or terminally. */
export function checkInstanceAvailable(
  readers: StatusReaders,
  reporting: StatusReporting,
  input: CheckStatusInput,
): Promise<InstanceSummary> {
  return checkAvailable(INSTANCE, readers, reporting, input);
}

async function checkAvailable<S>(
  resource: ResourceKind<S>,
  readers: StatusReaders,
  reporting: StatusReporting,
  input: CheckStatusInput,
): Promise<S> {
  const { kind } = resource;
  const reading = await resource.read(readers, input.id);
  if (!reading) throw vanished(resource, input.id);
  const { status, percentProgress } = reading;
  const nowMs = Date.now();
  const eta = status === AVAILABLE ? undefined : await estimate(reporting, input, percentProgress, nowMs);
  await noteStatus(reporting, input, kind, { status, percentProgress, eta });
  if (status === AVAILABLE || resource.terminal.has(status))
    reporting.anchors.forget(`${input.workflowId}/${input.id}`);
  if (status === AVAILABLE) {
    if (input.restore) {
      const ms = nowMs - Date.parse(input.restore.startedAt);
      reporting.throughput.record({ bytes: input.restore.backupBytes, ms, id: input.workflowId });
    }
    return reading.summary();
  }
  if (resource.terminal.has(status)) {
    throw ApplicationFailure.create({
      type: resource.failedType,
      nonRetryable: true,
      message: `DB ${kind} ${input.id} reached status ${status}`,
      details: [{ id: input.id, status }],
    });
  }
  throw notReady(resource.notReadyType, kind, input.id, status, pollDelay(reporting, input, eta, nowMs));
}

async function estimate(
  reporting: StatusReporting,
  input: CheckStatusInput,
  percentProgress: string | undefined,
  nowMs: number,
): Promise<RestoreEstimate | undefined> {
  if (!input.restore) return undefined;
  const model = await reporting.throughput.model(nowMs);
  const startedAtMs = Date.parse(input.restore.startedAt);
  const anchor = reporting.anchors.note(`${input.workflowId}/${input.id}`, percentProgress, nowMs);
  return predictRestore({ startedAtMs, nowMs, backupBytes: input.restore.backupBytes, percentProgress, anchor, model });
}

function pollDelay(
  reporting: StatusReporting,
  input: CheckStatusInput,
  eta: RestoreEstimate | undefined,
  nowMs: number,
): number | undefined {
  if (!input.polling) return undefined;
  return nextPollDelay({
    minMs: input.polling.minMs,
    maxMs: input.polling.maxMs,
    nowMs,
    expectedAtMs: eta ? Date.parse(eta.expectedAt) : undefined,
    deadlineMs: input.polling.deadlineAt ? Date.parse(input.polling.deadlineAt) : undefined,
    random: reporting.random ?? Math.random,
  });
}

/**
 * Signals the workflow when the status differs from the one last reported. PercentProgress counts only in steps
 * of ten, so a long restore adds at most ten signals, not one per poll.
 */
async function noteStatus(
  { report, memory }: StatusReporting,
  input: CheckStatusInput,
  kind: 'cluster' | 'instance',
  observed: Observed,
): Promise<void> {
  heartbeat(observed);
  const key = `${input.workflowId}/${kind}/${input.id}`;
  const changed = memory.changed(key, {
    status: observed.status,
    progressStep: progressStep(observed.percentProgress),
    expectedAtMs: observed.eta ? Date.parse(observed.eta.expectedAt) : undefined,
  });
  if (observed.status === AVAILABLE) memory.forget(key);
  if (changed && report) {
    await report(input.workflowId, { kind, id: input.id, ...observed, at: new Date().toISOString() });
  }
}

function progressStep(percent: string | undefined): number | undefined {
  const value = Number(percent);
  return percent === undefined || !Number.isFinite(value) ? undefined : Math.floor(value / 10);
}

/**
 * BENIGN: a not-yet-available resource is the expected case, logged at DEBUG and kept out of failure metrics.
 * `delayMs` becomes the failure's nextRetryDelay: the next read's time, chosen here rather than by a fixed policy.
 */
function notReady(type: string, kind: string, id: string, status: string, delayMs?: number): ApplicationFailure {
  const when = delayMs === undefined ? 'at the next poll' : `in ${Math.round(delayMs / 1000)} s`;
  return ApplicationFailure.create({
    type,
    category: ApplicationFailureCategory.BENIGN,
    message: `DB ${kind} ${id} is ${status}; checking again ${when}`,
    details: [{ id, status }],
    nextRetryDelay: delayMs,
  });
}

function vanished({ kind, notReadyType }: ResourceKind<unknown>, id: string): ApplicationFailure {
  const elapsed = Date.now() - activityInfo().scheduledTimestampMs;
  if (elapsed < NOT_FOUND_GRACE_MS) return notReady(notReadyType, kind, id, 'not visible yet');
  return ApplicationFailure.create({
    type: FailureTypes.ResourceDisappeared,
    nonRetryable: true,
    message: `DB ${kind} ${id} no longer exists: it was deleted while the migration waited for it`,
    details: [{ id, kind }],
  });
}
