/**
 * What the pre-flight tests share: real clients for the emulator (RDS), moto (IAM, KMS) and the S3 server,
 * a spec pointing at a seeded backup, and helpers that make IAM roles and KMS keys in moto.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { PreflightDeps } from '../../activities/preflight';
import { RDS_TRUST_POLICY } from '../../scripts/stack/ingestion-role';
import type { MigrationInput } from '../../workflows/types';
import { validSpec } from '../client/spec-fixtures';
import type { SeededBucket } from '../emulator/fixture';
import { testS3Client, testStack, uniqueName } from '../helpers/stack';

/** Client options for the test run's moto. */
function motoOptions() {
  const { moto } = testStack();
  return {
    endpoint: moto.endpoint,
    region: moto.region,
    maxAttempts: 1,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  };
}

/** A real IAM client for moto. */
export function testIamClient(): IAMClient {
  return new IAMClient(motoOptions());
}

/** A real KMS client for moto. */
export function testKmsClient(): KMSClient {
  return new KMSClient(motoOptions());
}

/** The pre-flight's clients: `rds` (an emulator's), moto's IAM and KMS, the run's S3 server. */
export function preflightDeps(rds: RDSClient): PreflightDeps {
  return { rds, iam: testIamClient(), kms: testKmsClient(), s3: testS3Client() };
}

/** A spec for a fresh cluster whose backup is the seeded bucket's. */
export function seededSpec(seeded: SeededBucket): MigrationInput {
  const spec = validSpec(uniqueName('pf'));
  spec.restore.S3BucketName = seeded.bucket;
  spec.restore.S3Prefix = seeded.backupPrefix;
  return spec;
}

/** Policy statements, as a document. */
export function policy(...Statement: unknown[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement });
}

/** Creates a role in moto with the given trust policy, inline policies and managed policies; returns its ARN. */
export async function createRole(
  iam: IAMClient,
  options: { trust?: string; inline?: string[]; managed?: string[] } = {},
): Promise<string> {
  const name = uniqueName('role');
  const { Role } = await iam.send(
    new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: options.trust ?? RDS_TRUST_POLICY }),
  );
  for (const [i, document] of (options.inline ?? []).entries()) {
    await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: `inline-${i}`, PolicyDocument: document }));
  }
  for (const document of options.managed ?? []) {
    const { Policy } = await iam.send(
      new CreatePolicyCommand({ PolicyName: uniqueName('pol'), PolicyDocument: document }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: Policy?.Arn }));
  }
  if (!Role?.Arn) throw new Error('moto returned no role ARN');
  return Role.Arn;
}

/** Full read access to backups (what the role needs), as one statement list. */
export const READS_BACKUPS = [
  { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: 'arn:aws:s3:::*' },
  { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' },
];
