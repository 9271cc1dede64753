/**
 * How the pre-flight reads RDS inside the account's shared budget: catalogue, group and quota answers from the
 * worker's short-lived {@link SharedReads}, and the migration's own identifiers through the worker's batched
 * status readers (the same DescribeDBClusters/DescribeDBInstances calls, with `db-cluster-id`/`db-instance-id`
 * filters, that the waits use). One pre-flight then costs at most two RDS calls of its own, each of which
 * concurrent pre-flights and status checks of the worker join.
 */
import type { DBCluster, DBInstance, RDSClient } from '@aws-sdk/client-rds';
import { StatusBatcher, describeClusters, describeInstances } from '../rds/status-batcher';
import { SharedReads } from './shared-reads';

/** The pre-flight's RDS reads. */
export interface PreflightRdsReads {
  /** For reads that are neither shared nor batched. */
  rds: RDSClient;
  /** Answers the same for every migration of a burst. */
  shared: SharedReads;
  /** The cluster by identifier, or undefined when RDS does not list it. */
  cluster(id: string): Promise<DBCluster | undefined>;
  /** The instance by identifier, or undefined when RDS does not list it. */
  instance(id: string): Promise<DBInstance | undefined>;
}

/** The worker's readers the pre-flight joins (see `createActivities`). */
export interface SharedRdsReaders {
  shared: SharedReads;
  clusters: StatusBatcher<DBCluster>;
  instances: StatusBatcher<DBInstance>;
}

/** Readers of their own (a dry run, a test): still one call for what one pre-flight asks twice. */
export function ownRdsReaders(rds: RDSClient): SharedRdsReaders {
  return {
    shared: new SharedReads(),
    clusters: new StatusBatcher(describeClusters(rds)),
    instances: new StatusBatcher(describeInstances(rds)),
  };
}

/** The pre-flight's reads over `rds` and the given readers (default: its own). */
export function preflightRdsReads(rds: RDSClient, readers: SharedRdsReaders = ownRdsReaders(rds)): PreflightRdsReads {
  return {
    rds,
    shared: readers.shared,
    cluster: (id) => readers.clusters.read(id),
    instance: (id) => readers.instances.read(id),
  };
}
