import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { IAMClient } from '@aws-sdk/client-iam';
import { FetchHttpHandler } from '@smithy/fetch-http-handler';
import { freePort } from '../../scripts/stack/ports';
import { runPreflight } from '../../activities/preflight';
import { checkIngestionPermissions, ingestionNeeds } from '../../activities/preflight/iam-permission-checks';
import { roleNameOf } from '../../activities/preflight/iam-role-checks';
import type { MigrationInput } from '../../workflows/types';
import { useTestEmulator } from '../emulator/use-emulator';
import {
  createRole,
  policy,
  preflightDeps,
  READS_BACKUPS,
  seededSpec,
  testIamClient,
  testKmsClient,
} from './preflight-helpers';

// The emulator serves RDS, moto serves IAM and KMS (its SimulatePrincipalPolicy answers 500, so the role's
// own policy documents decide), and the run's S3 server holds the seeded backup.
const env = useTestEmulator();
const WORKFLOW_ID = 'aurora-migrate:us-east-1:preflight-iam-kms';
let iam: IAMClient;
let kms: KMSClient;

beforeAll(() => {
  iam = testIamClient();
  kms = testKmsClient();
});
afterAll(() => {
  iam.destroy();
  kms.destroy();
});

async function newKey(spec?: 'RSA_2048'): Promise<string> {
  const { KeyMetadata } = await kms.send(
    new CreateKeyCommand(spec ? { KeySpec: spec, KeyUsage: 'SIGN_VERIFY' } : { Description: 'preflight test' }),
  );
  return KeyMetadata!.Arn!;
}

type Case = {
  name: string;
  prepare: (spec: MigrationInput) => void | Promise<void>;
  code: string;
  field: string;
  severity?: 'error' | 'warning';
  /** Text the finding's message must contain (e.g. the method used). */
  says?: string;
};

const cases: Case[] = [
  {
    name: 'an ingestion role that does not exist',
    prepare: (s) => void (s.restore.S3IngestionRoleArn = 'arn:aws:iam::123456789012:role/no-such-role'),
    code: 'INGESTION_ROLE_NOT_FOUND',
    field: 'restore.S3IngestionRoleArn',
  },
  {
    name: 'an ingestion role that trusts EC2 but not RDS',
    prepare: async (s) => {
      const trust = policy({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });
      s.restore.S3IngestionRoleArn = await createRole(iam, { trust, inline: [policy(...READS_BACKUPS)] });
    },
    code: 'INGESTION_ROLE_NOT_TRUSTING_RDS',
    field: 'restore.S3IngestionRoleArn',
  },
  {
    name: 'an ingestion role that may list the bucket but not read its objects',
    prepare: async (s) => {
      s.restore.S3IngestionRoleArn = await createRole(iam, { inline: [policy(READS_BACKUPS[0])] });
    },
    code: 'INGESTION_ROLE_NOT_ALLOWED',
    field: 'restore.S3IngestionRoleArn',
    says: 's3:GetObject on arn:aws:s3:::',
  },
  {
    name: 'an ingestion role whose attached policy denies s3:ListBucket',
    prepare: async (s) => {
      s.restore.S3IngestionRoleArn = await createRole(iam, {
        inline: [policy(...READS_BACKUPS)],
        managed: [policy({ Effect: 'Deny', Action: 's3:List*', Resource: '*' })],
      });
    },
    code: 'INGESTION_ROLE_NOT_ALLOWED',
    field: 'restore.S3IngestionRoleArn',
    says: 'an explicit Deny matches',
  },
  {
    name: 'an ingestion role allowed only under a condition',
    prepare: async (s) => {
      s.restore.S3IngestionRoleArn = await createRole(iam, {
        inline: [
          policy(READS_BACKUPS[0], {
            ...READS_BACKUPS[1],
            Condition: { StringEquals: { 'aws:SourceVpce': 'vpce-1a2b3c4d' } },
          }),
        ],
      });
    },
    code: 'INGESTION_ROLE_PERMISSION_CONDITIONAL',
    field: 'restore.S3IngestionRoleArn',
    severity: 'warning',
    says: 'conditions that were not evaluated',
  },
  {
    name: 'a KmsKeyId that does not exist',
    prepare: (s) => {
      s.restore.StorageEncrypted = true;
      s.restore.KmsKeyId = 'alias/no-such-key';
    },
    code: 'KMS_KEY_NOT_FOUND',
    field: 'restore.KmsKeyId',
  },
  {
    name: 'a disabled KmsKeyId',
    prepare: async (s) => {
      const key = await newKey();
      await kms.send(new DisableKeyCommand({ KeyId: key.split('/').pop() }));
      s.restore.StorageEncrypted = true;
      s.restore.KmsKeyId = key;
    },
    code: 'KMS_KEY_NOT_ENABLED',
    field: 'restore.KmsKeyId',
  },
  {
    name: 'an asymmetric KmsKeyId',
    prepare: async (s) => {
      s.restore.StorageEncrypted = true;
      s.restore.KmsKeyId = await newKey('RSA_2048');
    },
    code: 'KMS_KEY_NOT_SYMMETRIC',
    field: 'restore.KmsKeyId',
  },
  {
    name: 'a KmsKeyId of another Region',
    prepare: (s) => {
      s.restore.StorageEncrypted = true;
      s.restore.KmsKeyId = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    },
    code: 'KMS_KEY_WRONG_REGION',
    field: 'restore.KmsKeyId',
  },
  {
    name: 'a disabled MasterUserSecretKmsKeyId',
    prepare: async (s) => {
      const key = await newKey();
      await kms.send(new DisableKeyCommand({ KeyId: key.split('/').pop() }));
      delete s.restore.MasterUserPassword;
      s.restore.ManageMasterUserPassword = true;
      s.restore.MasterUserSecretKmsKeyId = key;
    },
    code: 'KMS_KEY_NOT_ENABLED',
    field: 'restore.MasterUserSecretKmsKeyId',
  },
  {
    name: 'a MasterUserSecretKmsKeyId that does not exist',
    prepare: (s) => {
      delete s.restore.MasterUserPassword;
      s.restore.ManageMasterUserPassword = true;
      s.restore.MasterUserSecretKmsKeyId =
        'arn:aws:kms:us-east-1:123456789012:key/00000000-0000-0000-0000-000000000000';
    },
    code: 'KMS_KEY_NOT_FOUND',
    field: 'restore.MasterUserSecretKmsKeyId',
  },
];

