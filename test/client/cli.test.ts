import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { payloadCodecs } from '../../config/codec';
import { migrationWorkflowId } from '../../workflows/ids';
import { TEST_CODEC_KEYS } from '../helpers/migration';
import { NODE_SUPPORT_WARNING } from '../helpers/node-support-warning';
import { testS3Client, testStack, uniqueName } from '../helpers/stack';
import { cliEnv, runCli } from './cli-helpers';
import { SECRET_PASSWORD, validSpec } from './spec-fixtures';

// No worker polls this task queue: started migrations stay RUNNING, which is what start/status/list/cancel need.
const taskQueue = uniqueName('cli-tq');
const env = cliEnv(taskQueue);
let client: Client;

function specFile(spec: unknown, name = `${uniqueName('spec')}.json`): string {
  const file = join(testStack().scratchDir, name);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

beforeAll(async () => {
  const config = loadConfig({ AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS });
  client = new Client({
    connection: await Connection.connect({ address: testStack().temporal.address }),
    dataConverter: { payloadCodecs: payloadCodecs(config.codecKeys) },
  });
});

afterAll(async () => {
  await client?.connection.close();
});

const commands = ['start', 'validate', 'status', 'watch', 'list', 'cancel', 'approve', 'reject', 'worker', 'serve'];

describe('aurora-migrate --help', () => {
  test('the program help lists every command', async () => {
    const run = await runCli(['--help'], env);
    expect(run.code).toBe(0);
    for (const command of commands) expect(run.stdout).toContain(command);
  });

  test.each(commands)('%s --help shows usage with examples', async (command) => {
    const run = await runCli([command, '--help'], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: aurora-migrate ${command}`);
    expect(run.stdout).toContain('Examples:');
  });

  test('an unknown command or option exits 2', async () => {
    expect((await runCli(['frobnicate'], env)).code).toBe(2);
    expect((await runCli(['list', '--colour'], env)).code).toBe(2);
  });
});

describe('aurora-migrate start', () => {
  test('a bad spec exits 2, names each field and starts nothing', async () => {
    const cluster = uniqueName('bad');
    const spec = validSpec(cluster);
    spec.restore.Engine = 'aurora-postgresql' as never;
    spec.restore.MasterUserPassword = `${SECRET_PASSWORD}/`;
    spec.instances[0]!.DBInstanceClass = 'r6g.large';
    const run = await runCli(['start', specFile(spec)], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('restore.Engine:');
    expect(run.stderr).toContain('restore.MasterUserPassword:');
    expect(run.stderr).toContain('instances[0].DBInstanceClass:');
    expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
    await expect(client.workflow.getHandle(migrationWorkflowId('us-east-1', cluster)).describe()).rejects.toThrow();
  });

  test('a missing file exits 2 naming it', async () => {
    const run = await runCli(['start', '/nonexistent/orders.yaml'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('/nonexistent/orders.yaml: no such file');
  });

  test('a good spec starts the migration and prints its id; status, list and cancel follow it', async () => {
    const cluster = uniqueName('c');
    const started = await runCli(['start', specFile(validSpec(cluster))], env);
    expect(started.code).toBe(0);
    const id = migrationWorkflowId('us-east-1', cluster);
    expect(started.stdout).toContain(`Started migration ${id}`);
    expect(started.stdout).not.toContain(SECRET_PASSWORD);
    expect(started.stderr).not.toMatch(NODE_SUPPORT_WARNING);

    const again = await runCli(['start', specFile(validSpec(cluster)), '--json'], env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, attached: true });

    const rejected = await runCli(['start', specFile(validSpec(cluster)), '--reject-if-running'], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain('already running');

    const status = await runCli(['status', id, '--json'], env);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ workflowId: id, status: 'RUNNING', step: 'validating' });
    const byCluster = await runCli(['status', cluster], env);
    expect(byCluster.stdout).toContain(`Migration  ${id}`);

    let listed: Array<{ workflowId: string }> = [];
    for (let attempt = 0; attempt < 30 && listed.length === 0; attempt++) {
      const list = await runCli(['list', '--cluster', cluster, '--state', 'running', '--json'], env);
      expect(list.code).toBe(0);
      listed = JSON.parse(list.stdout) as typeof listed;
      if (listed.length === 0) await new Promise((r) => setTimeout(r, 300));
    }
    expect(listed.map((m) => m.workflowId)).toEqual([id]);

    const cancel = await runCli(['cancel', id], env);
    expect(cancel.code).toBe(0);
    expect(cancel.stdout).toContain(`Cancellation requested for ${id}`);
  });

  test('status of an unknown migration exits 1 and says so', async () => {
    const run = await runCli(['status', migrationWorkflowId('us-east-1', uniqueName('none'))], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no migration with ID');
  });

  test('list rejects an unknown state with exit 2', async () => {
    const run = await runCli(['list', '--state', 'sleeping'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--state must be one of');
  });
});

describe('aurora-migrate validate', () => {
  test('exits 1 with findings grouped by severity for an empty backup location, 2 for a bad spec', async () => {
    const bucket = uniqueName('empty');
    await testS3Client().send(new CreateBucketCommand({ Bucket: bucket }));
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = bucket;
    const run = await runCli(['validate', specFile(spec)], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('ERRORS (');
    expect(run.stdout).toContain('fix:');
    // validate builds the S3, RDS, IAM and KMS clients: the SDK would warn here on an unsupported Node.
    expect(run.stderr).not.toMatch(NODE_SUPPORT_WARNING);
    const json = await runCli(['validate', specFile(spec), '--json'], env);
    const parsed = JSON.parse(json.stdout) as {
      preflight: { findings: unknown[]; requests: { restoreCluster: Record<string, unknown> } };
    };
    expect(parsed).toMatchObject({ ok: false, bucket });
    expect(parsed.preflight.requests.restoreCluster).toMatchObject({
      DBClusterIdentifier: spec.restore.DBClusterIdentifier,
      MasterUserPassword: '<redacted>',
    });
    expect(json.stdout).not.toContain(spec.restore.MasterUserPassword!);
    expect(run.stdout).toContain('RestoreDBClusterFromS3 request:');
    const bad = await runCli(['validate', specFile({ region: 'us-east-1' })], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('restore:');
  });

  test('reports a bucket that does not exist as a finding on restore.S3BucketName, in text and JSON', async () => {
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = uniqueName('missing');
    const run = await runCli(['validate', specFile(spec)], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('BACKUP_UNREADABLE at restore.S3BucketName:');
    expect(run.stdout).toContain('NoSuchBucket');
    expect(run.stdout).toContain('RestoreDBClusterFromS3 request:');
    const json = await runCli(['validate', specFile(spec), '--json'], env);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as {
      ok: boolean;
      backupRead: boolean;
      findings: { code: string; path: string }[];
    };
    expect(parsed.ok).toBe(false);
    expect(parsed.findings).toEqual([
      expect.objectContaining({ code: 'BACKUP_UNREADABLE', path: 'restore.S3BucketName' }),
    ]);
  });

  test('reports pre-flight errors by field with their fix, and refuses another Region without reading S3', async () => {
    const spec = validSpec(uniqueName('c'));
    spec.restore.S3BucketName = uniqueName('empty');
    await testS3Client().send(new CreateBucketCommand({ Bucket: spec.restore.S3BucketName }));
    spec.instances[1]!.DBInstanceClass = 'db.t2.micro';
    const run = await runCli(['validate', specFile(spec)], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('PRE-FLIGHT');
    expect(run.stdout).toContain('ERROR INSTANCE_CLASS_NOT_ORDERABLE at instances[1].DBInstanceClass:');
    expect(run.stdout).toContain('CreateDBInstance request (' + spec.instances[1]!.DBInstanceIdentifier + '):');
    expect(run.stdout).not.toContain(spec.restore.MasterUserPassword!);
    const elsewhere = await runCli(['validate', specFile({ ...spec, region: 'eu-west-1' }), '--json'], env);
    expect(elsewhere.code).toBe(1);
    const parsed = JSON.parse(elsewhere.stdout) as { backupRead: boolean; preflight: { findings: { code: string }[] } };
    expect(parsed.backupRead).toBe(false);
    expect(parsed.preflight.findings.map((f) => f.code)).toEqual(['PREFLIGHT_REGION_MISMATCH']);
  });
});

describe('aurora-migrate serve', () => {
  test('serves the HTTP API until SIGTERM', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./cli-helpers');
    const child = spawn(process.execPath, [CLI, 'serve'], {
      env: { ...env, AURORA_MIGRATE_HTTP_PORT: '0', AURORA_MIGRATE_HTTP_TOKENS: 'serve-token-0123456789' },
    });
    try {
      const address = await new Promise<string>((resolve, reject) => {
        let seen = '';
        child.stderr.on('data', (chunk: Buffer) => {
          seen += chunk.toString();
          const match = /HTTP service on (http:\/\/\S+)/.exec(seen);
          if (match) resolve(match[1]!);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${seen}`)));
      });
      const health = await fetch(`${address}/healthz`);
      expect(health.status).toBe(200);
      const unauthorized = await fetch(`${address}/migrations`);
      expect(unauthorized.status).toBe(401);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});
