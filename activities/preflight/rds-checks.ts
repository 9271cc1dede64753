/**
 * The RDS pre-flight checks, all read-only: the engine version and its MySQL compatibility, orderable instance
 * classes, subnet/parameter/option groups, quotas against what this migration adds, and identifiers that are
 * free or already ours (the ownership tag). Each finding names the spec field and the fix.
 */
import {
  DescribeAccountAttributesCommand,
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOptionGroupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { ownerOf } from '../rds/summaries';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';

const NOT_FOUND = new Set([
  'DBSubnetGroupNotFoundFault',
  'DBParameterGroupNotFoundFault',
  'DBClusterParameterGroupNotFoundFault',
  'OptionGroupNotFoundFault',
  'DBClusterNotFoundFault',
  'DBInstanceNotFoundFault',
]);

/** Runs `call`; a not-found fault becomes undefined. */
async function orMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof Error && NOT_FOUND.has(err.name)) return undefined;
    throw err;
  }
}

/** Every RDS check of `spec`, for migration `workflowId` (whose resources count as ours). */
export async function checkRds(rds: RDSClient, spec: MigrationInput, workflowId: string): Promise<ValidationFinding[]> {
  const { restore, instances } = spec;
  const family = restore.EngineVersion ? `aurora-mysql${restore.EngineVersion.slice(0, 3)}` : undefined;
  const checks: Promise<ValidationFinding[]>[] = [
    guarded('rds:DescribeDBEngineVersions', 'restore.EngineVersion', () => checkEngineVersion(rds, spec)),
    ...instances.map((instance, i) =>
      guarded('rds:DescribeOrderableDBInstanceOptions', `instances[${i}].DBInstanceClass`, async () => {
        if (!restore.EngineVersion) return [];
        const { OrderableDBInstanceOptions: options } = await rds.send(
          new DescribeOrderableDBInstanceOptionsCommand({
            Engine: 'aurora-mysql',
            EngineVersion: restore.EngineVersion,
            DBInstanceClass: instance.DBInstanceClass,
          }),
        );
        if (options?.length) return [];
        return [
          f(
            C.InstanceClassNotOrderable,
            'error',
            `instances[${i}].DBInstanceClass`,
            `${instance.DBInstanceClass} is not offered for aurora-mysql ${restore.EngineVersion} in ${spec.region}.`,
            'Choose a class that `aws rds describe-orderable-db-instance-options --engine aurora-mysql --engine-version ' +
              `${restore.EngineVersion}\` lists (e.g. db.r6g.large), or another EngineVersion.`,
          ),
        ];
      }),
    ),
    guarded('rds:DescribeDBSubnetGroups', 'restore.DBSubnetGroupName', async () => {
      const name = restore.DBSubnetGroupName;
      if (!name) return [];
      const found = await orMissing(() => rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })));
      return found
        ? []
        : [
            f(
              C.SubnetGroupNotFound,
              'error',
              'restore.DBSubnetGroupName',
              `DB subnet group ${name} does not exist.`,
              'Create it (aws rds create-db-subnet-group) or name an existing one.',
            ),
          ];
    }),
    guarded('rds:DescribeDBClusterParameterGroups', 'restore.DBClusterParameterGroupName', async () => {
      const name = restore.DBClusterParameterGroupName;
      if (!name) return [];
      const found = await orMissing(() =>
        rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name })),
      );
      const group = found?.DBClusterParameterGroups?.[0];
      if (!group) {
        return [
          f(
            C.ClusterParameterGroupNotFound,
            'error',
            'restore.DBClusterParameterGroupName',
            `DB cluster parameter group ${name} does not exist.`,
            `Create it with family ${family ?? 'aurora-mysql8.0'} or name an existing one.`,
          ),
        ];
      }
      if (family && group.DBParameterGroupFamily !== family) {
        return [
          f(
            C.ClusterParameterGroupFamilyMismatch,
            'error',
            'restore.DBClusterParameterGroupName',
            `DB cluster parameter group ${name} is of family ${group.DBParameterGroupFamily}, but EngineVersion needs ${family}.`,
            `Use a cluster parameter group of family ${family}.`,
          ),
        ];
      }
      return [];
    }),
    ...instances.map((instance, i) =>
      guarded('rds:DescribeDBParameterGroups', `instances[${i}].DBParameterGroupName`, async () => {
        const name = instance.DBParameterGroupName;
        if (!name) return [];
        const found = await orMissing(() =>
          rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: name })),
        );
        const group = found?.DBParameterGroups?.[0];
        const field = `instances[${i}].DBParameterGroupName`;
        if (!group)
          return [
            f(
              C.ParameterGroupNotFound,
              'error',
              field,
              `DB parameter group ${name} does not exist.`,
              'Create it or name an existing one.',
            ),
          ];
        if (family && group.DBParameterGroupFamily !== family) {
          return [
            f(
              C.ParameterGroupFamilyMismatch,
              'error',
              field,
              `DB parameter group ${name} is of family ${group.DBParameterGroupFamily}, but EngineVersion needs ${family}.`,
              `Use a DB parameter group of family ${family}.`,
            ),
          ];
        }
        return [];
      }),
    ),
    guarded('rds:DescribeOptionGroups', 'restore.OptionGroupName', async () => {
      const name = restore.OptionGroupName;
      if (!name) return [];
      const found = await orMissing(() => rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: name })));
      const group = found?.OptionGroupsList?.[0];
      if (!group)
        return [
          f(
            C.OptionGroupNotFound,
            'error',
            'restore.OptionGroupName',
            `Option group ${name} does not exist.`,
            'Create it or omit OptionGroupName.',
          ),
        ];
      const major = restore.EngineVersion?.slice(0, 3);
      if (major && group.MajorEngineVersion !== major) {
        return [
          f(
            C.OptionGroupVersionMismatch,
            'error',
            'restore.OptionGroupName',
            `Option group ${name} is for aurora-mysql ${group.MajorEngineVersion}, not ${major}.`,
            `Use an option group for ${major}.`,
          ),
        ];
      }
      return [];
    }),
    guarded('rds:DescribeAccountAttributes', 'instances', () => checkQuotas(rds, spec)),
    guarded('rds:DescribeDBClusters', 'restore.DBClusterIdentifier', () => checkClusterId(rds, spec, workflowId)),
    ...instances.map((instance, i) =>
      guarded('rds:DescribeDBInstances', `instances[${i}].DBInstanceIdentifier`, async () => {
        const id = instance.DBInstanceIdentifier.toLowerCase();
        const found = await orMissing(() => rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })));
        const existing = found?.DBInstances?.[0];
        if (!existing || ownerOf(existing.TagList) === workflowId) return [];
        return [
          f(
            C.InstanceIdentifierTaken,
            'error',
            `instances[${i}].DBInstanceIdentifier`,
            `DB instance ${id} already exists and is not this migration's (no ownership tag for ${workflowId}).`,
            'Choose another DBInstanceIdentifier, or delete that instance first.',
          ),
        ];
      }),
    ),
  ];
  return (await Promise.all(checks)).flat();
}

