/** The RDS activities, built over an injected client (and an optional status reporter to the workflow). */
import type { RDSClient } from '@aws-sdk/client-rds';
import { whileHeartbeating } from '../heartbeat';
import { applyFailurePolicy } from './failure-policy';
import { createInstance } from './create-instance';
import { explainFailure } from './explain-failure';
import { restoreCluster } from './restore-cluster';
import type {
  ApplyFailurePolicyInput,
  CheckStatusInput,
  CreateInstanceInput,
  ExplainFailureInput,
  RestoreClusterInput,
} from './types';
import { StatusBatcher, describeClusters, describeInstances } from './status-batcher';
import { StatusMemory } from './status-memory';
import { checkClusterAvailable, checkInstanceAvailable, type StatusReporter } from './wait';

export type * from './types';
export type { StatusReporter } from './wait';

/** Dependencies of the RDS activities. */
export interface RdsActivityDeps {
  rds: RDSClient;
  /** Sends status changes to the workflow; without it, progress shows statuses only when a wait ends. */
  reportStatus?: StatusReporter;
}

/** Builds the RDS activities over the given client. */
export function createRdsActivities({ rds, reportStatus }: RdsActivityDeps) {
  const reporting = { report: reportStatus, memory: new StatusMemory() };
  // One pair of readers per worker: every concurrent check of this worker shares their Describe calls.
  const readers = {
    clusters: new StatusBatcher(describeClusters(rds)),
    instances: new StatusBatcher(describeInstances(rds)),
  };
  return {
    restoreCluster: (input: RestoreClusterInput) => whileHeartbeating(() => restoreCluster(rds, input)),
    checkClusterAvailable: (input: CheckStatusInput) => checkClusterAvailable(readers, reporting, input),
    createInstance: (input: CreateInstanceInput) => whileHeartbeating(() => createInstance(rds, input)),
    checkInstanceAvailable: (input: CheckStatusInput) => checkInstanceAvailable(readers, reporting, input),
    explainFailure: (input: ExplainFailureInput) => explainFailure(rds, input),
    applyFailurePolicy: (input: ApplyFailurePolicyInput) => whileHeartbeating(() => applyFailurePolicy(rds, input)),
  };
}
