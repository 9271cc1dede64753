/**
 * The account's RDS quotas as DescribeAccountAttributes reports them, read once for a whole batch of checks
 * (the pre-flight of one migration, or the quota check before a fleet's wave).
 */
import { DescribeAccountAttributesCommand, type RDSClient } from '@aws-sdk/client-rds';

/** One quota: what the account uses now and its maximum. */
export interface AccountQuota {
  used: number;
  max: number;
}

/** The quotas aurora-migrate adds to; absent when RDS did not report one. */
export interface AccountQuotas {
  DBClusters?: AccountQuota;
  DBInstances?: AccountQuota;
}

/** Reads the DB cluster and DB instance quotas of the client's account and Region. */
export async function readAccountQuotas(rds: RDSClient): Promise<AccountQuotas> {
  const { AccountQuotas: reported } = await rds.send(new DescribeAccountAttributesCommand({}));
  const quota = (name: string): AccountQuota | undefined => {
    const found = reported?.find((q) => q.AccountQuotaName === name);
    return found?.Max === undefined ? undefined : { used: found.Used ?? 0, max: found.Max };
  };
  return { DBClusters: quota('DBClusters'), DBInstances: quota('DBInstances') };
}
