import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { loadConfig } from '../../config/app-config';
import { migrationWorkflowId } from '../../workflows/ids';
import { cliEnv, runCli } from '../client/cli-helpers';
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

describe('OTLP export', () => {
  test('a migration started by the CLI sends its spans over OTLP/HTTP from the CLI and the worker, in one trace', async () => {
    const receiver = await startReceiver();
    const taskQueue = uniqueName('tq');
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
    const worker = spawnWorkerProcess(loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }), undefined, otel);
    const client = await connectTestClient();
    try {
      await worker.started;
      expect(worker.output()).toContain(`"tracing":"${receiver.endpoint}/v1/traces"`);
      const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
      const file = join(testStack().scratchDir, `${uniqueName('spec')}.json`);
      writeFileSync(file, JSON.stringify(spec));

      const started = await runCli(['start', file], { ...cliEnv(taskQueue), ...otel });
      expect(started.stderr).toBe('');
      expect(started.code).toBe(0);
      await client.workflow.getHandle(migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier)).result();
      // SIGTERM: the worker flushes what its batch exporter still holds before it exits.
      await worker.kill('SIGTERM');

      const start = receiver.spans.find((s) => s.name === 'StartWorkflow:migrateToAurora');
      const run = receiver.spans.find((s) => s.name === 'RunWorkflow:migrateToAurora');
      expect(start).toBeDefined();
      expect(run?.parentSpanId).toBe(start!.spanId);
      const trace = receiver.spans.filter((s) => s.traceId === start!.traceId).map((s) => s.name);
      expect(trace).toEqual(
        expect.arrayContaining([
          'StartActivity:validateBackup',
          'RunActivity:validateBackup',
          'RunActivity:restoreCluster',
        ]),
      );
    } finally {
      await worker.kill('SIGTERM');
      await client.connection.close();
      await new Promise((r) => receiver.server.close(r));
    }
  });
});