describe('IAM and KMS pre-flight checks against moto', () => {
  test('the sample ingestion role and an enabled symmetric key pass, and the report says how permissions were checked', async () => {
    const s = seededSpec(env.seeded);
    s.restore.StorageEncrypted = true;
    s.restore.KmsKeyId = await newKey();
    delete s.restore.MasterUserPassword;
    s.restore.ManageMasterUserPassword = true;
    s.restore.MasterUserSecretKmsKeyId = await newKey();
    const report = await runPreflight(preflightDeps(env.rds), { spec: s, workflowId: WORKFLOW_ID });
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(report.ok).toBe(true);
    const how = report.findings.find((f) => f.code === 'INGESTION_ROLE_PERMISSIONS_CHECKED');
    expect(how?.message).toContain("the role's own policy documents (inline read-backups)");
    expect(how?.message).toContain('iam:SimulatePrincipalPolicy is not available here');
    expect(how?.message).toContain(
      'conditions, permissions boundaries, SCPs and bucket or key policies were not evaluated',
    );
  });

  test.each(cases.map((c) => [c.name, c] as const))('refuses %s, naming the field and the fix', async (_n, c) => {
    const s = seededSpec(env.seeded);
    await c.prepare(s);
    const report = await runPreflight(preflightDeps(env.rds), { spec: s, workflowId: WORKFLOW_ID });
    const hit = report.findings.find((f) => f.code === c.code && f.path === c.field);
    expect(hit).toMatchObject({ code: c.code, path: c.field, severity: c.severity ?? 'error' });
    expect(hit?.fix.length).toBeGreaterThan(10);
    if (c.says) expect(hit?.message).toContain(c.says);
    // moto has no SimulatePrincipalPolicy (not in 5.2.5, nor in its coverage list as of August 2026): every
    // permission verdict here comes from the documented fallback, and says so.
    if (c.code === 'INGESTION_ROLE_NOT_ALLOWED' || c.code === 'INGESTION_ROLE_PERMISSION_CONDITIONAL') {
      expect(hit?.message).toMatch(
        /the role's own policy documents \(inline inline-0[^)]*\), evaluated here because iam:SimulatePrincipalPolicy is not available here \(Error, HTTP 500\)/,
      );
    }
    expect(report.ok).toBe((c.severity ?? 'error') === 'warning');
  });

  test('IAM and KMS that do not answer leave warnings naming what was not checked, not a failed migration', async () => {
    const port = await freePort(); // nothing listens there: every call is refused by the kernel
    const closed = { endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', maxAttempts: 1 };
    const credentials = { accessKeyId: 'x', secretAccessKey: 'y' };
    const s = seededSpec(env.seeded);
    s.restore.StorageEncrypted = true;
    s.restore.KmsKeyId = 'alias/anything';
    const report = await runPreflight(
      {
        ...preflightDeps(env.rds),
        iam: new IAMClient({ ...closed, credentials }),
        kms: new KMSClient({ ...closed, credentials }),
      },
      { spec: s, workflowId: WORKFLOW_ID },
    );
    expect(report.ok).toBe(true);
    const unavailable = report.findings.filter((f) => f.code === 'PREFLIGHT_CHECK_UNAVAILABLE');
    expect(unavailable.map((f) => [f.severity, f.path])).toEqual([
      ['warning', 'restore.KmsKeyId'],
      ['warning', 'restore.S3IngestionRoleArn'],
    ]);
    expect(unavailable[0]?.message).toContain('KMS did not answer');
  });

  // The SDK's retry middleware rewraps an error that is not an Error of its own realm as "AWS SDK error wrapper
  // for …" (text only, code and cause gone), which is what jest's sandbox gets from Node's sockets; the fetch
  // handler (the one the SDK's HTTP credential provider uses) throws "TypeError: fetch failed" around the
  // socket's error. Both are outages, not rejections.
  test.each([
    ['a refused connection through the fetch handler', 'closed-port', true, 'fetch failed'],
    ['a name that does not resolve (ENOTFOUND)', 'no-such-name', false, 'ENOTFOUND'],
  ] as const)(
    '%s, wrapped by the SDK, leaves warnings, not a failed pre-flight',
    async (_name, where, useFetch, says) => {
      const endpoint =
        where === 'closed-port' ? `http://127.0.0.1:${await freePort()}` : 'http://iam.aurora-migrate.invalid';
      const options = {
        endpoint,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
        ...(useFetch ? { requestHandler: new FetchHttpHandler() } : {}),
      };
      const s = seededSpec(env.seeded);
      s.restore.StorageEncrypted = true;
      s.restore.KmsKeyId = 'alias/anything';
      const report = await runPreflight(
        { ...preflightDeps(env.rds), iam: new IAMClient(options), kms: new KMSClient(options) },
        { spec: s, workflowId: WORKFLOW_ID },
      );
      expect(report.ok).toBe(true);
      const unavailable = report.findings.filter((f) => f.code === 'PREFLIGHT_CHECK_UNAVAILABLE');
      expect(unavailable.map((f) => [f.severity, f.path])).toEqual([
        ['warning', 'restore.KmsKeyId'],
        ['warning', 'restore.S3IngestionRoleArn'],
      ]);
      expect(unavailable[1]?.message).toContain('IAM did not answer');
      expect(unavailable[1]?.message).toContain(says);
    },
  );

  test('objects encrypted with SSE-KMS need kms:Decrypt on their key: a role without it is refused', async () => {
    const key = await newKey();
    const allowedArn = await createRole(iam, {
      inline: [policy(...READS_BACKUPS, { Effect: 'Allow', Action: 'kms:Decrypt', Resource: key })],
    });
    const deniedArn = await createRole(iam, { inline: [policy(...READS_BACKUPS)] });
    const backup = {
      bucket: env.seeded.bucket,
      prefix: 'full/',
      sampleKey: 'full/xtrabackup_checkpoints',
      kmsKeyArn: key,
    };
    const allowed = await checkIngestionPermissions(
      iam,
      allowedArn,
      roleNameOf(allowedArn),
      ingestionNeeds(allowedArn, backup),
    );
    expect(allowed.filter((f) => f.severity !== 'info')).toEqual([]);
    const denied = await checkIngestionPermissions(
      iam,
      deniedArn,
      roleNameOf(deniedArn),
      ingestionNeeds(deniedArn, backup),
    );
    const refusal = denied.find((f) => f.code === 'INGESTION_ROLE_NOT_ALLOWED');
    expect(refusal?.path).toBe('restore.S3IngestionRoleArn');
    expect(refusal?.message).toContain(`kms:Decrypt on ${key}`);
    expect(denied.filter((f) => f.severity === 'error')).toHaveLength(1);
  });
});
