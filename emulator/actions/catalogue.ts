/**
 * The read-only catalogue actions a pre-flight check uses: engine versions, orderable classes, subnet groups,
 * parameter and option groups, and the account's quotas, with RDS's not-found faults for named lookups.
 */
import type { ParameterGroupRecord } from '../catalogue';
import type { ActionHandler, EmulatorContext } from '../context';
import { RdsFault } from '../errors';
import { type Params, xmlField, xmlList, xmlStringList, xmlStruct } from '../query-protocol';
import { filtersParam, page } from '../validation';

/** DescribeDBEngineVersions: aurora-mysql only; an unknown version is an empty list, as in RDS. */
export const describeDBEngineVersions: ActionHandler = (ctx, params) => {
  const engine = params.optString('Engine');
  const version = params.optString('EngineVersion');
  const family = params.optString('DBParameterGroupFamily');
  filtersParam(params, ['engine-version-status', 'engine-mode']);
  const matching = ctx.catalogue.data.engineVersions.filter(
    (v) =>
      (engine === undefined || engine === 'aurora-mysql') &&
      (version === undefined || v.engineVersion === version) &&
      (family === undefined || v.family === family),
  );
  const { items, marker } = page(matching, params);
  const body = items.map((v) =>
    [
      xmlField('Engine', 'aurora-mysql'),
      xmlField('MajorEngineVersion', v.majorEngineVersion),
      xmlField('EngineVersion', v.engineVersion),
      xmlField('DBParameterGroupFamily', v.family),
      xmlField('DBEngineDescription', 'Aurora MySQL'),
      xmlField('DBEngineVersionDescription', v.description),
      xmlStringList('SupportedEngineModes', 'member', ['provisioned']),
      xmlField('Status', v.status),
    ].join(''),
  );
  return Promise.resolve(xmlList('DBEngineVersions', 'DBEngineVersion', body) + xmlField('Marker', marker));
};

/** DescribeOrderableDBInstanceOptions: Engine is required; one option per (version, class). */
export const describeOrderableDBInstanceOptions: ActionHandler = (ctx, params) => {
  const engine = params.string('Engine');
  const version = params.optString('EngineVersion');
  const instanceClass = params.optString('DBInstanceClass');
  const options =
    engine !== 'aurora-mysql'
      ? []
      : ctx.catalogue.data.engineVersions
          .filter((v) => version === undefined || v.engineVersion === version)
          .flatMap((v) => v.orderableClasses.map((c) => ({ version: v.engineVersion, instanceClass: c })))
          .filter((o) => instanceClass === undefined || o.instanceClass === instanceClass);
  const { items, marker } = page(options, params);
  const zones = ['a', 'b', 'c'].map((z) => xmlField('Name', `${ctx.region}${z}`));
  const body = items.map((o) =>
    [
      xmlField('Engine', 'aurora-mysql'),
      xmlField('EngineVersion', o.version),
      xmlField('DBInstanceClass', o.instanceClass),
      xmlField('LicenseModel', 'general-public-license'),
      xmlList('AvailabilityZones', 'AvailabilityZone', zones),
      xmlField('MultiAZCapable', true),
      xmlField('ReadReplicaCapable', false),
      xmlField('Vpc', true),
      xmlField('SupportsStorageEncryption', true),
      xmlField('StorageType', 'aurora'),
      xmlStringList('SupportedEngineModes', 'member', ['provisioned']),
      xmlField('SupportsClusters', true),
    ].join(''),
  );
  return Promise.resolve(
    xmlList('OrderableDBInstanceOptions', 'OrderableDBInstanceOption', body) + xmlField('Marker', marker),
  );
};

/** DescribeDBSubnetGroups: a named group that does not exist is DBSubnetGroupNotFoundFault 404. */
export const describeDBSubnetGroups: ActionHandler = (ctx, params) => {
  const name = params.optString('DBSubnetGroupName');
  const groups = name === undefined ? ctx.catalogue.data.subnetGroups : [ctx.catalogue.subnetGroup(name) ?? []].flat();
  if (name !== undefined && groups.length === 0) {
    throw new RdsFault('DBSubnetGroupNotFoundFault', `DBSubnetGroup ${name} not found.`, 404);
  }
  const { items, marker } = page(groups, params);
  const body = items.map((g) =>
    [
      xmlField('DBSubnetGroupName', g.name),
      xmlField('DBSubnetGroupDescription', g.description),
      xmlField('VpcId', g.vpcId),
      xmlField('SubnetGroupStatus', 'Complete'),
      xmlList(
        'Subnets',
        'Subnet',
        g.subnets.map(
          (s) =>
            xmlField('SubnetIdentifier', s.subnetId) +
            xmlStruct('SubnetAvailabilityZone', [xmlField('Name', s.zone)]) +
            xmlField('SubnetStatus', 'Active'),
        ),
      ),
      xmlField('DBSubnetGroupArn', `arn:aws:rds:${ctx.region}:${ctx.accountId}:subgrp:${g.name}`),
      xmlStringList('SupportedNetworkTypes', 'member', ['IPV4', 'DUAL']),
    ].join(''),
  );
  return Promise.resolve(xmlList('DBSubnetGroups', 'DBSubnetGroup', body) + xmlField('Marker', marker));
};

