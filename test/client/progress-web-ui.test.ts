import { createHash } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { loadConfig, type AppConfig } from '../../config/app-config';
import { createRdsClient, createS3Client } from '../../config/aws-clients';
import { payloadCodecs } from '../../config/codec';
import { getProgress, type MigrationStatus } from '../../client/progress';
import { staticDetails, staticSummary } from '../../client/spec-metadata';
import { startMigration } from '../../client/temporal';
import { formatElapsed } from '../../client/cli/render';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { largeXbstream, uploadStream } from '../../scripts/fixtures';
import { createWorker } from '../../worker/create-worker';
import { SearchAttributeKeys } from '../../workflows/ids';
import type { MigrationInput } from '../../workflows/types';
import { sampleSpec } from '../helpers/migration';
import { testS3Client, testStack, uniqueName } from '../helpers/stack';
import { testWorkerEnv } from '../helpers/worker-env';
import { cliEnv, runCli } from './cli-helpers';

// One real migration (deep validation of a 96 MiB xbstream, a writer and a reader) on the dev server, versitygw
// and an emulator of its own whose cluster stays `migrating` for 4 s, read back only through the Temporal API
// and our client: what progress shows (percentages, step durations, elapsed) and what the Web UI shows (static
// summary and details, current details, every search attribute, activity summaries).
const MiB = 1 << 20;
const IDEMPOTENCY_KEY = 'web-ui-test-key-0001';
let emulator: RunningEmulator;
let config: AppConfig;
let client: Client;
let worker: Worker;
let running: Promise<void>;
let nativeConnection: NativeConnection;

beforeAll(async () => {
  const stack = testStack();
  emulator = await startEmulator({
    s3: stack.s3,
    timings: {
      clusterCreatingMs: 1000,
      clusterMigratingMs: 4000,
      instanceCreatingMs: 800,
      instanceConfiguringMs: 400,
      instanceBackingUpMs: 400,
      deletingMs: 500,
    },
  });
  config = loadConfig({
    AURORA_MIGRATE_TASK_QUEUE: uniqueName('webui-tq'),
    ...testWorkerEnv(emulator.endpoint),
    // The ETA's model until a restore completes: this emulator's restore (1 s + 4 s), not AWS's ten minutes,
    // so the status reads stay dense enough to see the percentage rise.
    AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '5',
  });
  process.env.AWS_ACCESS_KEY_ID = stack.s3.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = stack.s3.secretAccessKey;
  client = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
    dataConverter: { payloadCodecs: payloadCodecs(config.codecKeys) },
  });
  nativeConnection = await NativeConnection.connect({ address: stack.temporal.address });
  worker = await createWorker({
    connection: nativeConnection,
    namespace: stack.temporal.namespace,
    config,
    rds: createRdsClient(config),
    s3: createS3Client(config),
    client,
    workflowBundlePath: stack.workflowBundle,
    // Heartbeats reach the server every 100 ms (not every minute), so a validation of seconds shows its percentage.
    overrides: { shutdownGraceTime: '1s', maxHeartbeatThrottleInterval: '100ms' },
  });
  running = worker.run();
}, 60_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await client?.connection.close();
  await nativeConnection?.close();
  await emulator?.close();
});

interface Seen {
  statuses: MigrationStatus[];
  details: string[];
}

/** Samples progress and the Web UI's current details (the metadata query) until the migration closes. */
async function follow(handle: WorkflowHandle): Promise<Seen> {
  const seen: Seen = { statuses: [], details: [] };
  for (let i = 0; i < 600; i++) {
    const status = await getProgress(client, handle.workflowId);
    seen.statuses.push(status);
    const { currentDetails } = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    if (currentDetails && currentDetails !== seen.details[seen.details.length - 1]) seen.details.push(currentDetails);
    if (status.status !== 'RUNNING') return seen;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the migration did not close in time');
}

let spec: MigrationInput;
let seen: Seen;
let handle: WorkflowHandle;

beforeAll(async () => {
  const bucket = uniqueName('webui');
  await uploadStream(testS3Client(), bucket, 'full/backup.xbstream', largeXbstream(96 * MiB));
  spec = sampleSpec({
    bucket,
    prefix: 'full/',
    sourceEngineVersion: '8.0.35',
    readers: 1,
    options: { validation: 'deep' },
  });
  const started = await startMigration(client, config, spec, { idempotencyKey: IDEMPOTENCY_KEY });
  handle = client.workflow.getHandle(started.workflowId);
  seen = await follow(handle);
}, 180_000);

test('progress shows the deep validation percentage and the cluster percentage rising, then completion', () => {
  expect(seen.statuses[seen.statuses.length - 1]).toMatchObject({ status: 'COMPLETED', step: 'completed' });
  const validation = seen.statuses.flatMap((s) => (s.validationPercent !== undefined ? [s.validationPercent] : []));
  expect(validation.some((p) => p > 0 && p < 100)).toBe(true);
  expect(validation).toEqual([...validation].sort((a, b) => a - b));
  for (const p of validation) expect(p).toBeLessThanOrEqual(100);

  const migrating = seen.statuses.flatMap((s) =>
    s.step === 'waiting-for-cluster' && s.cluster?.status === 'migrating' ? [Number(s.cluster.percentProgress)] : [],
  );
  console.log(`validation percentages seen: ${validation.join(' ')}; cluster percentages: ${migrating.join(' ')}`);
  expect(new Set(migrating).size).toBeGreaterThanOrEqual(2);
  expect(migrating).toEqual([...migrating].sort((a, b) => a - b));
  for (const p of migrating) expect(p >= 0 && p <= 100).toBe(true);
});

test('progress shows step durations and an elapsed time that match what Temporal recorded', async () => {
  const description = await handle.describe();
  const final = await getProgress(client, handle.workflowId);
  expect(final.closedAt).toBe(description.closeTime?.toISOString());
  const elapsedMs = Date.parse(final.closedAt!) - Date.parse(final.startedAt);
  expect(Math.abs(Date.parse(final.startedAt) - description.startTime.getTime())).toBeLessThan(5000);
  const ran = ['validating', 'restoring', 'waiting-for-cluster', 'creating-instances', 'waiting-for-instances'];
  expect(Object.keys(final.stepDurations)).toEqual(expect.arrayContaining(ran));
  const total = Object.values(final.stepDurations).reduce((sum, ms) => sum + (ms ?? 0), 0);
  expect(total).toBeLessThanOrEqual(elapsedMs);
  expect(final.stepDurations['waiting-for-cluster']).toBeGreaterThanOrEqual(4000);

  const status = await runCli(['status', handle.workflowId], cliEnv(config.taskQueue));
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`Elapsed    ${formatElapsed(elapsedMs)}`);
});

