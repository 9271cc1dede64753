import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { migrationWorkflowId } from '../../workflows/ids';
import type { Client } from '@temporalio/client';
import { cliEnv, runCli } from '../client/cli-helpers';
import { call } from '../client/http-helpers';
import { spawnHttpService } from '../client/http-service-process';
import { connectTestClient, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { spawnWorkerProcess } from '../helpers/worker-process';

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

/**
 * A real HTTP listener on 127.0.0.1 in the place of an OpenTelemetry collector: it keeps every span posted to
 * `/v1/traces` and answers as a collector does (200, empty partial-success).
 */
async function startReceiver(): Promise<{ server: Server; endpoint: string; spans: OtlpSpan[] }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces' && req.headers['content-type']?.includes('json')) {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as {
          resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const r of body.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  return { server, endpoint: `http://127.0.0.1:${port}`, spans };
}

/** The names of the spans in the trace of the run's start span, after checking the start → run link. */
function traceOfStart(spans: OtlpSpan[]): string[] {
  const start = spans.find((s) => s.name === 'StartWorkflow:migrateToAurora');
  const run = spans.find((s) => s.name === 'RunWorkflow:migrateToAurora');
  expect(start).toBeDefined();
  expect(run?.parentSpanId).toBe(start!.spanId);
  return spans.filter((s) => s.traceId === start!.traceId).map((s) => s.name);
}

const ACTIVITY_SPANS = ['StartActivity:validateBackup', 'RunActivity:validateBackup', 'RunActivity:restoreCluster'];

describe('OTLP export', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let client: Client;
  const taskQueue = uniqueName('tq');
  const otel = (): Record<string, string> => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint });

  beforeAll(async () => {
    receiver = await startReceiver();
    client = await connectTestClient();
  });

  afterAll(async () => {
    await client.connection.close();
    await new Promise((r) => receiver.server.close(r));
  });

  beforeEach(() => receiver.spans.splice(0));

  test('a migration started by the CLI sends its spans over OTLP/HTTP from the CLI and the worker, in one trace', async () => {
    const worker = spawnWorkerProcess(loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }), undefined, otel());
    try {
      await worker.started;
      expect(worker.output()).toContain(`"tracing":"${receiver.endpoint}/v1/traces"`);
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const file = join(testStack().scratchDir, `${uniqueName('spec')}.json`);
      writeFileSync(file, JSON.stringify(spec));

      const started = await runCli(['start', file], { ...cliEnv(taskQueue), ...otel() });
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      await client.workflow.getHandle(migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier)).result();
      // SIGTERM: the worker flushes what its batch exporter still holds before it exits.
      await worker.kill('SIGTERM');

      expect(traceOfStart(receiver.spans)).toEqual(expect.arrayContaining(ACTIVITY_SPANS));
    } finally {
      await worker.kill('SIGTERM');
    }
  });

  test('a migration posted to the HTTP service is traced from the service through the worker, in one trace', async () => {
    const worker = spawnWorkerProcess(loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }), undefined, otel());
    const service = await spawnHttpService(taskQueue, otel());
    try {
      await worker.started;
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const posted = await call(service, 'POST', '/migrations', { body: spec });
      expect(posted.status).toBe(202);
      await client.workflow.getHandle(migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier)).result();
      // Both flush on SIGTERM.
      await service.stop('SIGTERM');
      await worker.kill('SIGTERM');

      expect(traceOfStart(receiver.spans)).toEqual(expect.arrayContaining(ACTIVITY_SPANS));
    } finally {
      await service.stop('SIGKILL');
      await worker.kill('SIGTERM');
    }
  });
});
