/**
 * restore.MasterUserPasswordSecretArn end to end, with NO payload codec anywhere (the configuration in which a
 * literal password would be refused): a worker process reads the secret from the stack's Secrets Manager (moto)
 * when it calls RestoreDBClusterFromS3, the emulator's cluster gets that password, and the password appears in
 * no history payload (read through the Temporal API and decoded), worker output, HTTP answer or service log.
 * A secret that is missing or deleted fails the migration at once, non-retryably, before anything is created.
 */
import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DeleteSecretCommand } from '@aws-sdk/client-secrets-manager';
import { Client, Connection } from '@temporalio/client';
import { startMigration } from '../../client/temporal';
import { loadConfig } from '../../config/app-config';
import { EmulatorControl } from '../../emulator/control-client';
import { FailureTypes } from '../../workflows/errors';
import { Messages, migrationWorkflowId } from '../../workflows/ids';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { call, startTestServer, type TestServer } from '../client/http-helpers';
import { emulatorCallLog, failureOf, sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testSecretsClient, testStack, uniqueName } from '../helpers/stack';
import { spawnWorker, type ReliabilityWorker } from '../reliability/helpers/workers';

/** Distinctive and valid for RDS (8–41 printable ASCII, none of / " @). */
const PASSWORD = `SmPw-${randomBytes(12).toString('hex')}`;
const FIELD = 'restore.MasterUserPasswordSecretArn';
const taskQueue = uniqueName('tq-secret-arn');
const secrets = testSecretsClient();
let worker: ReliabilityWorker | undefined;
let client: Client;
let server: TestServer;

beforeAll(async () => {
  const stack = testStack();
  worker = spawnWorker({
    taskQueue,
    rdsEndpoint: stack.emulator.endpoint,
    env: { AURORA_MIGRATE_CODEC_KEYS: '', AURORA_MIGRATE_SECRETS_ENDPOINT: stack.moto.endpoint },
  });
  await worker.started;
  // A client without a codec: payloads are plain JSON, which is what makes searching them meaningful.
  client = new Client({
    connection: await Connection.connect({ address: stack.temporal.address }),
    namespace: stack.temporal.namespace,
  });
  server = await startTestServer(client, loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }));
});

afterAll(async () => {
  await worker?.kill('SIGTERM');
  await server?.close();
  await client?.connection.close();
  secrets.destroy();
});

/** The password and its base64 renderings at each byte offset (as a payload's bytes could carry it). */
function needles(secret: string): string[] {
  const found = [secret];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), Buffer.from(secret)]).toString('base64');
    found.push(encoded.slice(offset ? 4 : 0, encoded.length - 4));
  }
  return found;
}

/** Every Payload of a history (anything with `data` bytes and `metadata`), decoded as its encoding says. */
function decodedPayloads(value: unknown, into: { encoding: string; text: string }[] = []): typeof into {
  if (value instanceof Uint8Array || value === null || typeof value !== 'object') return into;
  const record = value as Record<string, unknown>;
  if (record.data instanceof Uint8Array && record.metadata && typeof record.metadata === 'object') {
    const encoding = (record.metadata as Record<string, Uint8Array | undefined>).encoding;
    into.push({
      encoding: encoding ? Buffer.from(encoding).toString() : '',
      text: Buffer.from(record.data).toString('utf8'),
    });
  }
  for (const child of Object.values(record)) decodedPayloads(child, into);
  return into;
}

function dump(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? `${Buffer.from(v).toString('latin1')} ${Buffer.from(v).toString('base64')}` : v,
  );
}

async function specWithSecret(secretArn: string): Promise<MigrationInput> {
  const backup = await uploadDirectoryBackup({ version: '5.7' });
  const spec = sampleSpec({ ...backup });
  delete spec.restore.ManageMasterUserPassword;
  spec.restore.MasterUserPasswordSecretArn = secretArn;
  return spec;
}

