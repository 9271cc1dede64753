/**
 * readSecretPassword against the stack's real Secrets Manager (moto): the password of a JSON secret or a plain
 * one, for the master user and the replication user alike; every unusable secret fails non-retryably naming the
 * spec field, and never with the secret's value in the message.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { ApplicationFailure } from '@temporalio/common';
import { runPreflight } from '../../activities/preflight';
import { readSecretPassword, replicationPassword } from '../../activities/secrets';
import { FailureTypes } from '../../workflows/errors';
import { validSpec } from '../client/spec-fixtures';
import { useTestEmulator } from '../emulator/use-emulator';
import { preflightDeps } from './preflight-helpers';
import { testSecretsClient, uniqueName } from '../helpers/stack';

const MASTER = 'restore.MasterUserPasswordSecretArn';
const REPLICATION = 'replication.source.passwordSecretArn';
let secrets: SecretsManagerClient;
const env = useTestEmulator();

beforeAll(() => {
  secrets = testSecretsClient();
});

afterAll(() => {
  secrets?.destroy();
});

async function createSecret(value: { SecretString?: string; SecretBinary?: Uint8Array }): Promise<string> {
  const created = await secrets.send(new CreateSecretCommand({ Name: uniqueName('pw'), ...value }));
  return created.ARN!;
}

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

const read = (secretArn: string, field = MASTER) => readSecretPassword(() => secrets, { secretArn, field });

describe('readSecretPassword', () => {
  test('returns the "password" key of a JSON secret, as RDS and the console store it', async () => {
    const arn = await createSecret({ SecretString: JSON.stringify({ username: 'admin', password: 'Js0n-Pa55word' }) });
    await expect(read(arn)).resolves.toBe('Js0n-Pa55word');
  });

  test('returns the whole string of a plain secret, for the replication user as well', async () => {
    const arn = await createSecret({ SecretString: 'Pl4in-repl-pass' });
    await expect(read(arn, REPLICATION)).resolves.toBe('Pl4in-repl-pass');
  });

  test('the replication user’s password is read from replication.source.passwordSecretArn at call time', async () => {
    const arn = await createSecret({ SecretString: JSON.stringify({ username: 'repl', password: 'R3pl-first' }) });
    const source = { host: 'mysql.internal.example.com', user: 'repl', passwordSecretArn: arn };
    await expect(replicationPassword(() => secrets, source)).resolves.toBe('R3pl-first');
    // Rotated between two attempts: the next call reads the new value, nothing was cached.
    await secrets.send(new PutSecretValueCommand({ SecretId: arn, SecretString: '{"password":"R3pl-rotated"}' }));
    await expect(replicationPassword(() => secrets, source)).resolves.toBe('R3pl-rotated');
    const gone = { ...source, passwordSecretArn: `${arn.slice(0, -6)}Zz9Zz9` };
    const failure = await failureOf(replicationPassword(() => secrets, gone));
    expect(failure.type).toBe(FailureTypes.SecretUnavailable);
    expect(failure.message).toMatch(/^replication\.source\.passwordSecretArn: /);
  });

  test('a JSON secret without a password key is InvalidInput naming the field, without the value', async () => {
    const arn = await createSecret({ SecretString: JSON.stringify({ username: 'admin', pass: 'N0t-the-key' }) });
    const failure = await failureOf(read(arn));
    expect(failure.type).toBe(FailureTypes.InvalidInput);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^restore\.MasterUserPasswordSecretArn: .*"password" key/);
    expect(failure.message).not.toContain('N0t-the-key');
  });

  test('a binary secret is InvalidInput naming the field', async () => {
    const arn = await createSecret({ SecretBinary: Buffer.from('Bin4ry-pass') });
    const failure = await failureOf(read(arn, REPLICATION));
    expect(failure.type).toBe(FailureTypes.InvalidInput);
    expect(failure.message).toMatch(/^replication\.source\.passwordSecretArn: .*binary/);
  });

  test('a secret that does not exist is a non-retryable SecretUnavailable naming the field and the fix', async () => {
    const arn = `arn:aws:secretsmanager:us-east-1:123456789012:secret:${uniqueName('never')}-AbCdEf`;
    const failure = await failureOf(read(arn));
    expect(failure.type).toBe(FailureTypes.SecretUnavailable);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/^restore\.MasterUserPasswordSecretArn: the secret cannot be read/);
    expect(failure.message).toContain('ResourceNotFoundException');
    expect(failure.message).toContain('create it, or correct the ARN');
  });

  test('a secret scheduled for deletion is a non-retryable SecretUnavailable saying how to restore it', async () => {
    const arn = await createSecret({ SecretString: 'D3leted-pass' });
    await secrets.send(new DeleteSecretCommand({ SecretId: arn, RecoveryWindowInDays: 7 }));
    const failure = await failureOf(read(arn));
    expect(failure.type).toBe(FailureTypes.SecretUnavailable);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain('InvalidRequestException');
    expect(failure.message).toContain('restore-secret');
    expect(failure.message).not.toContain('D3leted-pass');
  });
});

test('the dry run prints the restore request with a redacted MasterUserPassword in place of the secret ARN', async () => {
  const spec = validSpec(uniqueName('dry'));
  delete spec.restore.MasterUserPassword;
  spec.restore.MasterUserPasswordSecretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:m-AbCdEf';
  const report = await runPreflight(preflightDeps(env.rds), { spec, workflowId: 'aurora-migrate:us-east-1:dry' });
  expect(report.requests.restoreCluster.MasterUserPassword).toBe('<redacted>');
  expect(report.requests.restoreCluster).not.toHaveProperty('MasterUserPasswordSecretArn');
});
