/**
 * What RestoreDBClusterFromS3 and CreateDBInstance refuse because of the account's catalogue (unknown engine
 * version, subnet group, parameter or option group, a class not orderable for the version, a quota reached) and
 * the value rules of the restore's newer parameters (Domain, EngineLifecycleSupport, TagSpecifications,
 * AssociatedRoles). Faults carry the model's wire codes.
 */
import type { EmulatorContext } from './context';
import { RdsFault, invalidCombination, invalidValue } from './errors';
import type { Params } from './query-protocol';

const LIFECYCLE = ['open-source-rds-extended-support', 'open-source-rds-extended-support-disabled'];
/** Roles one cluster may have (facts §1.2: "max 15"). */
const MAX_ASSOCIATED_ROLES = 15;

/** Refuses a restore the catalogue does not allow; `engineVersion` is the resolved version. */
export function checkRestoreAgainstCatalogue(ctx: EmulatorContext, params: Params, engineVersion: string): void {
  const version = ctx.catalogue.engineVersion(engineVersion);
  if (!version) throw invalidValue(`Cannot find version ${engineVersion} for aurora-mysql`);
  const subnetGroup = params.optString('DBSubnetGroupName');
  if (subnetGroup !== undefined && !ctx.catalogue.subnetGroup(subnetGroup)) {
    throw new RdsFault('DBSubnetGroupNotFoundFault', `DBSubnetGroup ${subnetGroup} not found.`, 404);
  }
  const clusterGroup = params.optString('DBClusterParameterGroupName');
  if (clusterGroup !== undefined) {
    const group = ctx.catalogue.clusterParameterGroup(clusterGroup);
    if (!group) {
      throw new RdsFault('DBClusterParameterGroupNotFound', `DBClusterParameterGroup not found: ${clusterGroup}`, 404);
    }
    if (group.family !== version.family) {
      throw invalidCombination(
        `The parameter group ${clusterGroup} with DBParameterGroupFamily ${group.family} can't be used for this ` +
          `instance. Use a parameter group with DBParameterGroupFamily ${version.family}.`,
      );
    }
  }
  const optionGroup = params.optString('OptionGroupName');
  if (optionGroup !== undefined) {
    const group = ctx.catalogue.optionGroup(optionGroup);
    // The model lists no option-group fault for this action, so RDS's generic fault is the closest.
    if (!group) throw invalidValue(`Specified OptionGroupName: ${optionGroup} not found.`);
    if (group.majorEngineVersion !== version.majorEngineVersion) {
      throw invalidCombination(
        `The option group ${optionGroup} is for aurora-mysql ${group.majorEngineVersion}, not ${version.majorEngineVersion}.`,
      );
    }
  }
  if (ctx.store.allClusters().length >= ctx.catalogue.data.quotas.DBClusters) {
    throw new RdsFault(
      'DBClusterQuotaExceededFault',
      'Cannot create more than the allowed number of DB clusters.',
      403,
    );
  }
}

/** Refuses an instance whose class or parameter group the catalogue does not offer, or beyond the quota. */
export function checkInstanceAgainstCatalogue(
  ctx: EmulatorContext,
  params: Params,
  cluster: { engine: string; engineVersion: string },
): void {
  const instanceClass = params.string('DBInstanceClass');
  const version = ctx.catalogue.engineVersion(cluster.engineVersion);
  if (!version?.orderableClasses.includes(instanceClass)) {
    throw invalidCombination(
      `RDS does not support creating a DB instance with the following combination: DBInstanceClass=${instanceClass}, ` +
        `Engine=${cluster.engine}, EngineVersion=${cluster.engineVersion}, LicenseModel=general-public-license. ` +
        'For supported combinations of instance class and database engine version, see the documentation.',
    );
  }
  const groupName = params.optString('DBParameterGroupName');
  if (groupName !== undefined) {
    const group = ctx.catalogue.parameterGroup(groupName);
    if (!group) throw new RdsFault('DBParameterGroupNotFound', `DBParameterGroup not found: ${groupName}`, 404);
    if (group.family !== version.family) {
      throw invalidCombination(
        `The parameter group ${groupName} with DBParameterGroupFamily ${group.family} can't be used for this ` +
          `instance. Use a parameter group with DBParameterGroupFamily ${version.family}.`,
      );
    }
  }
  if (ctx.store.allInstances().length >= ctx.catalogue.data.quotas.DBInstances) {
    throw new RdsFault('InstanceQuotaExceeded', 'Cannot create more than the allowed number of DB instances.');
  }
}

/** The restore's Domain, EngineLifecycleSupport, TagSpecifications and AssociatedRoles, checked as RDS does. */
export function checkRestoreExtras(params: Params): { associatedRoles: { roleArn: string; featureName?: string }[] } {
  const domain = params.optString('Domain');
  const domainRole = params.optString('DomainIAMRoleName');
  if (domain !== undefined && !/^d-[0-9a-f]{10}$/.test(domain)) {
    throw invalidValue(`The parameter Domain is not a valid directory ID: ${domain}`);
  }
  if ((domain === undefined) !== (domainRole === undefined)) {
    throw invalidCombination('Domain and DomainIAMRoleName must be specified together.');
  }
  const lifecycle = params.optString('EngineLifecycleSupport');
  if (lifecycle !== undefined && !LIFECYCLE.includes(lifecycle)) {
    throw invalidValue(`Invalid value ${lifecycle} for EngineLifecycleSupport. Valid values: ${LIFECYCLE.join(', ')}.`);
  }
  for (const spec of params.structList('TagSpecifications', 'item')) {
    const type = spec.optString('ResourceType');
    if (type !== 'cluster-auto-backup') {
      throw invalidValue(
        `Invalid ResourceType ${type ?? ''} in TagSpecifications: only cluster-auto-backup is allowed.`,
      );
    }
  }
  const roles = params.structList('AssociatedRoles', 'DBClusterAssociatedRole').map((role) => {
    const roleArn = role.string('RoleArn');
    if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/.test(roleArn)) {
      throw invalidValue(`The parameter RoleArn is not a valid IAM role ARN: ${roleArn}`);
    }
    return { roleArn, featureName: role.optString('FeatureName') };
  });
  if (new Set(roles.map((r) => r.roleArn)).size !== roles.length) {
    throw new RdsFault('DBClusterRoleAlreadyExists', 'The same role is associated with the DB cluster twice.');
  }
  if (roles.length > MAX_ASSOCIATED_ROLES) {
    throw new RdsFault('DBClusterRoleQuotaExceeded', `A DB cluster can have at most ${MAX_ASSOCIATED_ROLES} roles.`);
  }
  return { associatedRoles: roles };
}
