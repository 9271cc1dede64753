import {
  CreateDBInstanceCommand,
  DBClusterParameterGroupNotFoundFault,
  DBClusterQuotaExceededFault,
  DBParameterGroupNotFoundFault,
  DBSubnetGroupNotFoundFault,
  DescribeAccountAttributesCommand,
  DescribeDBClustersCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOptionGroupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  OptionGroupNotFoundFault,
  RestoreDBClusterFromS3Command,
} from '@aws-sdk/client-rds';
import { EmulatorControl } from '../../emulator/control-client';
import { caught, restoreInput, waitFor } from './fixture';
import { useTestEmulator } from './use-emulator';

const env = useTestEmulator();
const control = () => new EmulatorControl(env.emulator.endpoint);

afterEach(async () => {
  await control().reset();
});

describe('the catalogue actions', () => {
  test('DescribeDBEngineVersions lists Aurora MySQL 2 and 3 with their family and MySQL compatibility', async () => {
    const { DBEngineVersions } = await env.rds.send(new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql' }));
    const v304 = DBEngineVersions?.find((v) => v.EngineVersion === '8.0.mysql_aurora.3.04.0');
    expect(v304).toMatchObject({
      Engine: 'aurora-mysql',
      MajorEngineVersion: '8.0',
      DBParameterGroupFamily: 'aurora-mysql8.0',
      DBEngineVersionDescription: 'Aurora MySQL 3.04.0 (compatible with MySQL 8.0.28)',
      Status: 'available',
    });
    expect(DBEngineVersions?.some((v) => v.DBParameterGroupFamily === 'aurora-mysql5.7')).toBe(true);
  });

  test('DescribeDBEngineVersions answers an unknown version with an empty list, as RDS does', async () => {
    const { DBEngineVersions } = await env.rds.send(
      new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql', EngineVersion: '8.0.mysql_aurora.3.99.0' }),
    );
    expect(DBEngineVersions).toEqual([]);
  });

  test('DescribeOrderableDBInstanceOptions offers db.serverless on Aurora MySQL 3 but not 2, and never db.t2.micro', async () => {
    const classes = async (EngineVersion: string) =>
      (
        await env.rds.send(
          new DescribeOrderableDBInstanceOptionsCommand({ Engine: 'aurora-mysql', EngineVersion, MaxRecords: 100 }),
        )
      ).OrderableDBInstanceOptions?.map((o) => o.DBInstanceClass);
    expect(await classes('8.0.mysql_aurora.3.07.1')).toEqual(expect.arrayContaining(['db.serverless', 'db.r6g.large']));
    const v2 = await classes('5.7.mysql_aurora.2.12.0');
    expect(v2).toContain('db.r6g.large');
    expect(v2).not.toContain('db.serverless');
    expect(v2).not.toContain('db.t2.micro');
  });

  test('DescribeDBSubnetGroups returns a group with its subnets, and DBSubnetGroupNotFoundFault for an unknown one', async () => {
    const { DBSubnetGroups } = await env.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'private' }));
    expect(DBSubnetGroups?.[0]).toMatchObject({ DBSubnetGroupName: 'private', SubnetGroupStatus: 'Complete' });
    expect(DBSubnetGroups?.[0]?.Subnets?.[0]?.SubnetAvailabilityZone?.Name).toBe('us-east-1a');
    const err = await caught(() =>
      env.rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'no-such-group' })),
    );
    expect(err).toBeInstanceOf(DBSubnetGroupNotFoundFault);
    expect(err.$metadata).toMatchObject({ httpStatusCode: 404 });
  });

  test('parameter groups have families, and unknown ones are DBParameterGroupNotFound', async () => {
    const { DBClusterParameterGroups } = await env.rds.send(
      new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: 'default.aurora-mysql8.0' }),
    );
    expect(DBClusterParameterGroups?.[0]?.DBParameterGroupFamily).toBe('aurora-mysql8.0');
    const { DBParameterGroups } = await env.rds.send(new DescribeDBParameterGroupsCommand({}));
    expect(DBParameterGroups?.map((g) => g.DBParameterGroupName)).toContain('default.aurora-mysql5.7');
    const cluster = await caught(() =>
      env.rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: 'nope' })),
    );
    expect(cluster).toBeInstanceOf(DBParameterGroupNotFoundFault);
    const instance = await caught(() =>
      env.rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: 'nope' })),
    );
    expect(instance).toBeInstanceOf(DBParameterGroupNotFoundFault);
  });

  test('DescribeOptionGroups finds the default groups and refuses an unknown name', async () => {
    const { OptionGroupsList } = await env.rds.send(
      new DescribeOptionGroupsCommand({ EngineName: 'aurora-mysql', MajorEngineVersion: '8.0' }),
    );
    expect(OptionGroupsList?.map((g) => g.OptionGroupName)).toEqual(['default:aurora-mysql-8-0']);
    const err = await caught(() => env.rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: 'nope' })));
    expect(err).toBeInstanceOf(OptionGroupNotFoundFault);
  });

  test('DescribeAccountAttributes reports the quotas and what the account uses', async () => {
    await control().setQuotas({ DBClusters: 7 });
    await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded)));
    const { AccountQuotas } = await env.rds.send(new DescribeAccountAttributesCommand({}));
    expect(AccountQuotas?.find((q) => q.AccountQuotaName === 'DBClusters')).toEqual({
      AccountQuotaName: 'DBClusters',
      Used: 1,
      Max: 7,
    });
    expect(AccountQuotas?.find((q) => q.AccountQuotaName === 'DBInstances')).toMatchObject({ Max: 40 });
  });
});

