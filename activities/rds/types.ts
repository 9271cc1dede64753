/** Inputs and results of the RDS activities (one object in, one object out). */
import type { ClusterSummary, InstanceSpec, InstanceSummary, RestoreClusterParams } from '../../workflows/types';

/** Input of restoreCluster. */
export interface RestoreClusterInput {
  workflowId: string;
  /** The Region the spec names; the worker's RDS client must be in it. */
  region: string;
  params: RestoreClusterParams;
  /** How long IAM/S3 propagation errors are retried, counted from the first attempt. */
  propagationRetryWindowMs: number;
}

/** Result of restoreCluster. */
export interface RestoreClusterResult {
  cluster: ClusterSummary;
  /** True when the cluster already existed with our ownership tag (a retried call whose response was lost). */
  adopted: boolean;
  /** Activity attempts this took (1 = no retry). */
  attempts: number;
}

/** Input of the cluster and instance status checks. */
export interface CheckStatusInput {
  workflowId: string;
  id: string;
  /** The cadence limits; without them a not-ready read leaves the delay to the retry policy. */
  polling?: { minMs: number; maxMs: number; /** ISO 8601: the wait's deadline. */ deadlineAt?: string };
  /** For a restoring cluster: what its end is predicted from. */
  restore?: { /** ISO 8601: when RestoreDBClusterFromS3 was called. */ startedAt: string; backupBytes: number };
}

/** Input of createInstance. */
export interface CreateInstanceInput {
  workflowId: string;
  clusterId: string;
  instance: InstanceSpec;
}

/** Result of createInstance. */
export interface CreateInstanceResult {
  instance: InstanceSummary;
  adopted: boolean;
  attempts: number;
}

/** Input of explainFailure. */
export interface ExplainFailureInput {
  clusterId: string;
  instanceIds: string[];
  /** ISO 8601: events before this are not about this migration. */
  since: string;
}

/** Input of readRecoveredPosition. */
export interface RecoveredPositionInput {
  clusterId: string;
  instanceIds: string[];
  /** ISO 8601: when the migration started. */
  since: string;
}

/** One RDS event quoted in a failure. */
export interface QuotedEvent {
  date: string;
  sourceType: string;
  sourceId: string;
  message: string;
}

/** Result of explainFailure. */
export interface FailureExplanation {
  events: QuotedEvent[];
  /** The likely fix, from the events' messages. */
  advice: string;
}

/** Input of applyFailurePolicy. */
export interface ApplyFailurePolicyInput {
  workflowId: string;
  policy: 'retain' | 'delete';
  clusterId: string;
  instanceIds: string[];
}
