/**
 * The account-quota check: DBClusters and DBInstances in use plus what a migration (or a fleet of them) adds,
 * against the Region's maximum. A clean exported function so that a fleet can check its whole demand at once.
 */
import type { ValidationFinding } from '../../workflows/types';
import type { AccountQuotas } from './account-quotas';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';

/** What would be created: resources that already exist and are ours (adopted on a re-run) are not counted. */
export interface QuotaDemand {
  /** New DB clusters. */
  clusters: number;
  /** New DB instances. */
  instances: number;
}

/** Spec fields the quota findings name (a fleet may name its own). */
export interface QuotaFields {
  clusters: string;
  instances: string;
}

const DEFAULT_FIELDS: QuotaFields = { clusters: 'restore.DBClusterIdentifier', instances: 'instances' };

/**
 * Compares `demand` with the account's DBClusters and DBInstances quotas (DescribeAccountAttributes). A quota
 * that would be exceeded is an error naming the field; a caller without rds:DescribeAccountAttributes gets a
 * warning naming that permission. Quotas RDS does not report are not judged. `readQuotas` reads them (a
 * worker's pre-flights share one answer for a few seconds: see `SharedReads`).
 */
export function checkAccountQuotas(
  readQuotas: () => Promise<AccountQuotas>,
  region: string,
  demand: QuotaDemand,
  fields: QuotaFields = DEFAULT_FIELDS,
): Promise<ValidationFinding[]> {
  return guarded('rds:DescribeAccountAttributes', fields.instances, async () => {
    const { DBClusters: clusters, DBInstances: instances } = await readQuotas();
    const findings: ValidationFinding[] = [];
    if (demand.clusters > 0 && clusters && clusters.used + demand.clusters > clusters.max) {
      findings.push(
        f(
          C.ClusterQuotaExceeded,
          'error',
          fields.clusters,
          `The account uses ${clusters.used} of its ${clusters.max} DB clusters in ${region}; this adds ${demand.clusters}.`,
          'Delete an unused cluster or ask for a higher "DB clusters" quota (Service Quotas).',
        ),
      );
    }
    if (demand.instances > 0 && instances && instances.used + demand.instances > instances.max) {
      findings.push(
        f(
          C.InstanceQuotaExceeded,
          'error',
          fields.instances,
          `The account uses ${instances.used} of its ${instances.max} DB instances in ${region}; this adds ${demand.instances}.`,
          'Use fewer instances, delete unused ones, or ask for a higher "DB instances" quota (Service Quotas).',
        ),
      );
    }
    return findings;
  });
}
