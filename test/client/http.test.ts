import { execFileSync } from 'node:child_process';
import { temporal } from '@temporalio/proto';
import { loadConfig } from '../../config/app-config';
import { buildOpenApiDocument, registeredRoutes } from '../../client/http';
import { openApiPath } from '../../client/http/openapi';
import { listMigrations } from '../../client/list';
import { migrationWorkflowId, SearchAttributeKeys } from '../../workflows/ids';
import { startTestWorker, TEST_CODEC_KEYS, type TestWorker } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { call, startTestServer, TOKEN, type TestServer } from './http-helpers';
import { applyCase, invalidCases, SECRET_PASSWORD, validSpec } from './spec-fixtures';

// The "idle" server's task queue has no worker: started migrations stay RUNNING at their first task, which is
// all that start, attach, list and cancel need. Approval and progress run against a real worker elsewhere.
let tw: TestWorker;
let idle: TestServer;
const idleQueue = uniqueName('idle-tq');
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

beforeAll(async () => {
  tw = await startTestWorker();
  const config = loadConfig({
    AURORA_MIGRATE_TASK_QUEUE: idleQueue,
    AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
    AURORA_MIGRATE_S3_ENDPOINT: testStack().s3.endpoint,
    AURORA_MIGRATE_RDS_ENDPOINT: testStack().emulator.endpoint,
    AURORA_MIGRATE_IAM_ENDPOINT: testStack().moto.endpoint,
    AURORA_MIGRATE_KMS_ENDPOINT: testStack().moto.endpoint,
  });
  idle = await startTestServer(tw.client, config);
});

afterAll(async () => {
  await idle?.close();
  await tw?.stop();
});

async function workflowExists(id: string): Promise<boolean> {
  try {
    await tw.client.workflow.getHandle(id).describe();
    return true;
  } catch (err) {
    if ((err as Error).name === 'WorkflowNotFoundError') return false;
    throw err;
  }
}

