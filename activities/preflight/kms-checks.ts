/**
 * KMS checks (DescribeKey, read-only) of the keys a spec names: `restore.KmsKeyId` (the cluster's storage) and
 * `restore.MasterUserSecretKmsKeyId` (the managed password's secret). Each must exist, be enabled, be a
 * symmetric encryption key, and be in the spec's Region.
 */
import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { isNotFoundError } from '../aws-errors';
import { guarded, preflightFinding as f, PreflightCodes as C, reachable } from './findings';

/** One check per KMS key the spec names. */
export function kmsChecks(kms: KMSClient, spec: MigrationInput): Promise<ValidationFinding[]>[] {
  const keys: [field: string, keyId: string | undefined][] = [
    ['restore.KmsKeyId', spec.restore.KmsKeyId],
    ['restore.MasterUserSecretKmsKeyId', spec.restore.MasterUserSecretKmsKeyId],
  ];
  return keys
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].length > 0)
    .map(([field, keyId]) =>
      reachable('KMS', field, () => guarded('kms:DescribeKey', field, () => checkKey(kms, spec.region, field, keyId))),
    );
}

/**
 * DescribeKey's metadata of a key, or undefined when KMS says it does not exist (or the caller cannot see it).
 * Other errors (access denied, network) are thrown for the `guarded`/`reachable` wrappers to turn into warnings.
 */
export async function describeKey(kms: KMSClient, keyId: string): Promise<KeyMetadata | undefined> {
  try {
    return (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata;
  } catch (err) {
    if (!isNotFoundError(err)) throw err;
    return undefined;
  }
}

/** Checks one key a spec field names (the backup objects' key has its own check: backup-key-check.ts). */
export async function checkKey(
  kms: KMSClient,
  region: string,
  field: string,
  keyId: string,
): Promise<ValidationFinding[]> {
  const arnRegion = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):/.exec(keyId)?.[1];
  if (arnRegion && arnRegion !== region) {
    return [
      f(
        C.KmsKeyWrongRegion,
        'error',
        field,
        `KMS key ${keyId} is in ${arnRegion}, but the cluster is created in ${region}: RDS uses keys of its own Region only.`,
        `Name a key in ${region} (or a multi-Region replica of this key there).`,
      ),
    ];
  }
  const metadata = await describeKey(kms, keyId);
  if (!metadata) {
    return [
      f(
        C.KmsKeyNotFound,
        'error',
        field,
        `KMS key ${keyId} does not exist in ${region} (or the caller cannot see it).`,
        'Name an existing key by ID, ARN, alias name (alias/…) or alias ARN, or omit the field to use the AWS managed key.',
      ),
    ];
  }
  const name = metadata.Arn ?? keyId;
  if (metadata.KeyState !== 'Enabled') {
    return [
      f(
        C.KmsKeyNotEnabled,
        'error',
        field,
        `KMS key ${name} is ${metadata.KeyState ?? 'not enabled'}: RDS cannot encrypt with it.`,
        metadata.KeyState === 'PendingDeletion'
          ? 'Cancel its deletion (aws kms cancel-key-deletion) and enable it, or name another key.'
          : 'Enable it (aws kms enable-key) or name another key.',
      ),
    ];
  }
  const spec = metadata.KeySpec ?? metadata.CustomerMasterKeySpec;
  if (spec !== 'SYMMETRIC_DEFAULT' || (metadata.KeyUsage && metadata.KeyUsage !== 'ENCRYPT_DECRYPT')) {
    return [
      f(
        C.KmsKeyNotSymmetric,
        'error',
        field,
        `KMS key ${name} is ${spec ?? 'of an unknown spec'} for ${metadata.KeyUsage ?? 'unknown usage'}: RDS needs a symmetric encryption key.`,
        'Name a key with KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT.',
      ),
    ];
  }
  return [];
}