describe('the control endpoint changes the catalogue', () => {
  test('an added subnet group and parameter group are described and accepted by a restore', async () => {
    await control().addSubnetGroup({ name: 'added-subnets', zones: ['us-east-1a', 'us-east-1c'] });
    await control().addClusterParameterGroup({ name: 'tuned-80', family: 'aurora-mysql8.0' });
    const { DBSubnetGroups } = await env.rds.send(
      new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: 'added-subnets' }),
    );
    expect(DBSubnetGroups?.[0]?.Subnets?.map((s) => s.SubnetAvailabilityZone?.Name)).toEqual([
      'us-east-1a',
      'us-east-1c',
    ]);
    const { DBCluster } = await env.rds.send(
      new RestoreDBClusterFromS3Command(
        restoreInput(env.seeded, { DBSubnetGroupName: 'added-subnets', DBClusterParameterGroupName: 'tuned-80' }),
      ),
    );
    expect(DBCluster).toMatchObject({ DBSubnetGroup: 'added-subnets', DBClusterParameterGroup: 'tuned-80' });
  });

  test('a bad control body is refused naming the field', async () => {
    await expect(control().addClusterParameterGroup({ name: 'x' } as never)).rejects.toThrow(/400.*family is required/);
    await expect(control().setQuotas({ Clusters: 1 } as never)).rejects.toThrow(/400.*Clusters is not a quota/);
  });

  test('reset restores the default catalogue', async () => {
    await control().removeFromCatalogue('subnet-groups', 'private');
    expect((await control().catalogue()).subnetGroups.map((g) => g.name)).toEqual(['default']);
    await control().reset();
    expect((await control().catalogue()).subnetGroups.map((g) => g.name)).toEqual(['default', 'private']);
  });
});

