import {
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DBInstanceAlreadyExistsFault,
  DBInstanceNotFoundFault,
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  InvalidDBClusterStateFault,
  RestoreDBClusterFromS3Command,
  type CreateDBInstanceCommandInput,
} from '@aws-sdk/client-rds';
import { uniqueName } from '../helpers/stack';
import { caught, restoreInput, waitFor } from './fixture';
import { useTestEmulator } from './use-emulator';

const env = useTestEmulator();

/** Restores a cluster and waits until it is available. */
async function availableCluster(overrides = {}): Promise<string> {
  const input = restoreInput(env.seeded, overrides);
  await env.rds.send(new RestoreDBClusterFromS3Command(input));
  const id = input.DBClusterIdentifier!;
  await waitFor(
    async () =>
      (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status,
    (status) => status === 'available',
  );
  return id;
}

function instanceInput(clusterId: string, overrides: Partial<CreateDBInstanceCommandInput> = {}) {
  return {
    DBInstanceIdentifier: uniqueName('i'),
    DBInstanceClass: 'db.r6g.large',
    Engine: 'aurora-mysql',
    DBClusterIdentifier: clusterId,
    ...overrides,
  };
}

const describeInstance = async (id: string) =>
  (await env.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];

describe('CreateDBInstance', () => {
  it('walks creating → configuring-enhanced-monitoring → backing-up → available, with the Endpoint at the end', async () => {
    const clusterId = await availableCluster();
    const input = instanceInput(clusterId, { PromotionTier: 0, Tags: [{ Key: 'role', Value: 'writer' }] });
    const { DBInstance, $metadata } = await env.rds.send(new CreateDBInstanceCommand(input));
    expect($metadata.requestId).toBeTruthy();
    expect(DBInstance).toMatchObject({
      DBInstanceIdentifier: input.DBInstanceIdentifier,
      DBInstanceArn: `arn:aws:rds:us-east-1:123456789012:db:${input.DBInstanceIdentifier}`,
      DBInstanceClass: 'db.r6g.large',
      DBInstanceStatus: 'creating',
      DBClusterIdentifier: clusterId,
      PromotionTier: 0,
      AllocatedStorage: 1,
      PubliclyAccessible: false,
      StorageEncrypted: false,
      TagList: [{ Key: 'role', Value: 'writer' }],
      AvailabilityZone: 'us-east-1a',
    });
    expect(DBInstance?.Endpoint).toBeUndefined();
    expect(DBInstance?.InstanceCreateTime).toBeInstanceOf(Date);
    expect(DBInstance?.DbiResourceId).toMatch(/^db-[A-Z0-9]{26}$/);
    const seen = new Set<string>();
    const available = await waitFor(
      () => describeInstance(input.DBInstanceIdentifier),
      (instance) => {
        seen.add(instance?.DBInstanceStatus ?? '');
        return instance?.DBInstanceStatus === 'available';
      },
    );
    expect(seen).toEqual(new Set(['creating', 'configuring-enhanced-monitoring', 'backing-up', 'available']));
    expect(available?.Endpoint?.Address).toMatch(
      new RegExp(`^${input.DBInstanceIdentifier}\\.[a-z0-9]{12}\\.us-east-1\\.rds\\.amazonaws\\.com$`),
    );
    expect(available?.Endpoint?.Port).toBe(3306);
    expect(available?.Endpoint?.HostedZoneId).toBeTruthy();
  });

  it('makes the first instance the writer and lists members on the cluster and by db-cluster-id filter', async () => {
    const clusterId = await availableCluster();
    const writer = instanceInput(clusterId, { DBInstanceClass: 'db.serverless' });
    const reader = instanceInput(clusterId, { PromotionTier: 2 });
    await env.rds.send(new CreateDBInstanceCommand(writer));
    await env.rds.send(new CreateDBInstanceCommand(reader));
    const { DBClusters } = await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
    expect(DBClusters?.[0]?.DBClusterMembers).toEqual([
      expect.objectContaining({
        DBInstanceIdentifier: writer.DBInstanceIdentifier,
        IsClusterWriter: true,
        PromotionTier: 1,
      }),
      expect.objectContaining({
        DBInstanceIdentifier: reader.DBInstanceIdentifier,
        IsClusterWriter: false,
        PromotionTier: 2,
      }),
    ]);
    const { DBInstances } = await env.rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }] }),
    );
    expect(DBInstances?.map((i) => i.DBInstanceIdentifier)).toEqual([
      writer.DBInstanceIdentifier,
      reader.DBInstanceIdentifier,
    ]);
  });

  it('refuses an instance while the cluster is still creating with InvalidDBClusterStateFault', async () => {
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const err = await caught(() =>
      env.rds.send(new CreateDBInstanceCommand(instanceInput(input.DBClusterIdentifier!))),
    );
    expect(err).toBeInstanceOf(InvalidDBClusterStateFault);
  });

  it('raises DBInstanceAlreadyExistsFault from the wire code DBInstanceAlreadyExists', async () => {
    const clusterId = await availableCluster();
    const input = instanceInput(clusterId);
    await env.rds.send(new CreateDBInstanceCommand(input));
    const err = await caught(() => env.rds.send(new CreateDBInstanceCommand(input)));
    expect(err).toBeInstanceOf(DBInstanceAlreadyExistsFault);
    expect(err.Code).toBe('DBInstanceAlreadyExists');
  });

  it('raises DBClusterNotFoundFault (404) for a missing cluster', async () => {
    const err = await caught(() => env.rds.send(new CreateDBInstanceCommand(instanceInput('no-such-cluster'))));
    expect(err).toBeInstanceOf(DBClusterNotFoundFault);
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(404);
  });

  it.each([
    [
      'db.serverless without a scaling configuration',
      { DBInstanceClass: 'db.serverless' },
      'InvalidParameterCombination',
    ],
    ['an engine that differs from the cluster', { Engine: 'aurora-postgresql' }, 'InvalidParameterCombination'],
    ['db.t2.micro for an S3 import', { DBInstanceClass: 'db.t2.micro' }, 'InvalidParameterCombination'],
    ['a malformed class', { DBInstanceClass: 'large' }, 'InvalidParameterValue'],
    ['a cluster-managed password', { MasterUserPassword: 'Sup3r-secret-pw' }, 'InvalidParameterCombination'],
    ['a cluster-managed storage size', { AllocatedStorage: 20 }, 'InvalidParameterCombination'],
    ['a bad identifier', { DBInstanceIdentifier: 'bad--id' }, 'InvalidParameterValue'],
    ['no instance class', { DBInstanceClass: undefined }, 'MissingParameter'],
  ])('rejects %s', async (_what, overrides, name) => {
    const clusterId = await availableCluster({ ServerlessV2ScalingConfiguration: undefined });
    const err = await caught(() =>
      env.rds.send(
        new CreateDBInstanceCommand(instanceInput(clusterId, overrides as Partial<CreateDBInstanceCommandInput>)),
      ),
    );
    expect(err.name).toBe(name);
    expect(err.message).not.toContain('Sup3r-secret-pw');
  });
});