describe('POST /migrations', () => {
  test('starts a migration and answers 202 with exactly {success, data: {id, created_at}}', async () => {
    const cluster = uniqueName('c');
    const answer = await call(idle, 'POST', '/migrations', { body: validSpec(cluster) });
    expect(answer.status).toBe(202);
    expect(Object.keys(answer.body)).toEqual(['success', 'data']);
    expect(answer.body.success).toBe(true);
    expect(Object.keys(answer.body.data!)).toEqual(['id', 'created_at']);
    expect(answer.body.data!.id).toBe(migrationWorkflowId('us-east-1', cluster));
    expect(answer.body.data!.created_at).toMatch(ISO_8601);
    expect(answer.text).not.toContain(SECRET_PASSWORD);
    const description = await tw.client.workflow.getHandle(String(answer.body.data!.id)).describe();
    expect(description.status.name).toBe('RUNNING');
    expect((description.memo as { specHash?: string }).specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(description.typedSearchAttributes.get(SearchAttributeKeys.step)).toBe('validating');
    expect(description.typedSearchAttributes.get(SearchAttributeKeys.clusterId)).toBe(cluster);
  });

  test('leaves no trace of the password in the workflow history', async () => {
    const answer = await call(idle, 'POST', '/migrations', { body: validSpec(uniqueName('c')) });
    const history = await tw.client.workflow.getHandle(String(answer.body.data!.id)).fetchHistory();
    const bytes = Buffer.from(temporal.api.history.v1.History.encode(history).finish());
    expect(bytes.includes(Buffer.from(SECRET_PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from('MasterUsername'))).toBe(false); // the whole input is encrypted
  });

  test('answers a retried POST of the same spec with the same id and created_at', async () => {
    const spec = validSpec(uniqueName('c'));
    const first = await call(idle, 'POST', '/migrations', { body: spec });
    const second = await call(idle, 'POST', '/migrations', { body: spec });
    expect(second.status).toBe(202);
    expect(second.body.data).toEqual(first.body.data);
  });

  test('answers the same Idempotency-Key and body with the same id, and a different body with 409', async () => {
    const key = uniqueName('key');
    const spec = validSpec(uniqueName('c'));
    const first = await call(idle, 'POST', '/migrations', { body: spec, headers: { 'idempotency-key': key } });
    const again = await call(idle, 'POST', '/migrations', { body: spec, headers: { 'idempotency-key': key } });
    expect(again.status).toBe(202);
    expect(again.body.data).toEqual(first.body.data);
    const other = await call(idle, 'POST', '/migrations', {
      body: validSpec(uniqueName('c')),
      headers: { 'idempotency-key': key },
    });
    expect(other.status).toBe(409);
    expect(other.body.error!.code).toBe('CONFLICT');
  });

  test('answers 409 CONFLICT when a different spec targets a cluster a running migration owns', async () => {
    const cluster = uniqueName('c');
    await call(idle, 'POST', '/migrations', { body: validSpec(cluster) });
    const changed = validSpec(cluster);
    changed.restore.S3Prefix = 'another/';
    const answer = await call(idle, 'POST', '/migrations', { body: changed });
    expect(answer.status).toBe(409);
    expect(answer.body).toEqual({
      success: false,
      error: {
        code: 'CONFLICT',
        message: expect.stringContaining('already owns') as string,
        request_id: expect.any(String) as string,
      },
    });
  });

  test('accepts the published form POST /?Action=RestoreDBClusterFromS3 and rejects other actions', async () => {
    const cluster = uniqueName('c');
    const answer = await call(idle, 'POST', '/?Action=RestoreDBClusterFromS3', { body: validSpec(cluster) });
    expect(answer.status).toBe(202);
    expect(answer.body.data!.id).toBe(migrationWorkflowId('us-east-1', cluster));
    const other = await call(idle, 'POST', '/?Action=DeleteDBCluster', { body: validSpec(uniqueName('c')) });
    expect(other.status).toBe(400);
    expect(other.body.error!.code).toBe('VALIDATION_ERROR');
  });

  test.each(invalidCases.map((c) => [c.name, c] as const))(
    'answers 400 naming the field and starts nothing for a spec with %s',
    async (_name, c) => {
      const cluster = uniqueName('bad');
      const answer = await call(idle, 'POST', '/migrations', { body: applyCase(c, cluster) });
      expect(answer.status).toBe(400);
      expect(answer.body.success).toBe(false);
      expect(answer.body.error!.code).toBe('VALIDATION_ERROR');
      expect(typeof answer.body.error!.message).toBe('string');
      expect(answer.body.error!.details!.map((d) => d.path)).toContain(c.path.replace('orders-aurora', cluster));
      expect(answer.text).not.toContain(SECRET_PASSWORD);
      expect(await workflowExists(migrationWorkflowId('us-east-1', cluster))).toBe(false);
    },
  );

  test('started nothing on the idle task queue for any invalid spec', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let visibility catch up with any stray start
    const all = await listMigrations(tw.client, { taskQueue: idleQueue, limit: 1000 });
    expect(all.length).toBeGreaterThan(0);
    const bad = all.filter((m) => m.clusterId?.startsWith('bad-'));
    expect(bad).toEqual([]);
  });

  test('answers 400 for a body that is not JSON', async () => {
    const answer = await call(idle, 'POST', '/migrations', {
      raw: '{"region":',
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error!.code).toBe('VALIDATION_ERROR');
  });

  test('answers 415 UNSUPPORTED_MEDIA_TYPE for a body that is not application/json', async () => {
    const answer = await call(idle, 'POST', '/migrations', {
      raw: 'region: us-east-1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(415);
    expect(answer.body.error!.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  test('answers 413 PAYLOAD_TOO_LARGE for a body over the limit', async () => {
    const spec = validSpec(uniqueName('c'));
    const answer = await call(idle, 'POST', '/migrations', {
      body: { ...spec, restore: { ...spec.restore, S3Prefix: 'x'.repeat(40_000) } },
    });
    expect(answer.status).toBe(413);
    expect(answer.body.error!.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('authentication and errors', () => {
  test('answers 401 UNAUTHORIZED without a token and with a wrong one', async () => {
    for (const token of [null, 'wrong', `${TOKEN}x`, TOKEN.replace('0', '1')]) {
      const answer = await call(idle, 'GET', '/migrations', { token });
      expect(answer.status).toBe(401);
      expect(answer.body.error!.code).toBe('UNAUTHORIZED');
    }
  });

  test('serves /healthz and /openapi.json without a token', async () => {
    const health = await call(idle, 'GET', '/healthz', { token: null });
    expect(health.status).toBe(200);
    expect(health.body).toEqual({ success: true, data: { status: 'ok', temporal: 'reachable', namespace: 'default' } });
    const openapi = await call(idle, 'GET', '/openapi.json', { token: null });
    expect(openapi.status).toBe(200);
    expect((openapi.body as unknown as { openapi: string }).openapi).toBe('3.1.0');
  });

  test('answers 404 NOT_FOUND for an unknown route and an unknown migration', async () => {
    const route = await call(idle, 'GET', '/nothing-here');
    expect(route.status).toBe(404);
    expect(route.body.error!.code).toBe('NOT_FOUND');
    const id = encodeURIComponent(migrationWorkflowId('us-east-1', uniqueName('none')));
    for (const [method, path] of [
      ['GET', `/migrations/${id}`],
      ['POST', `/migrations/${id}/cancel`],
      ['POST', `/migrations/${id}/approve`],
    ] as const) {
      const answer = await call(idle, method, path, method === 'POST' ? { body: { by: 'alice', reason: 'x' } } : {});
      expect(answer.status).toBe(404);
      expect(answer.body.error!.code).toBe('NOT_FOUND');
    }
  });

  test('echoes x-request-id in the header and in error bodies, and makes one up when absent', async () => {
    const answer = await call(idle, 'GET', '/nothing', { headers: { 'x-request-id': 'req-123' } });
    expect(answer.headers.get('x-request-id')).toBe('req-123');
    expect(answer.body.error!.request_id).toBe('req-123');
    const made = await call(idle, 'GET', '/healthz', { token: null });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('writes JSON logs with request ids and without tokens or passwords', async () => {
    await call(idle, 'POST', '/migrations', {
      body: validSpec(uniqueName('c')),
      headers: { 'x-request-id': 'log-req-1' },
    });
    const lines = idle.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.some((l) => l.request_id === 'log-req-1')).toBe(true);
    const all = idle.logs.join('\n');
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(SECRET_PASSWORD);
  });

  test('answers 500 INTERNAL without internals when Temporal fails', async () => {
    const { Client, Connection } = await import('@temporalio/client');
    const connection = await Connection.connect({ address: testStack().temporal.address });
    const broken = new Client({ connection, namespace: 'no-such-namespace-for-this-test' });
    const server = await startTestServer(broken, loadConfig({}));
    try {
      const answer = await call(server, 'GET', '/migrations');
      expect(answer.status).toBe(500);
      expect(answer.body.error).toEqual({
        code: 'INTERNAL',
        message: 'internal error; quote the request_id when reporting it',
        request_id: expect.any(String) as string,
      });
    } finally {
      await server.close();
      await connection.close();
    }
  });
});

describe('reading and steering migrations', () => {
  test('GET /migrations/:id answers the progress of a running migration', async () => {
    const cluster = uniqueName('c');
    const started = await call(idle, 'POST', '/migrations', { body: validSpec(cluster) });
    const id = String(started.body.data!.id);
    const answer = await call(idle, 'GET', `/migrations/${encodeURIComponent(id)}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toMatchObject({
      workflowId: id,
      status: 'RUNNING',
      step: 'validating',
      clusterId: cluster,
    });
  });

  test('GET /migrations filters by cluster and state, and rejects unknown filter values', async () => {
    const cluster = uniqueName('c');
    const started = await call(idle, 'POST', '/migrations', { body: validSpec(cluster) });
    let items: Array<Record<string, unknown>> = [];
    for (let attempt = 0; attempt < 50 && items.length === 0; attempt++) {
      items = (await call(idle, 'GET', `/migrations?cluster=${cluster}&state=running`)).body.data ?? [];
      if (items.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(items.map((i) => i.workflowId)).toEqual([started.body.data!.id]);
    const bad = await call(idle, 'GET', '/migrations?state=sleeping');
    expect(bad.status).toBe(400);
    expect(bad.body.error!.details![0]!.path).toBe('state');
  });

  test('POST /migrations/:id/cancel requests cancellation', async () => {
    const started = await call(idle, 'POST', '/migrations', { body: validSpec(uniqueName('c')) });
    const id = String(started.body.data!.id);
    const answer = await call(idle, 'POST', `/migrations/${encodeURIComponent(id)}/cancel`);
    expect(answer.status).toBe(202);
    expect(answer.body).toEqual({ success: true, data: { id, cancel_requested: true } });
    const history = await tw.client.workflow.getHandle(id).fetchHistory();
    const types = history.events!.map((e) => e.eventType);
    expect(types).toContain(temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED);
  });

  test('POST /migrations/:id/approve and /reject check their body', async () => {
    const started = await call(idle, 'POST', '/migrations', { body: validSpec(uniqueName('c')) });
    const id = encodeURIComponent(String(started.body.data!.id));
    const approve = await call(idle, 'POST', `/migrations/${id}/approve`, { body: { reason: 'ok' } });
    expect(approve.status).toBe(400);
    expect(approve.body.error!.details).toEqual([{ path: 'by', message: 'is required' }]);
    const reject = await call(idle, 'POST', `/migrations/${id}/reject`, { body: { by: 'bob' } });
    expect(reject.status).toBe(400);
    expect(reject.body.error!.details![0]!.path).toBe('reason');
  });

  test('POST /events/rds delivers EventBridge cluster events to the running migration, never unsigned SNS', async () => {
    const cluster = uniqueName('c');
    const started = await call(idle, 'POST', '/migrations', { body: validSpec(cluster) });
    const event = {
      source: 'aws.rds',
      'detail-type': 'RDS DB Cluster Event',
      region: 'us-east-1',
      detail: {
        SourceIdentifier: cluster,
        SourceType: 'CLUSTER',
        Message: 'DB cluster created',
        EventID: 'RDS-EVENT-0170',
      },
    };
    const direct = await call(idle, 'POST', '/events/rds', { body: event });
    expect(direct.status).toBe(202);
    expect(direct.body.data).toEqual({ delivered: [started.body.data!.id] });
    const viaSns = await call(idle, 'POST', '/events/rds', {
      body: {
        Type: 'Notification',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:rds',
        Message: JSON.stringify(event),
      },
    });
    expect(viaSns.status).toBe(400); // signed SNS delivery: test/client/http-sns.test.ts
    expect(viaSns.body.error!.details!.map((d) => d.path)).toContain('Signature');
    const malformed = await call(idle, 'POST', '/events/rds', { body: { hello: 'world' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error!.code).toBe('VALIDATION_ERROR');
    const wrongType = await call(idle, 'POST', '/events/rds', {
      body: { ...event, detail: { ...event.detail, SourceType: 'SNAPSHOT' } },
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error!.details).toEqual([
      { path: 'detail.SourceType', message: 'must be "CLUSTER" or "DB_INSTANCE"' },
    ]);
  });
});

describe('POST /validate', () => {
  test('answers 400 for an invalid spec and a report for a valid one', async () => {
    const invalid = await call(idle, 'POST', '/validate', { body: { region: 'us-east-1' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error!.details!.map((d) => d.path)).toContain('restore');
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const { testS3Client } = await import('../helpers/stack');
    const bucket = uniqueName('empty');
    await testS3Client().send(new CreateBucketCommand({ Bucket: bucket }));
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = bucket;
    const report = await call(idle, 'POST', '/validate', { body: spec });
    expect(report.status).toBe(200);
    expect(report.body.data).toMatchObject({ ok: false, bucket });
    expect((report.body.data!.findings as unknown[]).length).toBeGreaterThan(0);
  });

  test('answers a report naming restore.S3BucketName, not a 500, for a bucket that does not exist', async () => {
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = uniqueName('missing');
    const report = await call(idle, 'POST', '/validate', { body: spec });
    expect(report.status).toBe(200);
    expect(report.body.data).toMatchObject({ ok: false, backupRead: true });
    expect(report.body.data!.findings).toEqual([
      expect.objectContaining({ code: 'BACKUP_UNREADABLE', severity: 'error', path: 'restore.S3BucketName' }),
    ]);
  });

  test('reports pre-flight findings by spec field and the exact requests, the password redacted', async () => {
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = uniqueName('empty');
    await (
      await import('../helpers/stack')
    )
      .testS3Client()
      .send(new CreateBucketCommand({ Bucket: spec.restore.S3BucketName }));
    spec.instances[0]!.DBInstanceClass = 'db.t2.micro';
    const report = await call(idle, 'POST', '/validate', { body: spec });
    expect(report.status).toBe(200);
    const data = report.body.data as unknown as {
      ok: boolean;
      preflight: { findings: { code: string; path: string }[]; requests: { restoreCluster: Record<string, unknown> } };
    };
    expect(data.ok).toBe(false);
    expect(data.preflight.findings).toContainEqual(
      expect.objectContaining({ code: 'INSTANCE_CLASS_NOT_ORDERABLE', path: 'instances[0].DBInstanceClass' }),
    );
    expect(data.preflight.requests.restoreCluster.MasterUserPassword).toBe('<redacted>');
    expect(JSON.stringify(report.body)).not.toContain(spec.restore.MasterUserPassword!);
  });
});

describe('OpenAPI', () => {
  test('the document validates and lists exactly the routes the server registers', () => {
    const document = buildOpenApiDocument();
    // swagger-parser's dependencies are ESM-only, which jest's module loader cannot require: validate in Node.
    const script =
      "require('@apidevtools/swagger-parser').validate(JSON.parse(require('fs').readFileSync(0, 'utf8')))" +
      ".then(() => console.log('valid'), (e) => { console.log(e.message); process.exit(1); })";
    const verdict = execFileSync(process.execPath, ['-e', script], {
      input: JSON.stringify(document),
      encoding: 'utf8',
    });
    expect(verdict.trim()).toBe('valid');
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>)
      .flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`))
      .sort();
    const registered = registeredRoutes(idle.app)
      .map((r) => `${r.method} ${openApiPath(r.url)}`)
      .sort();
    expect(registered).toEqual(documented);
    expect(registered).toEqual(
      expect.arrayContaining([
        'POST /migrations',
        'POST /',
        'GET /migrations',
        'GET /migrations/{id}',
        'POST /migrations/{id}/cancel',
        'POST /migrations/{id}/approve',
        'POST /migrations/{id}/reject',
        'POST /migrations/{id}/cutover',
        'POST /validate',
        'POST /events/rds',
        'GET /healthz',
        'GET /openapi.json',
      ]),
    );
  });
});
