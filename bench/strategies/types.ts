/** What a peer tool's wait for a restored cluster reports, and the one RDS read they all share. */
import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import type { TimeScale } from '../lib/settings';

/** How a wait ended. */
export interface WatchOutcome {
  result: 'available' | 'failed' | 'timeout';
  /** What the tool tells its user, shortened. */
  reason: string;
  /** Real time (epoch ms) the wait returned or threw. */
  endedAt: number;
  /** DescribeDBClusters calls made. */
  polls: number;
}

/** Per-call options of a peer wait. */
export interface WatchOptions {
  /** Overall bound, simulated seconds, where the tool has one to set (SDK maxWaitTime, Terraform create timeout). */
  maxWaitSeconds: number;
}

/** A peer tool's waiter, re-implemented with its exact cadence and acceptors, delays scaled. */
export interface PeerStrategy {
  /** Short key used in cluster IDs, e.g. `sdk`. */
  key: string;
  /** Row label in the results. */
  label: string;
  watch(rds: RDSClient, clusterId: string, scale: TimeScale, options: WatchOptions): Promise<WatchOutcome>;
}

/** The statuses of DescribeDBClusters for one cluster (throws what the SDK throws). */
export async function describeStatuses(rds: RDSClient, clusterId: string): Promise<string[]> {
  const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  return (out.DBClusters ?? []).map((c) => c.Status ?? '');
}