describe('DeleteDBInstance and cluster deletion with members', () => {
  it('raises DBInstanceNotFoundFault (404) for an unknown instance', async () => {
    const err = await caught(() => env.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: 'nope' })));
    expect(err).toBeInstanceOf(DBInstanceNotFoundFault);
    expect((err.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(404);
  });

  it('refuses to delete a cluster with live instances, and allows it once they are deleting', async () => {
    const clusterId = await availableCluster();
    const input = instanceInput(clusterId);
    await env.rds.send(new CreateDBInstanceCommand(input));
    const refused = await caught(() =>
      env.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: clusterId, SkipFinalSnapshot: true })),
    );
    expect(refused).toBeInstanceOf(InvalidDBClusterStateFault);
    expect(refused.message).toBe('Cluster cannot be deleted, it still contains DB instances in non-deleting state.');
    const { DBInstance } = await env.rds.send(
      new DeleteDBInstanceCommand({ DBInstanceIdentifier: input.DBInstanceIdentifier, SkipFinalSnapshot: true }),
    );
    expect(DBInstance?.DBInstanceStatus).toBe('deleting');
    await env.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: clusterId, SkipFinalSnapshot: true }));
    await waitFor(
      () => describeInstance(input.DBInstanceIdentifier).catch((err: unknown) => err),
      (result) => result instanceof DBInstanceNotFoundFault,
    );
    const { DBClusters } = await env.rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterId] }] }),
    );
    expect(DBClusters?.every((c) => c.DBClusterMembers?.length === 0)).toBe(true);
  });
});