async function checkEngineVersion(rds: RDSClient, spec: MigrationInput): Promise<ValidationFinding[]> {
  const version = spec.restore.EngineVersion;
  if (!version) return [];
  const { DBEngineVersions } = await rds.send(
    new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql', EngineVersion: version }),
  );
  const found = DBEngineVersions?.[0];
  const field = 'restore.EngineVersion';
  if (!found) {
    return [
      f(
        C.EngineVersionUnknown,
        'error',
        field,
        `aurora-mysql ${version} is not offered in ${spec.region}.`,
        'Pick a version that `aws rds describe-db-engine-versions --engine aurora-mysql` lists.',
      ),
    ];
  }
  const source = spec.restore.SourceEngineVersion;
  if (found.MajorEngineVersion !== source.slice(0, 3)) {
    return [
      f(
        C.EngineVersionMajorMismatch,
        'error',
        field,
        `${version} is Aurora MySQL for MySQL ${found.MajorEngineVersion}, but the source is MySQL ${source}.`,
        `Pick an aurora-mysql version of major ${source.slice(0, 3)}: a restore keeps the major version.`,
      ),
    ];
  }
  // RDS states the compatible MySQL version only in the description: "… (compatible with MySQL 8.0.28)".
  const compatible = /compatible with MySQL (\d+\.\d+\.\d+)/.exec(found.DBEngineVersionDescription ?? '')?.[1];
  const sourceMinor = Number(source.split('.')[2]);
  const targetMinor = Number(compatible?.split('.')[2]);
  if (compatible && Number.isFinite(sourceMinor) && targetMinor < sourceMinor) {
    return [
      f(
        C.EngineVersionTooOld,
        'error',
        field,
        `${version} is compatible with MySQL ${compatible}, older than the source ${source}: Aurora cannot restore backwards.`,
        `Pick an aurora-mysql version compatible with MySQL ${source} or later.`,
      ),
    ];
  }
  return [];
}

async function checkQuotas(rds: RDSClient, spec: MigrationInput): Promise<ValidationFinding[]> {
  const { AccountQuotas } = await rds.send(new DescribeAccountAttributesCommand({}));
  const quota = (name: string) => AccountQuotas?.find((q) => q.AccountQuotaName === name);
  const findings: ValidationFinding[] = [];
  const clusters = quota('DBClusters');
  if (clusters?.Max !== undefined && (clusters.Used ?? 0) + 1 > clusters.Max) {
    findings.push(
      f(
        C.ClusterQuotaExceeded,
        'error',
        'restore.DBClusterIdentifier',
        `The account uses ${clusters.Used} of its ${clusters.Max} DB clusters in ${spec.region}; this migration adds 1.`,
        'Delete an unused cluster or ask for a higher "DB clusters" quota (Service Quotas).',
      ),
    );
  }
  const instances = quota('DBInstances');
  const adding = spec.instances.length;
  if (instances?.Max !== undefined && (instances.Used ?? 0) + adding > instances.Max) {
    findings.push(
      f(
        C.InstanceQuotaExceeded,
        'error',
        'instances',
        `The account uses ${instances.Used} of its ${instances.Max} DB instances in ${spec.region}; this migration adds ${adding}.`,
        'Use fewer instances, delete unused ones, or ask for a higher "DB instances" quota (Service Quotas).',
      ),
    );
  }
  return findings;
}

async function checkClusterId(rds: RDSClient, spec: MigrationInput, workflowId: string): Promise<ValidationFinding[]> {
  const id = spec.restore.DBClusterIdentifier.toLowerCase();
  const found = await orMissing(() => rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id })));
  const existing = found?.DBClusters?.[0];
  if (!existing || ownerOf(existing.TagList) === workflowId) return [];
  return [
    f(
      C.ClusterIdentifierTaken,
      'error',
      'restore.DBClusterIdentifier',
      `DB cluster ${id} already exists and is not this migration's (no ownership tag for ${workflowId}).`,
      'Choose another DBClusterIdentifier, or delete that cluster first.',
    ),
  ];
}
