/**
 * A real worker (in this process) on a unique task queue, connected to the test run's dev server, S3 server and
 * an RDS emulator, plus a client that starts migrations with the same payload codec.
 */
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../config/app-config';
import { EmulatorControl, type EmulatorCall } from '../../emulator/control-client';
import { payloadCodecs } from '../../config/codec';
import type { BuildOptions } from '../../scripts/fixtures/backup-builder';
import { sampleSpec as fixtureSpec, type SampleSpecOptions } from '../../scripts/fixtures/sample-spec';
import { uploadBackup } from '../../scripts/fixtures/upload';
import { createWorker } from '../../worker/create-worker';
import { createRdsClient, createS3Client } from '../../config/aws-clients';
import { Messages, migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { MigrationInput, MigrationProgress, MigrationResult } from '../../workflows/types';
import { testS3Client, testStack, uniqueName } from './stack';
import { TEST_CODEC_KEYS, testWorkerEnv } from './worker-env';

/** A worker running in this process, and a client for it. */
export interface TestWorker {
  config: AppConfig;
  client: Client;
  worker: Worker;
  stop(): Promise<void>;
}

export { TEST_CODEC_KEYS };

let runtimeInstalled = false;

/** Starts a worker on a unique task queue against the given (default: shared) emulator. */
export async function startTestWorker(
  options: { emulatorEndpoint?: string; env?: Record<string, string> } = {},
): Promise<TestWorker> {
  if (!runtimeInstalled) {
    // Workflow failures are expected in these tests; the worker's INFO/WARN lines about them are noise.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    runtimeInstalled = true;
  }
  const stack = testStack();
  const config = loadConfig({
    AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq'),
    ...testWorkerEnv(options.emulatorEndpoint),
    ...options.env,
  });
  process.env.AWS_ACCESS_KEY_ID = stack.s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = stack.s3.secretAccessKey;
  const connection = await NativeConnection.connect({ address: stack.temporal.address });
  const client = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
    dataConverter: { payloadCodecs: payloadCodecs(config.codecKeys) },
  });
  const worker = await createWorker({
    connection,
    namespace: stack.temporal.namespace,
    config,
    rds: createRdsClient(config),
    s3: createS3Client(config),
    client,
    workflowBundlePath: stack.workflowBundle,
    overrides: { shutdownGraceTime: '1s' },
  });
  const running = worker.run();
  return {
    config,
    client,
    worker,
    async stop() {
      worker.shutdown();
      await running;
      await client.connection.close();
      await connection.close();
    },
  };
}

/** A client with the test codec, for tests whose workers are separate processes; close its connection after. */
export async function connectTestClient(): Promise<Client> {
  const stack = testStack();
  return new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
    dataConverter: {
      payloadCodecs: payloadCodecs(loadConfig({ AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS }).codecKeys),
    },
  });
}

/** Uploads a directory-layout backup built by the fixture generator; returns bucket and prefix. */
export async function uploadDirectoryBackup(build: BuildOptions): Promise<{ bucket: string; prefix: string }> {
  const bucket = uniqueName('bkt');
  const prefix = 'backups/full';
  await uploadBackup(testS3Client(), bucket, `${prefix}/`, { ...build, layout: 'directory' });
  return { bucket, prefix };
}

/** The fixtures' sample spec with a fresh cluster name unless given, polling every second unless told otherwise. */
export function sampleSpec(opts: Omit<SampleSpecOptions, 'clusterId'> & { clusterId?: string }): MigrationInput {
  return fixtureSpec({
    ...opts,
    clusterId: opts.clusterId ?? uniqueName('c'),
    options: { pollInterval: '1s', ...opts.options },
  });
}

/** Starts a migration the way the client library does (workflow ID from Region and cluster). */
export async function startMigration(tw: TestWorker, spec: MigrationInput) {
  return tw.client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
    taskQueue: tw.config.taskQueue,
    workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
    args: [spec],
  });
}

/** Counts of RDS actions the emulator has served, e.g. `{ RestoreDBClusterFromS3: 1 }`. */
export async function emulatorCalls(endpoint = testStack().emulator.endpoint): Promise<Record<string, number>> {
  return (await new EmulatorControl(endpoint).calls()).counts;
}

/** The emulator's log of calls to one action. */
export async function emulatorCallLog(
  action: string,
  endpoint = testStack().emulator.endpoint,
): Promise<EmulatorCall[]> {
  return (await new EmulatorControl(endpoint).calls(action)).log;
}

/** The emulator's inventory (ground truth of what exists). */
export function emulatorInventory(endpoint = testStack().emulator.endpoint) {
  return new EmulatorControl(endpoint).inventory();
}

/** Adds an emulator rule (outcome or fault); returns its ID. */
export function addEmulatorRule(rule: unknown, endpoint = testStack().emulator.endpoint): Promise<string> {
  return new EmulatorControl(endpoint).addRule(rule);
}

/** The cause a failed migration ended with (asserting that it did fail). */
export async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof WorkflowFailedError)) throw new Error(`expected the migration to fail, got ${String(err)}`);
  return err.cause as ApplicationFailure;
}

/** Polls the progress query until the migration reaches `step` (at most 60 s). */
export async function waitForStep(handle: WorkflowHandle, step: MigrationProgress['step']): Promise<MigrationProgress> {
  for (let i = 0; i < 600; i += 1) {
    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    if (progress.step === step) return progress;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the migration never reached ${step}`);
}
