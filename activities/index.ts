/**
 * Every activity the worker registers, built over injected clients: no module-level AWS or Temporal clients.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import { createBackupValidationActivities } from './backup-validation';
import { createFleetActivities } from './fleet';
import { createSourceActivities } from './mysql/source-activities';
import { createWriterActivities, type ReplicationReporter } from './mysql/writer-activities';
import { createPreflightActivities, ownRdsReaders } from './preflight';
import { createRdsActivities, type StatusReporter } from './rds';
import type { RestoreModel, SampleSource } from './rds/restore-throughput';
import type { SecretsClientFor } from './secrets';

/** The clients the activities use. */
export interface ActivityDeps {
  rds: RDSClient;
  s3: S3Client;
  /** Read by the pre-flight only (the ingestion role's trust and permissions). */
  iam: IAMClient;
  /** Read by the pre-flight only (DescribeKey of the spec's keys). */
  kms: KMSClient;
  /** Secrets Manager clients by Region (see `secretsClientsByRegion`), for passwords named by secret ARN. */
  secrets: SecretsClientFor;
  /** Sends observed status changes to the migration's workflow (a signal). */
  reportStatus?: StatusReporter;
  /** Sends replication reads (lag, positions) to the migration's workflow (a signal). */
  reportReplication?: ReplicationReporter;
  /** The deployment's completed restores (Temporal visibility), for the restore ETA. */
  restoreSamples?: SampleSource;
  /** The restore ETA's model until samples exist. */
  restoreDefaults?: RestoreModel;
  /** Temporal client the fleet uses to watch migrations it adopted. */
  temporal?: Client;
}

/** Builds the activities the worker registers. */
export function createActivities(deps: ActivityDeps) {
  // One set of RDS readers per worker: the pre-flights and the status checks join the same batched Describe
  // calls, and the pre-flights share catalogue and quota answers, so a burst of starts stays inside the budget.
  const rdsReaders = ownRdsReaders(deps.rds);
  return {
    ...createBackupValidationActivities({ s3: deps.s3 }),
    ...createPreflightActivities({ rds: deps.rds, iam: deps.iam, kms: deps.kms, s3: deps.s3, rdsReaders }),
    ...createRdsActivities({
      rds: deps.rds,
      readers: rdsReaders,
      secrets: deps.secrets,
      reportStatus: deps.reportStatus,
      restoreSamples: deps.restoreSamples,
      restoreDefaults: deps.restoreDefaults,
    }),
    ...createFleetActivities({ rds: deps.rds, temporal: deps.temporal }),
    ...createSourceActivities({ secrets: deps.secrets }),
    ...createWriterActivities({ secrets: deps.secrets, reportReplication: deps.reportReplication }),
  };
}
