import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateKeyCommand, DisableKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { IAMClient } from '@aws-sdk/client-iam';
import { runPreflight, type PreflightReport } from '../../activities/preflight';
import type { MigrationInput } from '../../workflows/types';
import { useTestEmulator } from '../emulator/use-emulator';
import { testS3Client, testStack, uniqueName } from '../helpers/stack';
import {
  createRole,
  policy,
  preflightDeps,
  READS_BACKUPS,
  seededSpec,
  testIamClient,
  testKmsClient,
} from './preflight-helpers';

// Whether the ingestion role needs kms:Decrypt is read from one backup object's HeadObject. The stack's S3,
// versitygw (v1.7.0, posix backend), accepts PutObject's SSE-KMS headers and drops them: its HeadObject names no
// encryption at all (its posix backend and s3api never read x-amz-server-side-encryption), and
// Put/GetBucketEncryption answer 501. moto's S3 keeps and returns both headers, so the SSE-KMS path runs
// against moto's S3 (the same moto server that serves IAM and KMS), and versitygw shows the other answer.
const env = useTestEmulator();
const WORKFLOW_ID = 'aurora-migrate:us-east-1:preflight-sse-kms';
let iam: IAMClient;
let kms: KMSClient;
let motoS3: S3Client;

beforeAll(() => {
  iam = testIamClient();
  kms = testKmsClient();
  const { moto } = testStack();
  motoS3 = new S3Client({
    endpoint: moto.endpoint,
    region: moto.region,
    forcePathStyle: true,
    maxAttempts: 1,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
});
afterAll(() => {
  iam.destroy();
  kms.destroy();
  motoS3.destroy();
});

/** Uploads a backup's first object with SSE-KMS under `key`; returns the spec's bucket and prefix for it. */
async function uploadSseKms(s3: S3Client, bucket: string, keyArn: string): Promise<{ bucket: string; prefix: string }> {
  const prefix = `${uniqueName('sse')}/`;
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: `${prefix}xtrabackup_checkpoints`,
      Body: 'backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 2629030\n',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: keyArn,
    }),
  );
  return { bucket, prefix };
}

async function preflightOf(s3: S3Client, roleArn: string, backup: { bucket: string; prefix: string }) {
  const spec: MigrationInput = seededSpec(env.seeded);
  spec.restore.S3BucketName = backup.bucket;
  spec.restore.S3Prefix = backup.prefix;
  spec.restore.S3IngestionRoleArn = roleArn;
  return runPreflight({ ...preflightDeps(env.rds), s3 }, { spec, workflowId: WORKFLOW_ID });
}

const checkedLine = (report: PreflightReport) =>
  report.findings.find((f) => f.code === 'INGESTION_ROLE_PERMISSIONS_CHECKED')?.message ?? '';

describe('SSE-KMS backup objects and the ingestion role', () => {
  test('objects moto reports as SSE-KMS make the pre-flight ask for kms:Decrypt on their key: refused without it, passed with it', async () => {
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'backup objects' }))).KeyMetadata!.Arn!;
    const bucket = uniqueName('sse-kms');
    await motoS3.send(new CreateBucketCommand({ Bucket: bucket }));
    const backup = await uploadSseKms(motoS3, bucket, keyArn);
    // What the decision is made from: moto answers with the method and the key.
    const head = await motoS3.send(
      new HeadObjectCommand({ Bucket: bucket, Key: `${backup.prefix}xtrabackup_checkpoints` }),
    );
    expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual(['aws:kms', keyArn]);

    const withoutDecrypt = await createRole(iam, { inline: [policy(...READS_BACKUPS)] });
    const refused = await preflightOf(motoS3, withoutDecrypt, backup);
    const errors = refused.findings.filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.code, f.path])).toEqual([['INGESTION_ROLE_NOT_ALLOWED', 'restore.S3IngestionRoleArn']]);
    expect(errors[0]?.message).toContain(`may not kms:Decrypt on ${keyArn}: no statement allows it`);
    expect(errors[0]?.fix).toContain(`Allow kms:Decrypt on ${keyArn}`);
    expect(refused.ok).toBe(false);

    const withDecrypt = await createRole(iam, {
      inline: [policy(...READS_BACKUPS, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn })],
    });
    const passed = await preflightOf(motoS3, withDecrypt, backup);
    expect(passed.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(checkedLine(passed)).toContain('s3:GetObject, kms:Decrypt for');
    expect(passed.ok).toBe(true);
  });

  test.each([
    ['disabled', 'KMS_KEY_NOT_ENABLED', 'which is Disabled: RDS cannot decrypt the backup'],
    ['deleted', 'KMS_KEY_NOT_FOUND', 'which does not exist (or the caller cannot see it)'],
  ] as const)(
    'objects encrypted with a %s key are refused on restore.S3BucketName, whatever the role may do',
    async (state, code, says) => {
      let keyArn: string;
      if (state === 'disabled') {
        keyArn = (await kms.send(new CreateKeyCommand({ Description: 'disabled backup key' }))).KeyMetadata!.Arn!;
        await kms.send(new DisableKeyCommand({ KeyId: keyArn.split('/').pop() })); // moto's DisableKey takes no ARN
      } else {
        // moto's S3 does not look the key up on PutObject; Amazon S3 would, but a key deleted after the upload
        // gives the same HeadObject answer.
        keyArn = 'arn:aws:kms:us-east-1:123456789012:key/0000dead-0000-4000-8000-000000000000';
      }
      const bucket = uniqueName('sse-kms');
      await motoS3.send(new CreateBucketCommand({ Bucket: bucket }));
      const backup = await uploadSseKms(motoS3, bucket, keyArn);
      const role = await createRole(iam, {
        inline: [policy(...READS_BACKUPS, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' })],
      });
      const report = await preflightOf(motoS3, role, backup);
      const errors = report.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => [f.code, f.path])).toEqual([[code, 'restore.S3BucketName']]);
      expect(errors[0]?.message).toContain(
        `s3://${bucket}/${backup.prefix}xtrabackup_checkpoints is SSE-KMS encrypted`,
      );
      expect(errors[0]?.message).toContain(says);
      expect(report.ok).toBe(false);
    },
  );

  test('objects uploaded with SSE-KMS to versitygw, which reports no encryption, leave kms:Decrypt unchecked and say so', async () => {
    const keyArn = (await kms.send(new CreateKeyCommand({ Description: 'dropped by versitygw' }))).KeyMetadata!.Arn!;
    const s3 = testS3Client();
    try {
      const backup = await uploadSseKms(s3, env.seeded.bucket, keyArn);
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: backup.bucket, Key: `${backup.prefix}xtrabackup_checkpoints` }),
      );
      expect([head.ServerSideEncryption, head.SSEKMSKeyId]).toEqual([undefined, undefined]);

      const role = await createRole(iam, { inline: [policy(...READS_BACKUPS)] });
      const report = await preflightOf(s3, role, backup);
      const unknown = report.findings.find((f) => f.code === 'BACKUP_ENCRYPTION_UNKNOWN');
      expect(unknown).toMatchObject({ severity: 'info', path: 'restore.S3BucketName' });
      expect(unknown?.message).toContain('HeadObject has no x-amz-server-side-encryption');
      expect(checkedLine(report)).not.toContain('kms:Decrypt');
      expect(report.ok).toBe(true);
    } finally {
      s3.destroy();
    }
  });
});
