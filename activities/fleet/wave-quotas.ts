/**
 * The quota check before a fleet's wave: would starting every migration of the wave exceed the account's DB
 * cluster or DB instance quota? Resources that already exist and carry the member's ownership tag (a re-run
 * fleet adopting them) are counted as used already, not as added.
 */
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { WaveQuotaCheck } from '../../workflows/fleet/types';
import { classifyAwsError } from '../aws-errors';
import { readAccountQuotas, type AccountQuota } from '../preflight/account-quotas';
import { ownerOf } from '../rds/summaries';

/** Input of `checkWaveQuotas`. */
export interface WaveQuotaInput {
  /** 0-based index of the wave. */
  wave: number;
  region: string;
  databases: { workflowId: string; clusterId: string; instanceIds: string[] }[];
}

/** RDS filters take at most 100 values. */
const FILTER_LIMIT = 100;

/** Reads the quotas and what of the wave exists already; returns the verdict with the numbers. */
export async function checkWaveQuotas(rds: RDSClient, input: WaveQuotaInput): Promise<WaveQuotaCheck> {
  try {
    const quotas = await readAccountQuotas(rds);
    const owners = new Map<string, string>();
    for (const db of input.databases) {
      owners.set(`cluster:${db.clusterId}`, db.workflowId);
      for (const id of db.instanceIds) owners.set(`instance:${id}`, db.workflowId);
    }
    const ours = await existingOwned(rds, owners);
    const clusterIds = input.databases.map((d) => d.clusterId);
    const instanceIds = input.databases.flatMap((d) => d.instanceIds);
    const addingClusters = clusterIds.filter((id) => !ours.has(`cluster:${id}`)).length;
    const addingInstances = instanceIds.filter((id) => !ours.has(`instance:${id}`)).length;
    const problems: string[] = [];
    const verdict = (name: string, quota: AccountQuota | undefined, adding: number, existing: number) => {
      if (!quota) return undefined;
      if (quota.used + adding > quota.max) {
        problems.push(
          `${name}: the account uses ${quota.used} of its ${quota.max} in ${input.region}; wave ${input.wave + 1} ` +
            `adds ${adding}${existing ? ` (${existing} more already exist as this fleet's)` : ''}, ` +
            `${quota.used + adding - quota.max} over`,
        );
      }
      return { ...quota, adding };
    };
    const clusters = verdict('DB clusters', quotas.DBClusters, addingClusters, clusterIds.length - addingClusters);
    const instances = verdict(
      'DB instances',
      quotas.DBInstances,
      addingInstances,
      instanceIds.length - addingInstances,
    );
    return { wave: input.wave, ok: problems.length === 0, problems, clusters, instances };
  } catch (err) {
    throw classifyAwsError(err, { operation: `quota check of wave ${input.wave + 1}` });
  }
}

/** The keys of `owners` (`cluster:<id>`, `instance:<id>`) that exist tagged with the owner's workflow ID. */
async function existingOwned(rds: RDSClient, owners: Map<string, string>): Promise<Set<string>> {
  const found = new Set<string>();
  const ids = (kind: string) => [...owners.keys()].filter((k) => k.startsWith(kind)).map((k) => k.slice(kind.length));
  for (const batch of chunks(ids('cluster:'))) {
    const { DBClusters } = await rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: batch }] }),
    );
    for (const c of DBClusters ?? []) {
      const key = `cluster:${c.DBClusterIdentifier?.toLowerCase()}`;
      if (ownerOf(c.TagList) === owners.get(key)) found.add(key);
    }
  }
  for (const batch of chunks(ids('instance:'))) {
    const { DBInstances } = await rds.send(
      new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-instance-id', Values: batch }] }),
    );
    for (const i of DBInstances ?? []) {
      const key = `instance:${i.DBInstanceIdentifier?.toLowerCase()}`;
      if (ownerOf(i.TagList) === owners.get(key)) found.add(key);
    }
  }
  return found;
}

function chunks<T>(items: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += FILTER_LIMIT) out.push(items.slice(i, i + FILTER_LIMIT));
  return out;
}
