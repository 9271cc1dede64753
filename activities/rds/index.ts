/** The RDS activities, built over an injected client (and an optional status reporter to the workflow). */
import type { DBCluster, DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { whileHeartbeating } from '../heartbeat';
import type { SecretsClientFor } from '../secrets';
import { applyFailurePolicy } from './failure-policy';
import { createInstance } from './create-instance';
import { explainFailure } from './explain-failure';
import { readRecoveredPosition } from './recovered-position';
import { restoreCluster } from './restore-cluster';
import type {
  ApplyFailurePolicyInput,
  CheckStatusInput,
  CreateInstanceInput,
  ExplainFailureInput,
  RecoveredPositionInput,
  RestoreClusterInput,
} from './types';
import { StatusBatcher, describeClusters, describeInstances } from './status-batcher';
import { StatusMemory } from './status-memory';
import { ProgressAnchors } from './progress-anchors';
import { DEFAULT_RESTORE_MODEL, RestoreThroughput, type RestoreModel, type SampleSource } from './restore-throughput';
import { checkClusterAvailable, checkInstanceAvailable, type StatusReporter } from './wait';

export type * from './types';
export type { StatusReporter } from './wait';

/** Dependencies of the RDS activities. */
export interface RdsActivityDeps {
  rds: RDSClient;
  /** Secrets Manager clients by Region, for passwords the spec names by secret ARN. */
  secrets: SecretsClientFor;
  /** Sends status changes to the workflow; without it, progress shows statuses only when a wait ends. */
  reportStatus?: StatusReporter;
  /** The deployment's completed restores, for the ETA; without it, only restores this worker saw. */
  restoreSamples?: SampleSource;
  /** The ETA's model until samples exist. @default DEFAULT_RESTORE_MODEL */
  restoreDefaults?: RestoreModel;
  /** The worker's batched status readers, shared with the pre-flight. Default: readers of their own. */
  readers?: { clusters: StatusBatcher<DBCluster>; instances: StatusBatcher<DBInstance> };
}

/** Builds the RDS activities over the given client. */
export function createRdsActivities(deps: RdsActivityDeps) {
  const { rds, secrets, reportStatus, restoreSamples, restoreDefaults } = deps;
  const throughput = new RestoreThroughput(restoreDefaults ?? DEFAULT_RESTORE_MODEL, restoreSamples);
  const reporting = { report: reportStatus, memory: new StatusMemory(), throughput, anchors: new ProgressAnchors() };
  // One pair of readers per worker: every concurrent check of this worker shares their Describe calls.
  const readers = deps.readers ?? {
    clusters: new StatusBatcher(describeClusters(rds)),
    instances: new StatusBatcher(describeInstances(rds)),
  };
  return {
    restoreCluster: (input: RestoreClusterInput) => whileHeartbeating(() => restoreCluster(rds, secrets, input)),
    checkClusterAvailable: (input: CheckStatusInput) => checkClusterAvailable(readers, reporting, input),
    createInstance: (input: CreateInstanceInput) => whileHeartbeating(() => createInstance(rds, input)),
    checkInstanceAvailable: (input: CheckStatusInput) => checkInstanceAvailable(readers, reporting, input),
    explainFailure: (input: ExplainFailureInput) => explainFailure(rds, input),
    readRecoveredPosition: (input: RecoveredPositionInput) => readRecoveredPosition(rds, input),
    applyFailurePolicy: (input: ApplyFailurePolicyInput) => whileHeartbeating(() => applyFailurePolicy(rds, input)),
  };
}
