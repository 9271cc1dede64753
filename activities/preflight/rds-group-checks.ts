/**
 * RDS group checks: the subnet group exists, the cluster and instance parameter groups exist and are of the
 * engine version's family, and the option group exists for its major version. A group a burst of migrations
 * names is read once by a worker (the shared reads); a missing one is read again each time, since the user may
 * create it and re-run at once.
 */
import {
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBParameterGroupsCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOptionGroupsCommand,
} from '@aws-sdk/client-rds';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { isNotFoundError } from '../aws-errors';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';
import type { PreflightRdsReads } from './rds-reads';

/** Runs `call`; a not-found fault becomes undefined (any other error propagates). */
export async function orMissing<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await call();
  } catch (err) {
    if (isNotFoundError(err)) return undefined;
    throw err;
  }
}

/** The parameter group family of an aurora-mysql version: `8.0.mysql_aurora.3.04.0` → `aurora-mysql8.0`. */
export function parameterGroupFamily(engineVersion: string | undefined): string | undefined {
  return engineVersion ? `aurora-mysql${engineVersion.slice(0, 3)}` : undefined;
}

/** The subnet, cluster parameter, instance parameter and option group checks of `spec`. */
export function groupChecks({ rds, shared }: PreflightRdsReads, spec: MigrationInput): Promise<ValidationFinding[]>[] {
  const { restore } = spec;
  const family = parameterGroupFamily(restore.EngineVersion);
  // A found group is shared for a short while; "not found" is never kept.
  const existing = <T>(key: string, read: () => Promise<T>) =>
    shared.get(
      key,
      () => orMissing(read),
      (found) => found !== undefined,
    );
  return [
    guarded('rds:DescribeDBSubnetGroups', 'restore.DBSubnetGroupName', async () => {
      const name = restore.DBSubnetGroupName;
      if (!name) return [];
      const found = await existing(`subnet-group:${name}`, () =>
        rds.send(new DescribeDBSubnetGroupsCommand({ DBSubnetGroupName: name })),
      );
      if (found) return [];
      return [
        f(
          C.SubnetGroupNotFound,
          'error',
          'restore.DBSubnetGroupName',
          `DB subnet group ${name} does not exist in ${spec.region}.`,
          'Create it (aws rds create-db-subnet-group) or name an existing one.',
        ),
      ];
    }),
    guarded('rds:DescribeDBClusterParameterGroups', 'restore.DBClusterParameterGroupName', async () => {
      const name = restore.DBClusterParameterGroupName;
      if (!name) return [];
      const found = await existing(`cluster-parameter-group:${name}`, () =>
        rds.send(new DescribeDBClusterParameterGroupsCommand({ DBClusterParameterGroupName: name })),
      );
      const group = found?.DBClusterParameterGroups?.[0];
      const field = 'restore.DBClusterParameterGroupName';
      if (!group) {
        return [
          f(
            C.ClusterParameterGroupNotFound,
            'error',
            field,
            `DB cluster parameter group ${name} does not exist.`,
            `Create it with family ${family ?? 'aurora-mysql8.0'} or name an existing one.`,
          ),
        ];
      }
      if (!family || group.DBParameterGroupFamily === family) return [];
      return [
        f(
          C.ClusterParameterGroupFamilyMismatch,
          'error',
          field,
          `DB cluster parameter group ${name} is of family ${group.DBParameterGroupFamily}, but EngineVersion needs ${family}.`,
          `Use a cluster parameter group of family ${family}.`,
        ),
      ];
    }),
    ...spec.instances.map((instance, i) =>
      guarded('rds:DescribeDBParameterGroups', `instances[${i}].DBParameterGroupName`, async () => {
        const name = instance.DBParameterGroupName;
        if (!name) return [];
        const found = await existing(`parameter-group:${name}`, () =>
          rds.send(new DescribeDBParameterGroupsCommand({ DBParameterGroupName: name })),
        );
        const group = found?.DBParameterGroups?.[0];
        const field = `instances[${i}].DBParameterGroupName`;
        if (!group) {
          return [
            f(
              C.ParameterGroupNotFound,
              'error',
              field,
              `DB parameter group ${name} does not exist.`,
              `Create it with family ${family ?? 'aurora-mysql8.0'} or name an existing one.`,
            ),
          ];
        }
        if (!family || group.DBParameterGroupFamily === family) return [];
        return [
          f(
            C.ParameterGroupFamilyMismatch,
            'error',
            field,
            `DB parameter group ${name} is of family ${group.DBParameterGroupFamily}, but EngineVersion needs ${family}.`,
            `Use a DB parameter group of family ${family}.`,
          ),
        ];
      }),
    ),
    guarded('rds:DescribeOptionGroups', 'restore.OptionGroupName', async () => {
      const name = restore.OptionGroupName;
      if (!name) return [];
      const found = await existing(`option-group:${name}`, () =>
        rds.send(new DescribeOptionGroupsCommand({ OptionGroupName: name })),
      );
      const group = found?.OptionGroupsList?.[0];
      const field = 'restore.OptionGroupName';
      if (!group) {
        return [
          f(
            C.OptionGroupNotFound,
            'error',
            field,
            `Option group ${name} does not exist.`,
            'Create it or omit OptionGroupName.',
          ),
        ];
      }
      const major = restore.EngineVersion?.slice(0, 3);
      if (!major || group.MajorEngineVersion === major) return [];
      return [
        f(
          C.OptionGroupVersionMismatch,
          'error',
          field,
          `Option group ${name} is for aurora-mysql ${group.MajorEngineVersion}, not ${major}.`,
          `Use an option group for aurora-mysql ${major}.`,
        ),
      ];
    }),
  ];
}
