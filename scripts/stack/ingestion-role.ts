/**
 * The ingestion role the sample specs name (`aurora-s3-import`), created in the stack's moto as a real account
 * would have it: trusted by rds.amazonaws.com, allowed to list and read backups (and decrypt SSE-KMS ones).
 * The migration's pre-flight checks this role like any other, so the demo and the tests start from a role that
 * passes, and tests that want a failing one create their own.
 */
import { CreateRoleCommand, EntityAlreadyExistsException, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { SAMPLE_ROLE_ARN } from '../fixtures/sample-spec';
import type { MotoServerAddress } from './moto-server';

/** The trust policy that lets RDS assume a role (what the AWS S3-import guide gives). */
export const RDS_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'rds.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

/** Read access to every bucket's backups, as the role's inline policy. */
const READ_BACKUPS_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: ['s3:ListBucket', 's3:GetBucketLocation'], Resource: 'arn:aws:s3:::*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*/*' },
    { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
  ],
});

/** Creates the sample ingestion role in moto (idempotent: an existing one is left as it is). */
export async function seedSampleIngestionRole(moto: MotoServerAddress): Promise<void> {
  const iam = new IAMClient({
    endpoint: moto.endpoint,
    region: moto.region,
    credentials: { accessKeyId: moto.accessKeyId, secretAccessKey: moto.secretAccessKey },
  });
  const roleName = SAMPLE_ROLE_ARN.slice(SAMPLE_ROLE_ARN.lastIndexOf('/') + 1);
  try {
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: RDS_TRUST_POLICY }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'read-backups', PolicyDocument: READ_BACKUPS_POLICY }),
    );
  } catch (err) {
    if (!(err instanceof EntityAlreadyExistsException)) throw err;
  } finally {
    iam.destroy();
  }
}
