/**
 * Builds the worker: the migration workflow plus the activities over injected AWS clients, with the payload
 * codec so that nothing it writes to history is plaintext.
 */
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Client } from '@temporalio/client';
import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import { secretsClientsByRegion, type SecretsClientFor } from '../activities/secrets';
import type { StatusReporter } from '../activities/rds';
import type { ReplicationReporter } from '../activities/mysql/writer-activities';
import { visibilityRestoreSamples } from '../activities/rds/restore-samples';
import type { AppConfig } from '../config/app-config';
import { createIamClient, createKmsClient, createSecretsClient } from '../config/aws-clients';
import { payloadCodecs } from '../config/codec';
import { type Tracing, tracingFromSettings } from '../config/tracing';
import { Messages } from '../workflows/ids';
import { tracingWorkerOptions } from './tracing-options';
import { workflowBundleOption } from './workflow-bundle';

/** What a worker needs. */
export interface CreateWorkerInput {
  connection: NativeConnection;
  namespace: string;
  config: AppConfig;
  rds: RDSClient;
  s3: S3Client;
  /** IAM and KMS, read by the pre-flight (default: clients from `config`). */
  iam?: IAMClient;
  kms?: KMSClient;
  /** Secrets Manager clients by Region. Default: clients from the config (endpoint, credentials), one per Region. */
  secrets?: SecretsClientFor;
  /** Used to send status changes to running migrations. */
  client?: Client;
  /** Traces workflows and activities; default: from `config.telemetry` (off unless an OTLP endpoint is set). */
  tracing?: Tracing;
  /**
   * The prebuilt workflow bundle to run (tests pass the run's one). Default: the build's
   * `lib/workflow-bundle.js`, or a bundle made at start where there is none.
   */
  workflowBundlePath?: string;
  /** Extra worker options (tests shrink shutdown grace, benchmarks raise concurrency). */
  overrides?: Partial<WorkerOptions>;
}

/** Creates (but does not run) the aurora-migrate worker. */
export async function createWorker(input: CreateWorkerInput): Promise<Worker> {
  const activities = createActivities({
    rds: input.rds,
    s3: input.s3,
    iam: input.iam ?? createIamClient(input.config),
    kms: input.kms ?? createKmsClient(input.config),
    secrets: input.secrets ?? secretsClientsByRegion((region) => createSecretsClient(input.config, region)),
    reportStatus: input.client ? statusReporter(input.client) : undefined,
    reportReplication: input.client ? replicationReporter(input.client) : undefined,
    restoreSamples: input.client ? visibilityRestoreSamples(input.client, input.config.taskQueue) : undefined,
    restoreDefaults: {
      bytesPerSecond: input.config.restoreEstimate.mibPerSecond * 1024 * 1024,
      fixedMs: input.config.restoreEstimate.fixedSeconds * 1000,
      samples: 0,
    },
    temporal: input.client,
  });
  return Worker.create({
    connection: input.connection,
    namespace: input.namespace,
    taskQueue: input.config.taskQueue,
    ...(await workflowBundleOption(input.workflowBundlePath)),
    activities,
    dataConverter: { payloadCodecs: payloadCodecs(input.config.codecKeys) },
    shutdownGraceTime: '10s',
    // Heartbeats reach the server at most this long after they are recorded (the SDK's default is 80% of the
    // heartbeat timeout): deep validation's heartbeats carry its resume point, and a retry after a crash re-reads
    // what was read since the last one that arrived.
    maxHeartbeatThrottleInterval: '1s',
    ...capacity(input.config.worker),
    ...tracingWorkerOptions(input.tracing ?? tracingFromSettings(input.config.telemetry)),
    ...input.overrides,
  });
}

/** The capacity settings that were given (the SDK's defaults stand for the others). */
function capacity(worker: AppConfig['worker']): Partial<WorkerOptions> {
  const options: Partial<WorkerOptions> = {};
  if (worker.maxWorkflowTasks !== undefined) options.maxConcurrentWorkflowTaskExecutions = worker.maxWorkflowTasks;
  if (worker.maxActivities !== undefined) options.maxConcurrentActivityTaskExecutions = worker.maxActivities;
  if (worker.workflowThreads !== undefined) options.workflowThreadPoolSize = worker.workflowThreads;
  if (worker.taskQueueActivitiesPerSecond !== undefined) {
    options.maxTaskQueueActivitiesPerSecond = worker.taskQueueActivitiesPerSecond;
  }
  return options;
}

/** Signals a status change to the migration; a failure to signal never fails the status check. */
function statusReporter(client: Client): StatusReporter {
  return async (workflowId, observed) => {
    try {
      await client.workflow.getHandle(workflowId).signal(Messages.statusObservedSignal, observed);
    } catch {
      // The workflow may have closed or be unreachable for a moment; progress catches up at the next change.
    }
  };
}

/** Signals a replication read to the migration; like status, a failure to signal never fails the watch. */
export function replicationReporter(client: Client): ReplicationReporter {
  return async (workflowId, lag) => {
    try {
      await client.workflow.getHandle(workflowId).signal(Messages.replicationObservedSignal, lag);
    } catch {
      // The next read that changes something (or the minute's report) brings progress up to date.
    }
  };
}
