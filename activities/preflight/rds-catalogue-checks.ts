/**
 * RDS catalogue checks: the engine version exists for aurora-mysql and keeps the source's major version (and is
 * not older than its minor), and every instance class (or db.serverless) is orderable for that version. The
 * catalogue is the same for every migration of a burst: its answers come from the worker's shared reads.
 */
import { DescribeDBEngineVersionsCommand, DescribeOrderableDBInstanceOptionsCommand } from '@aws-sdk/client-rds';
import type { MigrationInput, ValidationFinding } from '../../workflows/types';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';
import type { PreflightRdsReads } from './rds-reads';

/** The engine-version check and one orderable-class check per instance. */
export function catalogueChecks(reads: PreflightRdsReads, spec: MigrationInput): Promise<ValidationFinding[]>[] {
  return [
    guarded('rds:DescribeDBEngineVersions', 'restore.EngineVersion', () => checkEngineVersion(reads, spec)),
    ...spec.instances.map((instance, i) =>
      guarded('rds:DescribeOrderableDBInstanceOptions', `instances[${i}].DBInstanceClass`, () =>
        checkOrderable(reads, spec, instance.DBInstanceClass, i),
      ),
    ),
  ];
}

async function checkOrderable(
  { rds, shared }: PreflightRdsReads,
  spec: MigrationInput,
  instanceClass: string,
  i: number,
): Promise<ValidationFinding[]> {
  const version = spec.restore.EngineVersion;
  // Without an EngineVersion RDS picks its default; the engine-version check has nothing to compare either.
  if (!version) return [];
  const orderable = await shared.get(`orderable:aurora-mysql:${version}:${instanceClass}`, async () => {
    const { OrderableDBInstanceOptions: options } = await rds.send(
      new DescribeOrderableDBInstanceOptionsCommand({
        Engine: 'aurora-mysql',
        EngineVersion: version,
        DBInstanceClass: instanceClass,
      }),
    );
    return (options?.length ?? 0) > 0;
  });
  if (orderable) return [];
  return [
    f(
      C.InstanceClassNotOrderable,
      'error',
      `instances[${i}].DBInstanceClass`,
      `${instanceClass} is not offered for aurora-mysql ${version} in ${spec.region}.`,
      'Choose a class that `aws rds describe-orderable-db-instance-options --engine aurora-mysql --engine-version ' +
        `${version}\` lists (e.g. db.r6g.large), or another EngineVersion.`,
    ),
  ];
}

async function checkEngineVersion(
  { rds, shared }: PreflightRdsReads,
  spec: MigrationInput,
): Promise<ValidationFinding[]> {
  const version = spec.restore.EngineVersion;
  if (!version) return [];
  const found = await shared.get(`engine-version:aurora-mysql:${version}`, async () => {
    const { DBEngineVersions } = await rds.send(
      new DescribeDBEngineVersionsCommand({ Engine: 'aurora-mysql', EngineVersion: version }),
    );
    return DBEngineVersions?.[0];
  });
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
