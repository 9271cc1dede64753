/**
 * A spec with a plaintext MasterUserPassword is refused when no payload codec is configured (the password would
 * sit in clear in Temporal history), on every start path, and nothing is started; with a codec it starts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../../config/app-config';
import { payloadCodecs } from '../../config/codec';
import { PlaintextPasswordError, InvalidSpecError } from '../../client/errors';
import { startMigration } from '../../client/temporal';
import { migrationWorkflowId } from '../../workflows/ids';
import { TEST_CODEC_KEYS } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { cliEnv, runCli } from './cli-helpers';
import { call, startTestServer, type TestServer } from './http-helpers';
import { SECRET_PASSWORD, validSpec } from './spec-fixtures';

// No worker polls this queue: started migrations stay RUNNING, which is all a start needs.
const taskQueue = uniqueName('plaintext-tq');
const withCodec = cliEnv(taskQueue);
const withoutCodec: Record<string, string> = { ...withCodec };
delete withoutCodec.AURORA_MIGRATE_CODEC_KEYS;
let client: Client;
let server: TestServer;

beforeAll(async () => {
  // The client decodes what the codec-configured start encrypted (its memo); the refusals never reach Temporal.
  client = new Client({
    connection: await Connection.connect({ address: testStack().temporal.address }),
    dataConverter: {
      payloadCodecs: payloadCodecs(loadConfig({ AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS }).codecKeys),
    },
  });
  server = await startTestServer(client, loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }));
});

afterAll(async () => {
  await server?.close();
  await client?.connection.close();
});

/** Reads the workflow's history: a refused start must leave none at all. */
async function exists(cluster: string): Promise<boolean> {
  try {
    const history = await client.workflow.getHandle(migrationWorkflowId('us-east-1', cluster)).fetchHistory();
    return (history.events?.length ?? 0) > 0;
  } catch (err) {
    // GetWorkflowExecutionHistory answers gRPC NOT_FOUND (5) for a workflow that was never started.
    if ((err as Error).name === 'WorkflowNotFoundError' || (err as { code?: number }).code === 5) return false;
    throw err;
  }
}

function specFile(cluster: string, spec = validSpec(cluster)): string {
  const file = join(testStack().scratchDir, `${uniqueName('plaintext')}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

describe('a plaintext MasterUserPassword without AURORA_MIGRATE_CODEC_KEYS', () => {
  test('CLI start exits 2 naming restore.MasterUserPassword and the fix, and starts nothing', async () => {
    const cluster = uniqueName('plain-cli');
    const run = await runCli(['start', specFile(cluster)], withoutCodec);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('restore.MasterUserPassword:');
    expect(run.stderr).toContain('AURORA_MIGRATE_CODEC_KEYS');
    expect(run.stderr).toContain('ManageMasterUserPassword: true');
    expect(run.stderr).toContain('MasterUserPasswordSecretArn');
    expect(run.stdout + run.stderr).not.toContain(SECRET_PASSWORD);
    expect(await exists(cluster)).toBe(false);
  });

  test('POST /migrations answers 400 VALIDATION_ERROR with the path, and starts nothing', async () => {
    const cluster = uniqueName('plain-http');
    const answer = await call(server, 'POST', '/migrations', { body: validSpec(cluster) });
    expect(answer.status).toBe(400);
    const body = answer.body as { error: { code: string; details: { path: string; message: string }[] } };
    expect(body.error.code).toBe('VALIDATION_ERROR');
    expect(body.error.details.map((d) => d.path)).toEqual(['restore.MasterUserPassword']);
    expect(body.error.details[0]!.message).toContain('AURORA_MIGRATE_CODEC_KEYS');
    expect(JSON.stringify(answer.body)).not.toContain(SECRET_PASSWORD);
    expect(await exists(cluster)).toBe(false);
  });

  test('the library throws PlaintextPasswordError, an InvalidSpecError, and starts nothing', async () => {
    const cluster = uniqueName('plain-lib');
    const error = await startMigration(
      client,
      loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }),
      validSpec(cluster),
    ).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(PlaintextPasswordError);
    expect(error).toBeInstanceOf(InvalidSpecError);
    expect((error as PlaintextPasswordError).issues[0]!.path).toBe('restore.MasterUserPassword');
    expect(await exists(cluster)).toBe(false);
  });

  test('the same spec naming the password by MasterUserPasswordSecretArn starts, with no codec', async () => {
    const cluster = uniqueName('plain-arn');
    const spec = validSpec(cluster);
    delete spec.restore.MasterUserPassword;
    spec.restore.MasterUserPasswordSecretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:m-AbCdEf';
    const run = await runCli(['start', specFile(cluster, spec)], withoutCodec);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await exists(cluster)).toBe(true);
    await client.workflow.getHandle(migrationWorkflowId('us-east-1', cluster)).terminate('test done');
  });

  test('with a codec configured the same spec starts', async () => {
    const cluster = uniqueName('plain-ok');
    const run = await runCli(['start', specFile(cluster)], withCodec);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await exists(cluster)).toBe(true);
    await client.workflow.getHandle(migrationWorkflowId('us-east-1', cluster)).terminate('test done');
  });
});