describe('creates refuse what the catalogue refuses', () => {
  test('a restore with an unknown subnet group is DBSubnetGroupNotFoundFault and creates nothing', async () => {
    const input = restoreInput(env.seeded, { DBSubnetGroupName: 'missing' });
    expect(await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(input)))).toBeInstanceOf(
      DBSubnetGroupNotFoundFault,
    );
    expect(await control().clusters()).toEqual([]);
  });

  test('a restore with an unknown or wrong-family cluster parameter group is refused', async () => {
    const missing = restoreInput(env.seeded, { DBClusterParameterGroupName: 'missing' });
    expect(await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(missing)))).toBeInstanceOf(
      DBClusterParameterGroupNotFoundFault,
    );
    const wrong = restoreInput(env.seeded, { DBClusterParameterGroupName: 'default.aurora-mysql5.7' });
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(wrong)));
    expect(err.name).toBe('InvalidParameterCombination');
    expect(err.message).toMatch(/aurora-mysql8\.0/);
  });

  test('a restore of a version the catalogue does not list is refused', async () => {
    await control().removeFromCatalogue('engine-versions', '8.0.mysql_aurora.3.07.1');
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded))));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe('Cannot find version 8.0.mysql_aurora.3.07.1 for aurora-mysql');
  });

  test('a restore at the cluster quota is DBClusterQuotaExceededFault (403)', async () => {
    await control().setQuotas({ DBClusters: 0 });
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded))));
    expect(err).toBeInstanceOf(DBClusterQuotaExceededFault);
    expect(err.$metadata).toMatchObject({ httpStatusCode: 403 });
  });

  test('the newer restore parameters are validated as RDS does', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Domain: 'd-1234567890' }, 'InvalidParameterCombination'],
      [{ Domain: 'corp.example.com', DomainIAMRoleName: 'r' }, 'InvalidParameterValue'],
      [{ EngineLifecycleSupport: 'forever' }, 'InvalidParameterValue'],
      [
        { TagSpecifications: [{ ResourceType: 'auto-backup', Tags: [{ Key: 'a', Value: 'b' }] }] },
        'InvalidParameterValue',
      ],
      [{ AssociatedRoles: [{ RoleArn: 'not-an-arn' }] }, 'InvalidParameterValue'],
      [
        {
          AssociatedRoles: [
            { RoleArn: 'arn:aws:iam::123456789012:role/a' },
            { RoleArn: 'arn:aws:iam::123456789012:role/a' },
          ],
        },
        'DBClusterRoleAlreadyExistsFault',
      ],
    ];
    for (const [overrides, name] of cases) {
      const err = await caught(() =>
        env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, overrides))),
      );
      expect([JSON.stringify(overrides), err.name]).toEqual([JSON.stringify(overrides), name]);
    }
    const { DBCluster } = await env.rds.send(
      new RestoreDBClusterFromS3Command(
        restoreInput(env.seeded, {
          Domain: 'd-1234567890',
          DomainIAMRoleName: 'rds-directory',
          EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
          TagSpecifications: [{ ResourceType: 'cluster-auto-backup', Tags: [{ Key: 'team', Value: 'db' }] }],
          AssociatedRoles: [{ RoleArn: 'arn:aws:iam::123456789012:role/load-from-s3' }],
        }),
      ),
    );
    expect(DBCluster?.AssociatedRoles).toEqual([
      { RoleArn: 'arn:aws:iam::123456789012:role/load-from-s3', Status: 'ACTIVE' },
    ]);
  });

  test('an instance of a class not orderable for the cluster’s version, or with an unknown parameter group, is refused', async () => {
    const input = restoreInput(env.seeded, { EngineVersion: '5.7.mysql_aurora.2.12.0', SourceEngineVersion: '5.7.44' });
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const clusterId = input.DBClusterIdentifier!.toLowerCase();
    await waitFor(
      async () =>
        (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }))).DBClusters?.[0]?.Status,
      (s) => s === 'available',
    );
    const create = (DBInstanceClass: string, extra: Record<string, string> = {}) =>
      caught(() =>
        env.rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: `${clusterId}-w`,
            DBInstanceClass,
            Engine: 'aurora-mysql',
            DBClusterIdentifier: clusterId,
            ...extra,
          }),
        ),
      );
    const r7g = await create('db.r7g.large');
    expect(r7g.name).toBe('InvalidParameterCombination');
    expect(r7g.message).toMatch(
      /DBInstanceClass=db\.r7g\.large, Engine=aurora-mysql, EngineVersion=5\.7\.mysql_aurora\.2\.12\.0/,
    );
    expect(await create('db.r6g.large', { DBParameterGroupName: 'missing' })).toBeInstanceOf(
      DBParameterGroupNotFoundFault,
    );
    await control().setQuotas({ DBInstances: 0 });
    expect((await create('db.r6g.large')).name).toBe('InstanceQuotaExceededFault');
  });
});