/** DescribeDBClusterParameterGroups: a named group that does not exist is wire `DBParameterGroupNotFound` 404. */
export const describeDBClusterParameterGroups: ActionHandler = (ctx, params) =>
  Promise.resolve(
    parameterGroups(ctx, params, 'DBClusterParameterGroupName', 'cluster', 'DBClusterParameterGroup', 'cluster-pg'),
  );

/** DescribeDBParameterGroups: a named group that does not exist is wire `DBParameterGroupNotFound` 404. */
export const describeDBParameterGroups: ActionHandler = (ctx, params) =>
  Promise.resolve(parameterGroups(ctx, params, 'DBParameterGroupName', 'instance', 'DBParameterGroup', 'pg'));

function parameterGroups(
  ctx: EmulatorContext,
  params: Params,
  nameParam: string,
  kind: 'cluster' | 'instance',
  element: string,
  arnKind: string,
): string {
  const name = params.optString(nameParam);
  const all: ParameterGroupRecord[] =
    kind === 'cluster' ? ctx.catalogue.data.clusterParameterGroups : ctx.catalogue.data.parameterGroups;
  const found = name === undefined ? all : all.filter((g) => g.name.toLowerCase() === name.toLowerCase());
  if (name !== undefined && found.length === 0) {
    const what = kind === 'cluster' ? 'DBClusterParameterGroup' : 'DBParameterGroup';
    throw new RdsFault('DBParameterGroupNotFound', `${what} not found: ${name}`, 404);
  }
  const { items, marker } = page(found, params);
  const body = items.map((g) =>
    [
      xmlField(`${element}Name`, g.name),
      xmlField('DBParameterGroupFamily', g.family),
      xmlField('Description', g.description),
      xmlField(`${element}Arn`, `arn:aws:rds:${ctx.region}:${ctx.accountId}:${arnKind}:${g.name}`),
    ].join(''),
  );
  return xmlList(`${element}s`, element, body) + xmlField('Marker', marker);
}

/** DescribeOptionGroups: a named group that does not exist is OptionGroupNotFoundFault 404. */
export const describeOptionGroups: ActionHandler = (ctx, params) => {
  const name = params.optString('OptionGroupName');
  const engine = params.optString('EngineName');
  const major = params.optString('MajorEngineVersion');
  const found = ctx.catalogue.data.optionGroups.filter(
    (g) =>
      (name === undefined || g.name.toLowerCase() === name.toLowerCase()) &&
      (engine === undefined || g.engineName === engine) &&
      (major === undefined || g.majorEngineVersion === major),
  );
  if (name !== undefined && found.length === 0) {
    throw new RdsFault('OptionGroupNotFoundFault', `Specified OptionGroupName: ${name} not found.`, 404);
  }
  const { items, marker } = page(found, params);
  const body = items.map((g) =>
    [
      xmlField('OptionGroupName', g.name),
      xmlField('OptionGroupDescription', g.description),
      xmlField('EngineName', g.engineName),
      xmlField('MajorEngineVersion', g.majorEngineVersion),
      xmlList('Options', 'Option', []),
      xmlField('AllowsVpcAndNonVpcInstanceMemberships', true),
      xmlField('OptionGroupArn', `arn:aws:rds:${ctx.region}:${ctx.accountId}:og:${g.name}`),
    ].join(''),
  );
  return Promise.resolve(xmlList('OptionGroupsList', 'OptionGroup', body) + xmlField('Marker', marker));
};

/** DescribeAccountAttributes: each tracked quota with what the account uses now. */
export const describeAccountAttributes: ActionHandler = (ctx) => {
  const used = accountUsage(ctx);
  const body = Object.entries(ctx.catalogue.data.quotas).map(
    ([name, max]) =>
      xmlField('AccountQuotaName', name) + xmlField('Used', used[name as keyof typeof used]) + xmlField('Max', max),
  );
  return Promise.resolve(xmlList('AccountQuotas', 'AccountQuota', body));
};

/** What the account uses of each quota now. */
export function accountUsage(
  ctx: EmulatorContext,
): Record<keyof EmulatorContext['catalogue']['data']['quotas'], number> {
  const data = ctx.catalogue.data;
  return {
    DBClusters: ctx.store.allClusters().length,
    DBInstances: ctx.store.allInstances().length,
    DBSubnetGroups: data.subnetGroups.length,
    DBClusterParameterGroups: data.clusterParameterGroups.length,
    DBParameterGroups: data.parameterGroups.length,
    OptionGroups: data.optionGroups.length,
  };
}
