/**
 * Reads passwords from Secrets Manager inside an activity, at call time, so that a spec names a secret (its ARN,
 * which is not sensitive) and the password itself never enters workflow history, logs or responses. Used for
 * `restore.MasterUserPasswordSecretArn`, and meant for `replication.source.passwordSecretArn` as well.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../workflows/errors';
import type { ReplicationSource } from '../workflows/replication-types';
import { classifyAwsError } from './aws-errors';

/** A Secrets Manager client for a Region: a secret is read in the Region its ARN names. */
export type SecretsClientFor = (region: string) => SecretsManagerClient;

/** What to read. */
export interface ReadSecretPasswordInput {
  /** The secret's ARN. */
  secretArn: string;
  /** The spec field that named it, e.g. `restore.MasterUserPasswordSecretArn`: every failure message starts with it. */
  field: string;
}

/**
 * The password a secret holds: the string value of its `password` key when the secret is a JSON object (the
 * shape RDS and the console write, `{"username": …, "password": …}`), otherwise the whole secret string.
 * Failures are non-retryable `SecretUnavailable` (missing, deleted, denied) or `InvalidInput` (no usable
 * password); throttling and network errors stay retryable. No message ever contains the secret's value.
 */
export async function readSecretPassword(
  secretsFor: SecretsClientFor,
  input: ReadSecretPasswordInput,
): Promise<string> {
  const { secretArn, field } = input;
  let secretString: string | undefined;
  try {
    const answer = await secretsFor(regionOf(secretArn, field)).send(
      new GetSecretValueCommand({ SecretId: secretArn }),
    );
    secretString = answer.SecretString;
  } catch (err) {
    throw classifyAwsError(err, { operation: `GetSecretValue ${secretArn}`, secretField: field });
  }
  if (secretString === undefined) {
    throw invalidSecret(field, `secret ${secretArn} holds binary data: store the password as a string (SecretString)`);
  }
  const password = passwordIn(secretString);
  if (password === undefined) {
    throw invalidSecret(
      field,
      `secret ${secretArn} is a JSON object without a non-empty string "password" key: add one, or store the password alone`,
    );
  }
  return password;
}

/**
 * The replication user's password for the activity that calls the cluster's replication procedures: the
 * secret's value, read now (`replication.source.passwordSecretArn`), or the literal the spec carried (accepted
 * only over encrypted payloads). Call it inside that activity, never in the workflow.
 */
export async function replicationPassword(secretsFor: SecretsClientFor, source: ReplicationSource): Promise<string> {
  if (source.passwordSecretArn !== undefined) {
    return readSecretPassword(secretsFor, {
      secretArn: source.passwordSecretArn,
      field: 'replication.source.passwordSecretArn',
    });
  }
  if (source.password !== undefined) return source.password;
  throw invalidSecret('replication.source.passwordSecretArn', 'is required: name the secret holding the password');
}

/** The password of a secret string, or undefined when it is a JSON object without a usable `password` key. */
function passwordIn(secretString: string): string | undefined {
  if (secretString.trimStart().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(secretString);
    } catch {
      // Not JSON after all: a password may begin with a brace.
      return secretString === '' ? undefined : secretString;
    }
    const value =
      typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).password : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  return secretString === '' ? undefined : secretString;
}

/** The Region of a secret ARN (`arn:aws:secretsmanager:<region>:…`); the schema has checked its shape. */
function regionOf(secretArn: string, field: string): string {
  const region = secretArn.split(':')[3];
  if (!region) throw invalidSecret(field, `${secretArn} is not a Secrets Manager ARN`);
  return region;
}

function invalidSecret(field: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.InvalidInput,
    nonRetryable: true,
    message: `${field}: ${message}`,
    details: [{ field }],
  });
}

/** One Secrets Manager client per Region, made on first use by `create`. */
export function secretsClientsByRegion(create: SecretsClientFor): SecretsClientFor {
  const clients = new Map<string, SecretsManagerClient>();
  return (region) => {
    let client = clients.get(region);
    if (!client) {
      client = create(region);
      clients.set(region, client);
    }
    return client;
  };
}
