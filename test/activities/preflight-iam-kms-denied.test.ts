import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { runPreflight, type PreflightReport } from '../../activities/preflight';
import { startMotoServer, type MotoServer } from '../../scripts/stack/moto-server';
import { testStack, uniqueName } from '../helpers/stack';
import { useTestEmulator } from '../emulator/use-emulator';
import { createRole, policy, preflightDeps, READS_BACKUPS, seededSpec } from './preflight-helpers';

// A moto server of this file's own that enforces IAM policies: every request is signed by a real IAM user of
// moto's and allowed only by that user's policies. The users, the ingestion role and the key are made while
// moto still lets everything through; then moto's /moto-api/reset-auth (what its own
// set_initial_no_auth_action_count does in server mode) sets INITIAL_NO_AUTH_ACTION_COUNT to 0.
const env = useTestEmulator();
const WORKFLOW_ID = 'aurora-migrate:us-east-1:preflight-denied';
const ROLE_FIELD = 'restore.S3IngestionRoleArn';
let moto: MotoServer;
let roleArn: string;
let keyArn: string;
const callers: Record<string, { accessKeyId: string; secretAccessKey: string }> = {};

/** What each caller may do (beyond that, moto denies as IAM would). */
const CALLER_POLICIES: Record<string, unknown[]> = {
  // Neither iam:GetRole nor kms:DescribeKey.
  nothing: [{ Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*' }],
  // May read the role and the key, but neither simulate nor read the role's policies.
  'role-only': [{ Effect: 'Allow', Action: ['iam:GetRole', 'kms:DescribeKey'], Resource: '*' }],
  // May read the role and its policies, but not simulate: the role's own documents decide.
  'policy-reader': [
    {
      Effect: 'Allow',
      Action: [
        'iam:GetRole',
        'iam:ListRolePolicies',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'kms:DescribeKey',
      ],
      Resource: '*',
    },
  ],
};

beforeAll(async () => {
  const dataDir = mkdtempSync(join(testStack().scratchDir, 'moto-auth-'));
  moto = await startMotoServer({ dataDir, repoRoot: join(__dirname, '..', '..') });
  const open = {
    endpoint: moto.endpoint,
    region: moto.region,
    maxAttempts: 1,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  };
  const iam = new IAMClient(open);
  const kms = new KMSClient(open);
  try {
    roleArn = await createRole(iam, { inline: [policy(...READS_BACKUPS)] });
    keyArn = (await kms.send(new CreateKeyCommand({ Description: 'preflight denied test' }))).KeyMetadata!.Arn!;
    for (const [name, statements] of Object.entries(CALLER_POLICIES)) {
      const userName = uniqueName(name);
      await iam.send(new CreateUserCommand({ UserName: userName }));
      await iam.send(
        new PutUserPolicyCommand({ UserName: userName, PolicyName: 'caller', PolicyDocument: policy(...statements) }),
      );
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
      callers[name] = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
    }
  } finally {
    iam.destroy();
    kms.destroy();
  }
  const enforced = await fetch(`${moto.endpoint}/moto-api/reset-auth`, { method: 'POST', body: '0' });
  if (!enforced.ok) throw new Error(`moto did not enforce IAM: HTTP ${enforced.status}`);
});
afterAll(async () => {
  await moto?.stop();
});

/** The pre-flight of a spec naming the role and the key, run with `caller`'s keys against the enforcing moto. */
async function preflightAs(caller: string): Promise<PreflightReport> {
  const options = { endpoint: moto.endpoint, region: moto.region, maxAttempts: 1, credentials: callers[caller] };
  const iam = new IAMClient(options);
  const kms = new KMSClient(options);
  const spec = seededSpec(env.seeded);
  spec.restore.S3IngestionRoleArn = roleArn;
  spec.restore.StorageEncrypted = true;
  spec.restore.KmsKeyId = keyArn;
  try {
    return await runPreflight({ ...preflightDeps(env.rds), iam, kms }, { spec, workflowId: WORKFLOW_ID });
  } finally {
    iam.destroy();
    kms.destroy();
  }
}

describe('IAM and KMS checks the caller may not run, against a moto that enforces IAM policies', () => {
  test('moto really enforces: the role-only caller is refused what its policy does not allow', async () => {
    const iam = new IAMClient({
      endpoint: moto.endpoint,
      region: moto.region,
      maxAttempts: 1,
      credentials: callers['role-only'],
    });
    try {
      await expect(iam.send(new CreateUserCommand({ UserName: uniqueName('nope') }))).rejects.toMatchObject({
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403 },
      });
    } finally {
      iam.destroy();
    }
  });

  test('a caller without iam:GetRole and kms:DescribeKey gets warnings naming each, and the pre-flight passes', async () => {
    const report = await preflightAs('nothing');
    const missing = report.findings.filter((f) => f.code === 'PERMISSION_MISSING');
    expect(missing.map((f) => [f.severity, f.path])).toEqual([
      ['warning', 'restore.KmsKeyId'],
      ['warning', ROLE_FIELD],
    ]);
    expect(missing[0]?.message).toContain('not allowed kms:DescribeKey');
    expect(missing[0]?.fix).toContain('Grant kms:DescribeKey');
    // moto refuses KMS's JSON requests with an XML body: the warning says it was a 403, not only a parse error.
    expect(missing[0]?.message).toContain('HTTP 403 with a body the SDK could not parse');
    expect(missing[1]?.message).toContain('not allowed iam:GetRole');
    // moto's own refusal (not a signature or key error): the keys are good, the policy lacks the action.
    expect(missing[1]?.message).toContain('is not authorized to perform: iam:GetRole');
    // Without the role, its permissions are not checked at all: no "checked" line claims otherwise.
    expect(report.findings.map((f) => f.code)).not.toContain('INGESTION_ROLE_PERMISSIONS_CHECKED');
    expect(report.ok).toBe(true);
  });

  test('a caller who may read the role but neither simulate nor read its policies gets a warning naming those permissions', async () => {
    const report = await preflightAs('role-only');
    const missing = report.findings.filter((f) => f.code === 'PERMISSION_MISSING');
    expect(missing.map((f) => [f.severity, f.path])).toEqual([['warning', ROLE_FIELD]]);
    expect(missing[0]?.message).toContain('not allowed iam:SimulatePrincipalPolicy (or iam:ListRolePolicies');
    expect(missing[0]?.message).toContain('is not authorized to perform: iam:ListRolePolicies');
    // The key check ran (the caller may describe it) and found nothing wrong.
    expect(report.findings.filter((f) => f.path === 'restore.KmsKeyId')).toEqual([]);
    expect(report.findings.map((f) => f.code)).not.toContain('INGESTION_ROLE_PERMISSIONS_CHECKED');
    expect(report.ok).toBe(true);
  });

  test('a caller who may not simulate but may read the role policies has them evaluated, and the report says why', async () => {
    const report = await preflightAs('policy-reader');
    expect(report.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    const how = report.findings.find((f) => f.code === 'INGESTION_ROLE_PERMISSIONS_CHECKED');
    expect(how?.message).toContain('the caller may not call iam:SimulatePrincipalPolicy (AccessDenied)');
    expect(how?.message).toContain("the role's own policy documents (inline inline-0)");
    expect(report.ok).toBe(true);
  });
});
