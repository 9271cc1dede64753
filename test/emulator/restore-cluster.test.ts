import {
  DBClusterAlreadyExistsFault,
  DBClusterNotFoundFault,
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  InvalidS3BucketFault,
  RestoreDBClusterFromS3Command,
} from '@aws-sdk/client-rds';
import { caught, restoreInput, waitFor } from './fixture';
import { useTestEmulator } from './use-emulator';

const env = useTestEmulator();

describe('RestoreDBClusterFromS3', () => {
  it('returns a creating cluster with every member parsed by the SDK, stored under a lower-case id', async () => {
    const input = restoreInput(env.seeded, {
      DBClusterIdentifier: `Upper-${Date.now()}`,
      Tags: [{ Key: 'aurora-migrate:workflow-id', Value: 'wf <&> "1"' }],
      VpcSecurityGroupIds: ['sg-1', 'sg-2'],
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      EnableCloudwatchLogsExports: ['error', 'slowquery'],
      StorageEncrypted: true,
      DBSubnetGroupName: 'private',
    });
    const { DBCluster: cluster, $metadata } = await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const id = input.DBClusterIdentifier!.toLowerCase();
    expect($metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(cluster).toMatchObject({
      DBClusterIdentifier: id,
      DBClusterArn: `arn:aws:rds:us-east-1:123456789012:cluster:${id}`,
      Status: 'creating',
      PercentProgress: '0',
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.07.1',
      Port: 3306,
      AllocatedStorage: 1,
      MasterUsername: 'admin',
      DBClusterMembers: [],
      DBSubnetGroup: 'private',
      DBClusterParameterGroup: 'default.aurora-mysql8.0',
      StorageEncrypted: true,
      DeletionProtection: false,
      AvailabilityZones: ['us-east-1a', 'us-east-1b'],
      EnabledCloudwatchLogsExports: ['error', 'slowquery'],
      TagList: [{ Key: 'aurora-migrate:workflow-id', Value: 'wf <&> "1"' }],
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
      VpcSecurityGroups: [
        { VpcSecurityGroupId: 'sg-1', Status: 'active' },
        { VpcSecurityGroupId: 'sg-2', Status: 'active' },
      ],
    });
    expect(cluster?.Endpoint).toMatch(new RegExp(`^${id}\\.cluster-[a-z0-9]{12}\\.us-east-1\\.rds\\.amazonaws\\.com$`));
    expect(cluster?.ReaderEndpoint).toMatch(new RegExp(`^${id}\\.cluster-ro-[a-z0-9]{12}\\.`));
    expect(cluster?.DbClusterResourceId).toMatch(/^cluster-[A-Z0-9]{26}$/);
    expect(cluster?.KmsKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    expect(cluster?.ClusterCreateTime).toBeInstanceOf(Date);
    expect(cluster?.MasterUserSecret).toBeUndefined();
  });

  it('reports a managed master secret and defaults the engine version per source major', async () => {
    const input = restoreInput(env.seeded, {
      MasterUserPassword: undefined,
      ManageMasterUserPassword: true,
      EngineVersion: undefined,
      SourceEngineVersion: '5.7',
    });
    const { DBCluster: cluster } = await env.rds.send(new RestoreDBClusterFromS3Command(input));
    expect(cluster?.EngineVersion).toMatch(/^5\.7\.mysql_aurora\.2\./);
    expect(cluster?.DBClusterParameterGroup).toBe('default.aurora-mysql5.7');
    expect(cluster?.MasterUserSecret?.SecretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!/);
    expect(cluster?.MasterUserSecret?.SecretStatus).toBe('creating');
  });

  it('goes creating, then migrating with rising progress, then available', async () => {
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const describe = async () =>
      (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.DBClusterIdentifier })))
        .DBClusters?.[0];
    const migrating = await waitFor(describe, (c) => c?.Status === 'migrating');
    expect(Number(migrating?.PercentProgress)).toBeLessThan(100);
    const available = await waitFor(describe, (c) => c?.Status === 'available');
    expect(available?.PercentProgress).toBe('100');
  });

  it('rejects an existing identifier with DBClusterAlreadyExistsFault, whatever its case', async () => {
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const again = { ...input, DBClusterIdentifier: input.DBClusterIdentifier!.toUpperCase() };
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(again)));
    expect(err).toBeInstanceOf(DBClusterAlreadyExistsFault);
    expect((err.$metadata as { requestId?: string }).requestId).toBeTruthy();
  });

  it('rejects a missing bucket and an empty prefix with InvalidS3BucketFault', async () => {
    const noBucket = await caught(() =>
      env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { S3BucketName: 'no-such-bucket-emu' }))),
    );
    expect(noBucket).toBeInstanceOf(InvalidS3BucketFault);
    const empty = await caught(() =>
      env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { S3Prefix: 'nothing-here/' }))),
    );
    expect(empty).toBeInstanceOf(InvalidS3BucketFault);
  });

  it('accepts files that are not a backup, then ends migration-failed as the real service would', async () => {
    const input = restoreInput(env.seeded, { S3Prefix: env.seeded.junkPrefix });
    const { DBCluster } = await env.rds.send(new RestoreDBClusterFromS3Command(input));
    expect(DBCluster?.Status).toBe('creating');
    await waitFor(
      async () =>
        (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.DBClusterIdentifier })))
          .DBClusters,
      (clusters) => clusters?.[0]?.Status === 'migration-failed',
    );
  });

  it.each([
    ['MissingParameter', { S3BucketName: undefined }, /must contain the parameter S3BucketName/],
    ['InvalidParameterValue', { DBClusterIdentifier: '1starts-with-digit' }, /not a valid identifier/],
    ['InvalidParameterValue', { DBClusterIdentifier: 'double--hyphen' }, /not a valid identifier/],
    ['InvalidParameterValue', { DBClusterIdentifier: 'trailing-' }, /not a valid identifier/],
    ['InvalidParameterValue', { DBClusterIdentifier: 'a'.repeat(64) }, /not a valid identifier/],
    ['InvalidParameterValue', { Engine: 'mysql' }, /aurora-mysql/],
    ['InvalidParameterValue', { SourceEngine: 'postgres' }, /source engine/],
    ['InvalidParameterValue', { SourceEngineVersion: '5.6.40' }, /5\.7 and 8\.0/],
    ['InvalidParameterValue', { MasterUsername: '9admin' }, /MasterUsername/],
    ['InvalidParameterValue', { MasterUserPassword: 'short' }, /shorter than 8/],
    ['InvalidParameterValue', { MasterUserPassword: 'has@at-sign' }, /printable ASCII/],
    ['InvalidParameterValue', { MasterUserPassword: undefined }, /must be provided and must not be blank/],
    ['InvalidParameterCombination', { ManageMasterUserPassword: true }, /ManageMasterUserPassword/],
    ['InvalidParameterCombination', { SourceEngineVersion: '5.7.44' }, /same major version/],
  ])('raises %s for %j', async (name, overrides, message) => {
    const err = await caught(() =>
      env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, overrides))),
    );
    expect(err.name).toBe(name);
    expect(err.message).toMatch(message);
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(400);
  });

  it('never echoes the master password in a response or an error', async () => {
    const password = 'Echo-me-never-42';
    const { DBCluster } = await env.rds.send(
      new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { MasterUserPassword: password })),
    );
    expect(JSON.stringify(DBCluster)).not.toContain(password);
    const err = await caught(() =>
      env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { MasterUserPassword: `${password}"` }))),
    );
    expect(err.message).not.toContain(password);
  });
});

