/**
 * The metrics recorded outside workflows (AWS requests, validation bytes, replication lag), on the Temporal
 * runtime's meter so that they are served with Temporal's own on the worker's one Prometheus endpoint. The
 * runtime adds `_total` to counter names (worker/metrics-runtime.ts).
 */
import type { MetricMeter } from '@temporalio/common';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsCallOutcome } from './aws-errors';

/** Names of the metrics recorded outside workflows, as served (after the runtime's suffixes). */
export const ActivityMetrics = {
  /**
   * Counter: AWS requests by `service` (rds, s3, secretsmanager, iam, kms), `action` (e.g. DescribeDBClusters, GetObject) and `outcome`
   * (ok, throttled, transient, error). Every attempt counts, so a throttle the SDK retried is seen.
   */
  awsRequests: 'aurora_migrate_aws_requests_total',
  /** Counter: bytes of the backup read by validation, by `mode` (quick, deep). */
  validationBytes: 'aurora_migrate_validation_bytes_total',
  /**
   * Gauge: seconds the target is behind its source while catching up after the restore, by `cluster`.
   * Set by watchReplication on every read of the catch-up step (binlog replication) while a thread reports lag.
   */
  replicationLag: 'aurora_migrate_replication_lag_seconds',
} as const;

/** The name a metric is created with: the served name without the `_total` the runtime appends. */
function baseName(served: string): string {
  return served.replace(/_total$/, '');
}

/** The `service` label of aurora_migrate_aws_requests_total: each AWS service the worker calls (its endpoint prefix). */
export type AwsService = 'rds' | 's3' | 'secretsmanager' | 'iam' | 'kms';

/** The clients whose requests are counted (the ones config/aws-clients.ts builds). */
export type CountedAwsClient = RDSClient | S3Client | SecretsManagerClient | IAMClient | KMSClient;

/**
 * Counts every request `client` sends, by action and outcome, when its response (or error) arrives. It sits
 * inside the SDK's retry middleware, so each attempt counts once; registered where the clients are built
 * (config/aws-clients.ts), so no call bypasses it. Labels are the action name only, never parameters.
 */
export function countAwsRequests(client: CountedAwsClient, service: AwsService, meter: MetricMeter): void {
  const counter = meter.createCounter(baseName(ActivityMetrics.awsRequests), 'requests', 'AWS API requests');
  // Every SDK v3 client's stack has the same shape (only its input and output types differ); one cast lets one
  // function serve them all.
  (client as RDSClient).middlewareStack.add(
    (next, context) => async (args) => {
      const action = (context.commandName ?? 'unknown').replace(/Command$/, '');
      try {
        const output = await next(args);
        counter.add(1, { service, action, outcome: 'ok' });
        return output;
      } catch (err) {
        counter.add(1, { service, action, outcome: awsCallOutcome(err) });
        throw err;
      }
    },
    // finalizeRequest at low priority: after (inside) the retry middleware, around signing and sending.
    { step: 'finalizeRequest', priority: 'low', name: 'auroraMigrateRequestMetrics', override: true },
  );
}

/** Counts bytes that validation read, as it reads them (a scrape during a deep validation sees it move). */
export function validationBytesCounter(meter: MetricMeter, mode: string): (bytes: number) => void {
  const counter = meter.createCounter(baseName(ActivityMetrics.validationBytes), 'bytes', 'Backup bytes validated');
  return (bytes) => {
    if (bytes > 0) counter.add(bytes, { mode });
  };
}

/** Sets how far `cluster` is behind its source, in seconds (watchReplication records it on every read). */
export function recordReplicationLag(meter: MetricMeter, cluster: string, seconds: number): void {
  meter
    .createGauge(ActivityMetrics.replicationLag, 'float', 's', 'Replication lag while catching up')
    .set(seconds, { cluster });
}
