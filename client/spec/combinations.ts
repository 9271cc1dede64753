/**
 * Rules that span several fields of a spec (password vs ManageMasterUserPassword, versions, Serverless v2,
 * duplicate instances). They run after the schema accepted every field on its own.
 */
import type { MigrationInput } from '../../workflows/types';
import type { SpecIssue } from './issue';
import { durationMs, mysqlMajor } from './rules';

/** Every cross-field problem of a spec whose fields are individually valid. */
export function checkSpecCombinations(spec: MigrationInput): SpecIssue[] {
  return [
    ...checkPassword(spec),
    ...checkVersions(spec),
    ...checkServerless(spec),
    ...checkInstances(spec),
    ...checkDomain(spec),
    ...checkAssociatedRoles(spec),
    ...checkPollIntervals(spec),
  ];
}

/** The sparsest cadence cannot be denser than the densest (defaults: pollInterval 1m, maxPollInterval 15m). */
function checkPollIntervals({ options }: MigrationInput): SpecIssue[] {
  if (options?.maxPollInterval === undefined) return [];
  const max = durationMs(options.maxPollInterval);
  const min = durationMs(options.pollInterval ?? '1m');
  if (max >= min) return [];
  return [
    {
      path: 'options.maxPollInterval',
      message: `must be at least options.pollInterval (${String(options.pollInterval ?? '1m')}): raise it or lower pollInterval`,
    },
  ];
}

/** RDS refuses Domain without DomainIAMRoleName and the other way round (InvalidParameterCombination). */
function checkDomain({ restore }: MigrationInput): SpecIssue[] {
  if ((restore.Domain === undefined) === (restore.DomainIAMRoleName === undefined)) return [];
  return restore.Domain === undefined
    ? [{ path: 'restore.DomainIAMRoleName', message: 'applies only with Domain: set Domain or remove this' }]
    : [{ path: 'restore.Domain', message: 'needs DomainIAMRoleName (the role RDS uses to call Directory Service)' }];
}

/** RDS refuses the same role twice (DBClusterRoleAlreadyExists). */
function checkAssociatedRoles({ restore }: MigrationInput): SpecIssue[] {
  const seen = new Set<string>();
  const issues: SpecIssue[] = [];
  (restore.AssociatedRoles ?? []).forEach((role, index) => {
    if (seen.has(role.RoleArn)) {
      issues.push({
        path: `restore.AssociatedRoles[${index}].RoleArn`,
        message: 'is listed twice; list each role once',
      });
    }
    seen.add(role.RoleArn);
  });
  return issues;
}

/**
 * The master password comes from exactly one source: RDS (ManageMasterUserPassword, the default), a Secrets
 * Manager secret read at restore time (MasterUserPasswordSecretArn), or the spec itself (MasterUserPassword).
 */
function checkPassword({ restore }: MigrationInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const hasPassword = restore.MasterUserPassword !== undefined;
  const hasSecret = restore.MasterUserPasswordSecretArn !== undefined;
  if (hasPassword && hasSecret) {
    issues.push({
      path: 'restore.MasterUserPasswordSecretArn',
      message: 'cannot be given together with MasterUserPassword: set exactly one of them (prefer the secret)',
    });
  }
  if ((hasPassword || hasSecret) && restore.ManageMasterUserPassword === true) {
    issues.push({
      path: 'restore.ManageMasterUserPassword',
      message: `cannot be true when ${hasSecret ? 'MasterUserPasswordSecretArn' : 'MasterUserPassword'} is given: set exactly one of them`,
    });
  }
  if (!hasPassword && !hasSecret && restore.ManageMasterUserPassword === false) {
    issues.push({
      path: 'restore.MasterUserPasswordSecretArn',
      message:
        'is required when ManageMasterUserPassword is false: name the Secrets Manager secret holding the password (or set ManageMasterUserPassword to true)',
    });
  }
  if ((hasPassword || hasSecret) && restore.MasterUserSecretKmsKeyId !== undefined) {
    issues.push({
      path: 'restore.MasterUserSecretKmsKeyId',
      message: 'applies only with ManageMasterUserPassword; remove it, or let RDS manage the password',
    });
  }
  if (restore.KmsKeyId !== undefined && restore.StorageEncrypted === false) {
    issues.push({ path: 'restore.KmsKeyId', message: 'requires StorageEncrypted to be true (or omitted)' });
  }
  return issues;
}

function checkVersions({ restore }: MigrationInput): SpecIssue[] {
  if (!restore.EngineVersion) return [];
  const source = mysqlMajor(restore.SourceEngineVersion);
  const target = mysqlMajor(restore.EngineVersion);
  if (source === target) return [];
  const family = source === '5.7' ? '5.7.mysql_aurora.2.x.y' : '8.0.mysql_aurora.3.x.y';
  return [
    {
      path: 'restore.EngineVersion',
      message: `must be a MySQL ${source}-compatible Aurora version (${family}) to match SourceEngineVersion`,
    },
  ];
}

function checkServerless({ restore, instances }: MigrationInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const scaling = restore.ServerlessV2ScalingConfiguration;
  if (scaling) {
    const base = 'restore.ServerlessV2ScalingConfiguration';
    if (scaling.MaxCapacity < 1) issues.push({ path: `${base}.MaxCapacity`, message: 'must be at least 1 ACU' });
    if (scaling.MinCapacity > scaling.MaxCapacity) {
      issues.push({ path: `${base}.MinCapacity`, message: 'must not be greater than MaxCapacity' });
    }
    if (scaling.SecondsUntilAutoPause !== undefined && scaling.MinCapacity !== 0) {
      issues.push({ path: `${base}.SecondsUntilAutoPause`, message: 'applies only when MinCapacity is 0' });
    }
  }
  instances.forEach((instance, index) => {
    if (instance.DBInstanceClass === 'db.serverless' && !scaling) {
      issues.push({
        path: `instances[${index}].DBInstanceClass`,
        message: 'db.serverless needs restore.ServerlessV2ScalingConfiguration (MinCapacity and MaxCapacity)',
      });
    }
  });
  return issues;
}

function checkInstances({ instances }: MigrationInput): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const seen = new Map<string, number>();
  instances.forEach((instance, index) => {
    const id = instance.DBInstanceIdentifier.toLowerCase();
    const first = seen.get(id);
    if (first !== undefined) {
      issues.push({
        path: `instances[${index}].DBInstanceIdentifier`,
        message: `duplicates instances[${first}] (identifiers are case-insensitive); each instance needs its own`,
      });
    } else {
      seen.set(id, index);
    }
    if ((instance.MonitoringInterval ?? 0) > 0 && !instance.MonitoringRoleArn) {
      issues.push({
        path: `instances[${index}].MonitoringRoleArn`,
        message: 'is required when MonitoringInterval is greater than 0',
      });
    }
  });
  return issues;
}