describe('DescribeDBClusters and DeleteDBCluster', () => {
  it('raises DBClusterNotFoundFault (404) for an unknown id but returns an empty list for a filter', async () => {
    const err = await caught(() => env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: 'nope' })));
    expect(err).toBeInstanceOf(DBClusterNotFoundFault);
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(404);
    const { DBClusters } = await env.rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: ['nope'] }] }),
    );
    expect(DBClusters).toEqual([]);
  });

  it('pages through all clusters with MaxRecords and Marker', async () => {
    for (let i = 0; i < 22; i += 1) await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded)));
    const first = await env.rds.send(new DescribeDBClustersCommand({ MaxRecords: 20 }));
    expect(first.DBClusters).toHaveLength(20);
    expect(first.Marker).toBeTruthy();
    const second = await env.rds.send(new DescribeDBClustersCommand({ MaxRecords: 20, Marker: first.Marker }));
    const ids = [...first.DBClusters!, ...second.DBClusters!].map((c) => c.DBClusterIdentifier);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(22);
  });

  it('refuses to delete without SkipFinalSnapshot or with deletion protection', async () => {
    const plain = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(plain));
    const noSkip = await caught(() =>
      env.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: plain.DBClusterIdentifier })),
    );
    expect(noSkip.name).toBe('InvalidParameterCombination');
    const protectedInput = restoreInput(env.seeded, { DeletionProtection: true });
    await env.rds.send(new RestoreDBClusterFromS3Command(protectedInput));
    const protectedErr = await caught(() =>
      env.rds.send(
        new DeleteDBClusterCommand({
          DBClusterIdentifier: protectedInput.DBClusterIdentifier,
          SkipFinalSnapshot: true,
        }),
      ),
    );
    expect(protectedErr.name).toBe('InvalidParameterCombination');
    expect(protectedErr.message).toMatch(/deletion protection/);
  });

  it('deletes a cluster: deleting for a while, then DBClusterNotFoundFault', async () => {
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const { DBCluster } = await env.rds.send(
      new DeleteDBClusterCommand({ DBClusterIdentifier: input.DBClusterIdentifier, SkipFinalSnapshot: true }),
    );
    expect(DBCluster?.Status).toBe('deleting');
    await waitFor(
      async () => {
        try {
          await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.DBClusterIdentifier }));
          return undefined;
        } catch (err) {
          return err;
        }
      },
      (err) => err instanceof DBClusterNotFoundFault,
    );
  });
});
