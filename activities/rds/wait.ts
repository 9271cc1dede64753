/**
 * Status checks for Temporal's "infrequent polling" pattern: each call reads the status once and either
 * returns (available), fails non-retryably (a terminal status, or the resource vanished), or fails with a
 * benign retryable NotReady failure so that the activity's retry policy schedules the next read. Between reads
 * no worker slot is held and no history event is written.
 *
 * Each status change is sent to the workflow as a signal (one per change, never one per poll): the worker's
 * StatusMemory remembers what it last reported.
 */
import {
  DBClusterNotFoundFault,
  DBInstanceNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { activityInfo, heartbeat } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { ClusterSummary, InstanceSummary, StatusObservedSignal } from '../../workflows/types';
import { classifyAwsError } from '../aws-errors';
import { AVAILABLE, TERMINAL_CLUSTER_STATUSES, TERMINAL_INSTANCE_STATUSES } from './statuses';
import type { StatusMemory } from './status-memory';
import { summarizeCluster, summarizeInstance } from './summaries';
import type { CheckStatusInput } from './types';

/** Sends a status change to the migration's workflow. */
export type StatusReporter = (workflowId: string, observed: StatusObservedSignal) => Promise<void>;

/** Where status changes go, and the memory that keeps them to one signal per change. */
export interface StatusReporting {
  report?: StatusReporter;
  memory: StatusMemory;
}

/**
 * How long after the first check a missing resource is still taken for RDS's eventual consistency rather than
 * a deletion.
 */
const NOT_FOUND_GRACE_MS = 60_000;

interface Observed {
  status: string;
  percentProgress?: string;
}

/** Reads the cluster once: returns when available, else fails benignly or terminally. */
export async function checkClusterAvailable(
  rds: RDSClient,
  reporting: StatusReporting,
  input: CheckStatusInput,
): Promise<ClusterSummary> {
  let cluster;
  try {
    cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.id }))).DBClusters?.[0];
  } catch (err) {
    if (err instanceof DBClusterNotFoundFault) throw vanished('cluster', input.id);
    throw classifyAwsError(err, { operation: `DescribeDBClusters for ${input.id}` });
  }
  if (!cluster) throw vanished('cluster', input.id);
  const status = cluster.Status ?? 'unknown';
  await noteStatus(reporting, input, 'cluster', { status, percentProgress: cluster.PercentProgress });
  if (status === AVAILABLE) return summarizeCluster(cluster);
  if (TERMINAL_CLUSTER_STATUSES.has(status)) {
    throw ApplicationFailure.create({
      type: FailureTypes.ClusterFailed,
      nonRetryable: true,
      message: `DB cluster ${input.id} reached status ${status}`,
      details: [{ id: input.id, status }],
    });
  }
  throw notReady(FailureTypes.ClusterNotReady, 'cluster', input.id, status);
}

/** Reads one instance once: returns when available, else fails benignly or terminally. */
export async function checkInstanceAvailable(
  rds: RDSClient,
  reporting: StatusReporting,
  input: CheckStatusInput,
): Promise<InstanceSummary> {
  let instance;
  try {
    instance = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: input.id }))).DBInstances?.[0];
  } catch (err) {
    if (err instanceof DBInstanceNotFoundFault) throw vanished('instance', input.id);
    throw classifyAwsError(err, { operation: `DescribeDBInstances for ${input.id}` });
  }
  if (!instance) throw vanished('instance', input.id);
  const status = instance.DBInstanceStatus ?? 'unknown';
  await noteStatus(reporting, input, 'instance', { status });
  if (status === AVAILABLE) return summarizeInstance(instance);
  if (TERMINAL_INSTANCE_STATUSES.has(status)) {
    throw ApplicationFailure.create({
      type: FailureTypes.InstanceFailed,
      nonRetryable: true,
      message: `DB instance ${input.id} reached status ${status}`,
      details: [{ id: input.id, status }],
    });
  }
  throw notReady(FailureTypes.InstanceNotReady, 'instance', input.id, status);
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

/** BENIGN: a not-yet-available resource is the expected case, logged at DEBUG and kept out of failure metrics. */
function notReady(type: string, kind: string, id: string, status: string): ApplicationFailure {
  return ApplicationFailure.create({
    type,
    category: ApplicationFailureCategory.BENIGN,
    message: `DB ${kind} ${id} is ${status}; checking again at the next poll`,
    details: [{ id, status }],
  });
}

function vanished(kind: 'cluster' | 'instance', id: string): ApplicationFailure {
  const elapsed = Date.now() - activityInfo().scheduledTimestampMs;
  if (elapsed < NOT_FOUND_GRACE_MS) {
    return notReady(
      kind === 'cluster' ? FailureTypes.ClusterNotReady : FailureTypes.InstanceNotReady,
      kind,
      id,
      'not visible yet',
    );
  }
  return ApplicationFailure.create({
    type: FailureTypes.ResourceDisappeared,
    nonRetryable: true,
    message: `DB ${kind} ${id} no longer exists: it was deleted while the migration waited for it`,
    details: [{ id, kind }],
  });
}
