import { CreateRoleCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { loadConfig } from '../../config/app-config';
import { createIamClient, createKmsClient, createSecretsClient } from '../../config/aws-clients';
import { testStack, uniqueName } from '../helpers/stack';

function motoConfig() {
  const { moto } = testStack();
  return loadConfig({
    AWS_REGION: moto.region,
    AWS_ACCESS_KEY_ID: moto.accessKeyId,
    AWS_SECRET_ACCESS_KEY: moto.secretAccessKey,
    AURORA_MIGRATE_SECRETS_ENDPOINT: moto.endpoint,
    AURORA_MIGRATE_IAM_ENDPOINT: moto.endpoint,
    AURORA_MIGRATE_KMS_ENDPOINT: moto.endpoint,
  });
}

describe('the Secrets Manager, IAM and KMS clients built from the settings', () => {
  it('create and read a secret on the stack moto through the real SDK', async () => {
    const client = createSecretsClient(motoConfig());
    const name = uniqueName('aws-clients-secret');
    const created = await client.send(new CreateSecretCommand({ Name: name, SecretString: '{"password":"p"}' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:aws-clients-secret-/);
    const read = await client.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(read.SecretString).toBe('{"password":"p"}');
    client.destroy();
  });

  it('create and describe an IAM role and a KMS key on the stack moto', async () => {
    const config = motoConfig();
    const iam = createIamClient(config);
    const kms = createKmsClient(config);
    const roleName = uniqueName('aws-clients-role');
    await iam.send(
      new CreateRoleCommand({
        RoleName: roleName,
        AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
      }),
    );
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    expect(role.Role?.Arn).toBe(`arn:aws:iam::123456789012:role/${roleName}`);
    const key = await kms.send(new CreateKeyCommand({ Description: roleName }));
    const described = await kms.send(new DescribeKeyCommand({ KeyId: key.KeyMetadata!.KeyId }));
    expect(described.KeyMetadata?.Description).toBe(roleName);
    iam.destroy();
    kms.destroy();
  });

  it('refuse an endpoint override that is not a URL, naming the variable', () => {
    expect(() => loadConfig({ AURORA_MIGRATE_SECRETS_ENDPOINT: 'moto:5000' })).toThrow(
      /AURORA_MIGRATE_SECRETS_ENDPOINT/,
    );
  });
});
