/**
 * What the emulated account offers and holds besides clusters and instances: engine versions with their
 * orderable instance classes, DB subnet groups, cluster and instance parameter groups, option groups and the
 * account's quotas. The Describe actions read it, the create actions refuse what it refuses, and the control
 * endpoint (`/_emulator/catalogue…`) changes it.
 */
import { defaultCatalogue } from './catalogue-defaults';
import { ControlInputError, optNumber, optString } from './control-input';

/** One Aurora MySQL version. */
export interface EngineVersionRecord {
  engineVersion: string;
  /** Parameter group family, e.g. `aurora-mysql8.0`. */
  family: string;
  majorEngineVersion: string;
  /** The MySQL version it is compatible with, e.g. `8.0.36`. */
  mysqlVersion: string;
  description: string;
  status: 'available' | 'deprecated';
  orderableClasses: string[];
}

/** A DB subnet group. */
export interface SubnetGroupRecord {
  name: string;
  description: string;
  vpcId: string;
  subnets: { subnetId: string; zone: string }[];
}

/** A DB cluster or DB instance parameter group. */
export interface ParameterGroupRecord {
  name: string;
  family: string;
  description: string;
}

/** An option group. */
export interface OptionGroupRecord {
  name: string;
  engineName: string;
  majorEngineVersion: string;
  description: string;
}

/** Quota names of DescribeAccountAttributes that the emulator tracks. */
export const QUOTA_NAMES = [
  'DBClusters',
  'DBInstances',
  'DBSubnetGroups',
  'DBClusterParameterGroups',
  'DBParameterGroups',
  'OptionGroups',
] as const;

/** One of {@link QUOTA_NAMES}. */
export type QuotaName = (typeof QUOTA_NAMES)[number];

/** The whole catalogue, as `GET /_emulator/catalogue` returns it. */
export interface CatalogueData {
  engineVersions: EngineVersionRecord[];
  subnetGroups: SubnetGroupRecord[];
  clusterParameterGroups: ParameterGroupRecord[];
  parameterGroups: ParameterGroupRecord[];
  optionGroups: OptionGroupRecord[];
  quotas: Record<QuotaName, number>;
}

/** The catalogue of one emulator; names are matched case-insensitively, as RDS does. */
export class Catalogue {
  data: CatalogueData;

  constructor(private readonly region: string) {
    this.data = defaultCatalogue(region);
  }

  /** Back to the defaults (the control endpoint's reset). */
  reset(): void {
    this.data = defaultCatalogue(this.region);
  }

  /** An available engine version, or undefined. */
  engineVersion(version: string): EngineVersionRecord | undefined {
    return this.data.engineVersions.find((v) => v.engineVersion === version);
  }

  /** A subnet group by name, or undefined. */
  subnetGroup(name: string): SubnetGroupRecord | undefined {
    return this.data.subnetGroups.find((g) => sameName(g.name, name));
  }

  /** A cluster parameter group by name, or undefined. */
  clusterParameterGroup(name: string): ParameterGroupRecord | undefined {
    return this.data.clusterParameterGroups.find((g) => sameName(g.name, name));
  }

  /** A DB (instance) parameter group by name, or undefined. */
  parameterGroup(name: string): ParameterGroupRecord | undefined {
    return this.data.parameterGroups.find((g) => sameName(g.name, name));
  }

  /** An option group by name, or undefined. */
  optionGroup(name: string): OptionGroupRecord | undefined {
    return this.data.optionGroups.find((g) => sameName(g.name, name));
  }

  /** Adds (or replaces) one entry from a control request body; `kind` is the URL segment. */
  add(kind: string, body: unknown): unknown {
    const input = objectBody(body);
    const name = requiredString(input, 'name');
    const description = optString(input, 'description', '') ?? name;
    switch (kind) {
      case 'subnet-groups': {
        const zones = input.zones ?? [`${this.region}a`, `${this.region}b`];
        if (!Array.isArray(zones) || zones.length === 0 || !zones.every((z) => typeof z === 'string' && z !== '')) {
          throw new ControlInputError('zones must be a non-empty list of Availability Zone names', 'zones');
        }
        const record: SubnetGroupRecord = {
          name,
          description,
          vpcId: optString(input, 'vpcId', '') ?? 'vpc-0a1b2c3d4e5f6a7b8',
          subnets: (zones as string[]).map((zone, i) => ({ subnetId: `subnet-${name}-${i}`, zone })),
        };
        return upsert(this.data.subnetGroups, record);
      }
      case 'cluster-parameter-groups':
      case 'parameter-groups': {
        const record = { name, description, family: requiredString(input, 'family') };
        return upsert(
          kind === 'parameter-groups' ? this.data.parameterGroups : this.data.clusterParameterGroups,
          record,
        );
      }
      case 'option-groups': {
        const record: OptionGroupRecord = {
          name,
          description,
          engineName: optString(input, 'engineName', '') ?? 'aurora-mysql',
          majorEngineVersion: requiredString(input, 'majorEngineVersion'),
        };
        return upsert(this.data.optionGroups, record);
      }
      default:
        throw new ControlInputError(`no catalogue kind ${kind}`, 'kind');
    }
  }

  /** Removes one entry; false when there was none. */
  remove(kind: string, name: string): boolean {
    const lists: Record<string, { name: string }[]> = {
      'subnet-groups': this.data.subnetGroups,
      'cluster-parameter-groups': this.data.clusterParameterGroups,
      'parameter-groups': this.data.parameterGroups,
      'option-groups': this.data.optionGroups,
      'engine-versions': this.data.engineVersions.map((v) => ({ name: v.engineVersion })),
    };
    const list = lists[kind];
    if (!list) throw new ControlInputError(`no catalogue kind ${kind}`, 'kind');
    const index = list.findIndex((entry) => sameName(entry.name, name));
    if (index < 0) return false;
    if (kind === 'engine-versions') this.data.engineVersions.splice(index, 1);
    else list.splice(index, 1);
    return true;
  }

  /** Replaces some quotas (`{ "DBClusters": 3 }`); returns all of them. */
  setQuotas(body: unknown): Record<QuotaName, number> {
    const input = objectBody(body);
    for (const key of Object.keys(input)) {
      if (!(QUOTA_NAMES as readonly string[]).includes(key)) {
        throw new ControlInputError(`${key} is not a quota; use one of ${QUOTA_NAMES.join(', ')}`, key);
      }
      this.data.quotas[key as QuotaName] = optNumber(input, key, '', 0, 100_000, true) ?? 0;
    }
    return this.data.quotas;
  }
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function upsert<T extends { name: string }>(list: T[], record: T): T {
  const index = list.findIndex((entry) => sameName(entry.name, record.name));
  if (index >= 0) list.splice(index, 1, record);
  else list.push(record);
  return record;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ControlInputError('the body must be a JSON object', 'body');
  }
  return body as Record<string, unknown>;
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = optString(input, field, '');
  if (value === undefined) throw new ControlInputError(`${field} is required`, field);
  return value;
}
