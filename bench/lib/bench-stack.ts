/**
 * The servers one benchmark run shares (Temporal dev server, versitygw, the RDS emulator, each a real process on
 * 127.0.0.1, started with scripts/stack), plus the clients and the environment a worker process needs.
 */
import { RDSClient } from '@aws-sdk/client-rds';
import type { Client } from '@temporalio/client';
import { randomBytes } from 'node:crypto';
import { loadConfig, type AppConfig } from '../../config/app-config';
import { connectClient, loadTemporalTarget, type TemporalTarget } from '../../config/temporal-connection';
import { uploadBackup } from '../../scripts/fixtures';
import type { S3Client } from '@aws-sdk/client-s3';
import { localS3Client } from '../../scripts/stack/s3-server';
import { startStack, type Stack } from '../../scripts/stack';
import { EmulatorControl } from '../../emulator/control-client';
import type { BenchSettings } from './settings';

/** The running servers and the clients on them. */
export interface BenchStack {
  settings: BenchSettings;
  stack: Stack;
  s3: S3Client;
  emulator: EmulatorControl;
  /** Environment of `node lib/worker/main.js` and of `loadConfig` for clients (task queue set per use). */
  workerEnv: Record<string, string>;
  /** A small valid 8.0 backup every migration of benchmarks 1, 2 and 4 restores from. */
  backup: { bucket: string; prefix: string };
  /** A Temporal client with the run's payload codec, and the config/target it was built from. */
  client: Client;
  config: AppConfig;
  target: TemporalTarget;
  /** Bearer token the in-process HTTP service accepts. */
  httpToken: string;
  /** A fresh RDS client on the emulator with the SDK's default retry settings. */
  rdsClient(): RDSClient;
  stop(): Promise<void>;
}

/** Starts the servers headless and uploads the shared backup. */
export async function startBenchStack(settings: BenchSettings): Promise<BenchStack> {
  const stack = await startStack({ repoRoot: settings.repoRoot, dataDir: settings.dataDir, headless: true });
  const codecKeys = `bench-key-1:${randomBytes(32).toString('base64')}`;
  const httpToken = randomBytes(24).toString('hex');
  const workerEnv: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
    AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
    AURORA_MIGRATE_CODEC_KEYS: codecKeys,
    AURORA_MIGRATE_HTTP_TOKENS: httpToken,
    AWS_REGION: stack.s3.region,
    AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    // Worker capacity settings given to the benchmark reach its workers (to compare tunings).
    ...Object.fromEntries(
      Object.entries(process.env).filter(
        (e): e is [string, string] => e[0].startsWith('AURORA_MIGRATE_WORKER_') && !!e[1],
      ),
    ),
  };
  try {
    const s3 = localS3Client(stack.s3);
    const backup = { bucket: 'bench-backups', prefix: 'small/' };
    await uploadBackup(s3, backup.bucket, backup.prefix, { version: '8.0', layout: 'directory' });
    const config = loadConfig({ ...workerEnv, AURORA_MIGRATE_TASK_QUEUE: 'bench-client' });
    const target = loadTemporalTarget({
      TEMPORAL_ADDRESS: stack.temporal.address,
      TEMPORAL_NAMESPACE: stack.temporal.namespace,
    });
    const client = await connectClient(target, config);
    return {
      settings,
      stack,
      s3,
      emulator: new EmulatorControl(stack.emulator.endpoint),
      workerEnv,
      backup,
      client,
      config,
      target,
      httpToken,
      rdsClient: () =>
        new RDSClient({
          endpoint: stack.emulator.endpoint,
          region: stack.s3.region,
          credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
        }),
      async stop() {
        await client.connection.close();
        s3.destroy();
        await stack.stop();
      },
    };
  } catch (err) {
    await stack.stop();
    throw err;
  }
}

/** Client config for a task queue (the client library starts migrations on `config.taskQueue`). */
export function configFor(stack: BenchStack, taskQueue: string): AppConfig {
  return { ...stack.config, taskQueue };
}