test('the Web UI shows the static summary and details the spec gave', async () => {
  const description = await handle.describe();
  expect(await description.staticSummary()).toBe(staticSummary(spec));
  expect(await description.staticDetails()).toBe(staticDetails(spec));
  expect(await description.staticDetails()).toContain(`| \`${spec.instances[1]!.DBInstanceIdentifier}\``);
});

test('the current details follow each step and end with every resource available', async () => {
  const titles = ['Validating the backup in S3', 'Waiting for the cluster to become available', 'Completed'];
  for (const title of titles) expect(seen.details.some((d) => d.startsWith(`**${title}**`))).toBe(true);
  expect(seen.details.some((d) => /- cluster: migrating \(\d+%\)/.test(d))).toBe(true);

  const metadata = await handle.query<{
    currentDetails?: string;
    definition?: { type?: string; queryDefinitions?: { name?: string }[]; signalDefinitions?: { name?: string }[] };
  }>('__temporal_workflow_metadata');
  expect(metadata.definition?.type).toBe('migrateToAurora');
  expect(metadata.definition?.queryDefinitions?.map((q) => q.name)).toContain('progress');
  expect(metadata.definition?.signalDefinitions?.map((s) => s.name)).toEqual(
    expect.arrayContaining(['rdsEvent', 'statusObserved']),
  );
  const last = metadata.currentDetails ?? '';
  expect(last.startsWith(`**Completed** — cluster \`${spec.restore.DBClusterIdentifier}\``)).toBe(true);
  expect(last).toContain('- cluster: available');
  for (const instance of spec.instances) {
    expect(last).toContain(`- instance \`${instance.DBInstanceIdentifier}\`: available`);
  }
});

test('every search attribute is set, and visibility finds the migration by all of them', async () => {
  const attributes = (await handle.describe()).typedSearchAttributes;
  const keyHash = createHash('sha256').update(IDEMPOTENCY_KEY).digest('hex');
  const instanceIds = spec.instances.map((i) => i.DBInstanceIdentifier);
  expect(attributes.get(SearchAttributeKeys.step)).toBe('completed');
  expect(attributes.get(SearchAttributeKeys.clusterId)).toBe(spec.restore.DBClusterIdentifier);
  expect(attributes.get(SearchAttributeKeys.sourceBucket)).toBe(spec.restore.S3BucketName);
  expect(attributes.get(SearchAttributeKeys.region)).toBe('us-east-1');
  expect(attributes.get(SearchAttributeKeys.instanceIds)).toEqual(instanceIds);
  expect(attributes.get(SearchAttributeKeys.idempotencyKeyHash)).toBe(keyHash);

  const query =
    `MigrationStep = 'completed' AND DBClusterIdentifier = '${spec.restore.DBClusterIdentifier}' AND ` +
    `SourceBucket = '${spec.restore.S3BucketName}' AND AwsRegion = 'us-east-1' AND ` +
    `DBInstanceIdentifiers = '${instanceIds[1]}' AND IdempotencyKeyHash = '${keyHash}'`;
  let found: string[] = [];
  for (let i = 0; i < 50 && found.length === 0; i++) {
    found = [];
    for await (const execution of client.workflow.list({ query })) found.push(execution.workflowId);
    if (found.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(found).toEqual([handle.workflowId]);
});

test('each activity carries its summary in history', async () => {
  const events = (await handle.fetchHistory()).events ?? [];
  const payloads = events.flatMap((e) =>
    e.activityTaskScheduledEventAttributes && e.userMetadata?.summary ? [e.userMetadata.summary] : [],
  );
  const summaries = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
  const cluster = spec.restore.DBClusterIdentifier;
  expect(summaries).toEqual(
    expect.arrayContaining([
      'validate the backup in S3',
      `RestoreDBClusterFromS3 ${cluster}`,
      `poll cluster ${cluster}`,
      ...spec.instances.map((i) => `CreateDBInstance ${i.DBInstanceIdentifier}`),
      ...spec.instances.map((i) => `poll instance ${i.DBInstanceIdentifier}`),
    ]),
  );
});
