/**
 * Worker processes and clients for the reliability tests: like test/helpers/worker-process.ts, but every
 * endpoint (Temporal, RDS, S3) can point elsewhere: a dedicated dev server, a dedicated emulator, a fault proxy.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../../config/app-config';
import { payloadCodecs } from '../../../config/codec';
import { TEST_CODEC_KEYS } from '../../helpers/migration';
import { testStack } from '../../helpers/stack';
import { testWorkerEnv } from '../../helpers/worker-env';

/** Where a worker process connects. */
export interface WorkerEndpoints {
  taskQueue: string;
  /** @default the test run's dev server */
  temporalAddress?: string;
  rdsEndpoint: string;
  /** @default the test run's S3 server */
  s3Endpoint?: string;
  /** Extra environment (e.g. AURORA_MIGRATE_AWS_MAX_ATTEMPTS). */
  env?: Record<string, string>;
}

/** A worker process whose whole output is kept. */
export interface ReliabilityWorker {
  child: ChildProcess;
  /** Resolves once the worker printed `worker-started`; rejects if it exits first. */
  started: Promise<void>;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<string>;
  output(): string;
  isAlive(): boolean;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node lib/worker/main.js` against the given endpoints. */
export function spawnWorker(endpoints: WorkerEndpoints): ReliabilityWorker {
  const stack = testStack();
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'lib', 'worker', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: endpoints.temporalAddress ?? stack.temporal.address,
      TEMPORAL_NAMESPACE: stack.temporal.namespace,
      AURORA_MIGRATE_TASK_QUEUE: endpoints.taskQueue,
      ...testWorkerEnv(endpoints.rdsEndpoint),
      AURORA_MIGRATE_S3_ENDPOINT: endpoints.s3Endpoint ?? stack.s3.endpoint,
      ...endpoints.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackPid(child.pid);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? String(code)));
  });
  const started = new Promise<void>((resolve, reject) => {
    const onData = (): void => {
      if (output.includes('"event":"worker-started"')) {
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    void exited.then((how) => reject(new Error(`worker exited (${how}) before it started: ${output.slice(-2000)}`)));
  });
  started.catch(() => undefined);
  const isAlive = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    child,
    started,
    exited,
    output: () => output,
    isAlive,
    kill: async (signal = 'SIGKILL') => {
      if (!isAlive()) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** A Temporal client with the test codec (payloads encrypted as the worker expects). */
export async function connectTestClient(address = testStack().temporal.address): Promise<Client> {
  const config = loadConfig({ AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS });
  return new Client({
    connection: await Connection.connect({ address }),
    namespace: testStack().temporal.namespace,
    dataConverter: { payloadCodecs: payloadCodecs(config.codecKeys) },
  });
}

/** The application config a CLI, HTTP service or client of these tests uses for `taskQueue`. */
export function testAppConfig(taskQueue: string, extra: Record<string, string> = {}) {
  const stack = testStack();
  return loadConfig({
    AURORA_MIGRATE_TASK_QUEUE: taskQueue,
    AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
    AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    ...extra,
  });
}

/** Hands a child's PID to scripts/test.sh, which kills it should jest die before the test's afterAll. */
export function trackPid(pid: number | undefined): void {
  const file = process.env.AURORA_TEST_PIDS_FILE;
  if (file && pid !== undefined) appendFileSync(file, `${pid}\n`);
}
