/**
 * Runs the worker until SIGINT/SIGTERM (or an abort), then shuts down gracefully: running activities get the
 * shutdown grace time, and Temporal retries whatever did not finish on another worker.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from '../config/app-config';
import { connectClient, loadTemporalTarget } from '../config/temporal-connection';
import { secretsClientsByRegion } from '../activities/secrets';
import {
  createIamClient,
  createKmsClient,
  createRdsClient,
  createS3Client,
  createSecretsClient,
} from '../config/aws-clients';
import { flushTracing } from '../config/tracing';
import { createWorker } from './create-worker';
import { installWorkerRuntime } from './metrics-runtime';

/** Options of runWorker. */
export interface RunWorkerOptions {
  env?: Record<string, string | undefined>;
  /** Stops the worker when aborted (in addition to SIGINT/SIGTERM). */
  signal?: AbortSignal;
}

/** Loads configuration, connects, and runs the worker until told to stop. */
export async function runWorker(options: RunWorkerOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  const target = loadTemporalTarget(env);
  const runtime = installWorkerRuntime(config.telemetry);
  // Without an endpoint nothing would read the counts: the AWS clients then count nothing.
  const metricMeter = config.telemetry.metricsAddress ? runtime.metricMeter : undefined;
  const connection = await NativeConnection.connect(target.connectionOptions);
  const client = await connectClient(target, config);
  const worker = await createWorker({
    connection,
    namespace: target.namespace,
    config,
    rds: createRdsClient(config, undefined, metricMeter),
    s3: createS3Client(config, undefined, metricMeter),
    iam: createIamClient(config, metricMeter),
    kms: createKmsClient(config, undefined, metricMeter),
    secrets: secretsClientsByRegion((region) => createSecretsClient(config, region, metricMeter)),
    client,
  });
  const stop = (): void => worker.shutdown();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  options.signal?.addEventListener('abort', stop, { once: true });
  console.log(
    JSON.stringify({
      event: 'worker-started',
      address: target.connectionOptions.address,
      namespace: target.namespace,
      taskQueue: config.taskQueue,
      rdsEndpoint: config.aws.rdsEndpoint ?? 'aws',
      s3Endpoint: config.aws.s3Endpoint ?? 'aws',
      payloadEncryption: config.codecKeys.length > 0,
      metrics: config.telemetry.metricsAddress ? `http://${config.telemetry.metricsAddress}/metrics` : 'off',
      tracing: config.telemetry.tracesEndpoint ? withoutCredentials(config.telemetry.tracesEndpoint) : 'off',
    }),
  );
  try {
    await worker.run();
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await client.connection.close();
    await connection.close();
    // Spans still buffered (the batch exporter sends every few seconds) leave before the process does.
    await flushTracing().catch(() => undefined);
  }
}

/** The URL without user and password, for the log. */
function withoutCredentials(raw: string): string {
  const url = new URL(raw);
  url.username = '';
  url.password = '';
  return url.toString();
}
