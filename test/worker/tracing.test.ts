import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Client } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { startMigration } from '../../client/temporal';
import { type AppConfig, loadConfig } from '../../config/app-config';
import { createRdsClient, createS3Client } from '../../config/aws-clients';
import { connectClient } from '../../config/temporal-connection';
import { createTracing } from '../../config/tracing';
import { createWorker } from '../../worker/create-worker';
import { sampleSpec, TEST_CODEC_KEYS, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { testWorkerEnv } from '../helpers/worker-env';

/** The one span called `name` (failing the test when there are none or several). */
function only(spans: ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((s) => s.name === name);
  expect(found.map((s) => s.name)).toEqual([name]);
  return found[0]!;
}

describe('tracing one migration', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ spanProcessor: new SimpleSpanProcessor(exporter), serviceName: 'test' });
  let config: AppConfig;
  let client: Client;
  let untracedClient: Client;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const { temporal, emulator } = testStack();
    config = loadConfig({
      AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq'),
      ...testWorkerEnv(emulator.endpoint),
    });
    const target = { connectionOptions: { address: temporal.address }, namespace: temporal.namespace };
    client = await connectClient(target, config, tracing);
    // No OTLP endpoint in this config: the client a user gets when tracing is not configured.
    untracedClient = await connectClient(target, config);
    connection = await NativeConnection.connect({ address: temporal.address });
    worker = await createWorker({
      connection,
      namespace: temporal.namespace,
      config,
      rds: createRdsClient(config),
      s3: createS3Client(config),
      tracing,
      workflowBundlePath: testStack().workflowBundle,
      overrides: { shutdownGraceTime: '1s' },
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker.shutdown();
    await running;
    await client.connection.close();
    await untracedClient.connection.close();
    await connection.close();
  });

  beforeEach(() => exporter.reset());

  test('links the client span, the workflow span and each activity span in one trace, with no secret in any span', async () => {
    const password = `pw-${uniqueName('secret')}`;
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    const { ManageMasterUserPassword: _managed, ...restore } = spec.restore;
    void _managed;
    const started = await startMigration(client, config, {
      ...spec,
      restore: { ...restore, MasterUserPassword: password },
    });
    await client.workflow.getHandle(started.workflowId).result();
    await tracing.flush();
    const spans = exporter.getFinishedSpans();

    const start = only(spans, 'StartWorkflow:migrateToAurora');
    const run = only(spans, 'RunWorkflow:migrateToAurora');
    expect(run.parentSpanId).toBe(start.spanContext().spanId);
    const traceId = start.spanContext().traceId;
    for (const activity of ['validateBackup', 'restoreCluster', 'createInstance']) {
      const scheduled = spans.filter((s) => s.name === `StartActivity:${activity}`);
      expect(scheduled.length).toBeGreaterThanOrEqual(1);
      for (const s of scheduled) {
        expect(s.spanContext().traceId).toBe(traceId);
        expect(s.parentSpanId).toBe(run.spanContext().spanId);
        const ran = spans.filter(
          (r) => r.name === `RunActivity:${activity}` && r.parentSpanId === s.spanContext().spanId,
        );
        expect(ran.length).toBeGreaterThanOrEqual(1);
        expect(ran.every((r) => r.spanContext().traceId === traceId)).toBe(true);
      }
    }

    const recorded = JSON.stringify(
      spans.map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, links: s.links })),
    );
    for (const secret of [password, testStack().s3.secretAccessKey, TEST_CODEC_KEYS.split(':')[1]!]) {
      expect(recorded).not.toContain(secret);
    }
  });

  test('a migration started by a client without tracing makes no workflow spans, even on a tracing worker', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    const started = await startMigration(untracedClient, config, spec);
    await untracedClient.workflow.getHandle(started.workflowId).result();
    await tracing.flush();
    const names = exporter.getFinishedSpans().map((s) => s.name);

    expect(names.filter((n) => /^(StartWorkflow|RunWorkflow|StartActivity):/.test(n))).toEqual([]);
    // The worker itself traces: its activities still have spans (roots, since no workflow span exists).
    expect(names).toContain('RunActivity:validateBackup');
  });
});