test('the restore gets the secret’s password, and no history payload, worker output or HTTP answer holds it', async () => {
  const created = await secrets.send(
    new CreateSecretCommand({ Name: uniqueName('master'), SecretString: JSON.stringify({ password: PASSWORD }) }),
  );
  const spec = await specWithSecret(created.ARN!);
  const cluster = spec.restore.DBClusterIdentifier;
  const answers: string[] = [];
  const started = await call(server, 'POST', '/migrations', { body: spec });
  answers.push(started.text);
  expect(started.status).toBe(202);

  const handle = client.workflow.getHandle(migrationWorkflowId(spec.region, cluster));
  const result = (await handle.result()) as MigrationResult;
  expect(result.cluster.Status).toBe('available');
  answers.push((await call(server, 'GET', `/migrations/${encodeURIComponent(handle.workflowId)}`)).text);
  answers.push((await call(server, 'GET', '/migrations')).text);

  // What RDS received: the emulator keeps a verifier, so it can say the password matches (and that another does not).
  const emulator = new EmulatorControl(testStack().emulator.endpoint);
  expect(await emulator.masterPasswordMatches(cluster, PASSWORD)).toBe(true);
  expect(await emulator.masterPasswordMatches(cluster, `${PASSWORD}x`)).toBe(false);
  const restores = (await emulatorCallLog('RestoreDBClusterFromS3')).filter((c) => c.clusterId === cluster);
  expect(restores.map((c) => c.request?.MasterUserPassword)).toEqual(['<redacted>']);
  expect(restores[0]!.request?.MasterUserPasswordSecretArn).toBeUndefined();

  const history = await handle.fetchHistory();
  const payloads = decodedPayloads(history);
  // Plain JSON payloads (no codec), and the start input really is among them: the search below can find things.
  expect(payloads.length).toBeGreaterThan(10);
  expect(new Set(payloads.map((p) => p.encoding))).toEqual(new Set(['json/plain']));
  expect(payloads.some((p) => p.text.includes(created.ARN!))).toBe(true);
  const progress = dump(await handle.query(Messages.progressQuery));

  const haystacks: Record<string, string> = {
    'decoded history payloads': payloads.map((p) => p.text).join('\n'),
    'raw history': dump(history),
    'workflow result and progress': dump(result) + progress,
    'worker output': worker!.output(),
    'HTTP answers': answers.join('\n'),
    'HTTP service logs': server.logs.join('\n'),
  };
  expect(haystacks['worker output']).toContain('"payloadEncryption":false');
  const hits = Object.entries(haystacks).flatMap(([place, text]) =>
    needles(PASSWORD)
      .filter((form) => text.includes(form))
      .map((form) => `${place}: ${form}`),
  );
  expect(hits).toEqual([]);
}, 120_000);

describe.each([
  [
    'that never existed',
    () => Promise.resolve(`arn:aws:secretsmanager:us-east-1:123456789012:secret:${uniqueName('gone')}-AbCdEf`),
  ],
  [
    'scheduled for deletion',
    async () => {
      const { ARN } = await secrets.send(new CreateSecretCommand({ Name: uniqueName('del'), SecretString: PASSWORD }));
      await secrets.send(new DeleteSecretCommand({ SecretId: ARN, RecoveryWindowInDays: 7 }));
      return ARN!;
    },
  ],
])('a secret %s', (_name, secretArn) => {
  test('fails the migration with a non-retryable SecretUnavailable naming the field, and nothing is created', async () => {
    const spec = await specWithSecret(await secretArn());
    const cluster = spec.restore.DBClusterIdentifier;
    // The library path, with no codec configured: a secret reference needs none.
    const started = await startMigration(client, loadConfig({ AURORA_MIGRATE_TASK_QUEUE: taskQueue }), spec);
    const failure = await failureOf(client.workflow.getHandle(started.workflowId).result());
    expect(failure.type).toBe(FailureTypes.SecretUnavailable);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(FIELD);

    const history = await client.workflow.getHandle(started.workflowId).fetchHistory();
    const restoreStarts = (history.events ?? []).filter(
      (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'restoreCluster',
    );
    expect(restoreStarts).toHaveLength(1);
    const restoreAttempts = (history.events ?? [])
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => e.activityTaskStartedEventAttributes!)
      .filter((a) => String(a.scheduledEventId) === String(restoreStarts[0]!.eventId));
    expect(restoreAttempts.map((a) => a.attempt)).toEqual([1]);
    const restores = (await emulatorCallLog('RestoreDBClusterFromS3')).filter((c) => c.clusterId === cluster);
    expect(restores).toEqual([]);
    const clusters = await new EmulatorControl(testStack().emulator.endpoint).clusters();
    expect(clusters.map((c) => c.id)).not.toContain(cluster);
  }, 90_000);
});
