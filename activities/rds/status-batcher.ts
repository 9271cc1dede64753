/**
 * Coalesces the status reads of one worker: every check that asks within a short window joins one
 * DescribeDBClusters (or DescribeDBInstances) call with a `db-cluster-id` (`db-instance-id`) filter of up to 100
 * identifiers, instead of one call each. RDS meters calls, not resources, against the account's shared budget
 * (a burst of 300, then 12 a second), so 1,000 restores cost about 10 calls a round, not 1,000.
 */
import {
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  type DBCluster,
  type DBInstance,
  type RDSClient,
} from '@aws-sdk/client-rds';

/** Most identifiers RDS takes in one filter. */
export const MAX_IDS_PER_CALL = 100;

/** Reads many resources in one call: returns those that exist, keyed by lower-case identifier. */
export type BatchRead<T> = (ids: string[]) => Promise<Map<string, T>>;

/** How long a read waits for company, and how many join one call. */
export interface BatchOptions {
  /** @default 25 */
  windowMs?: number;
  /** @default 100 */
  maxBatch?: number;
}

interface Waiter<T> {
  id: string;
  resolve(value: T | undefined): void;
  reject(err: unknown): void;
}

/** Collects reads for `windowMs` (or until `maxBatch` are waiting) and serves them with one batch read. */
export class StatusBatcher<T> {
  private pending: Waiter<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly windowMs: number;
  private readonly maxBatch: number;

  constructor(
    private readonly readBatch: BatchRead<T>,
    options: BatchOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 25;
    this.maxBatch = Math.min(options.maxBatch ?? MAX_IDS_PER_CALL, MAX_IDS_PER_CALL);
  }

  /** The resource, or undefined when RDS does not list it. A failed batch call fails every read in it. */
  read(id: string): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve, reject) => {
      this.pending.push({ id: id.toLowerCase(), resolve, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending.splice(0, this.maxBatch);
    if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), 0);
    if (batch.length === 0) return;
    const ids = [...new Set(batch.map((w) => w.id))];
    this.readBatch(ids).then(
      (found) => batch.forEach((w) => w.resolve(found.get(w.id))),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    );
  }
}

/** One DescribeDBClusters call (following Markers) for up to 100 cluster identifiers. */
export function describeClusters(rds: RDSClient): BatchRead<DBCluster> {
  return async (ids) => {
    const found = new Map<string, DBCluster>();
    let marker: string | undefined;
    do {
      const page = await rds.send(
        new DescribeDBClustersCommand({
          Filters: [{ Name: 'db-cluster-id', Values: ids }],
          MaxRecords: MAX_IDS_PER_CALL,
          Marker: marker,
        }),
      );
      for (const c of page.DBClusters ?? [])
        if (c.DBClusterIdentifier) found.set(c.DBClusterIdentifier.toLowerCase(), c);
      marker = page.Marker;
    } while (marker);
    return found;
  };
}

/** One DescribeDBInstances call (following Markers) for up to 100 instance identifiers. */
export function describeInstances(rds: RDSClient): BatchRead<DBInstance> {
  return async (ids) => {
    const found = new Map<string, DBInstance>();
    let marker: string | undefined;
    do {
      const page = await rds.send(
        new DescribeDBInstancesCommand({
          Filters: [{ Name: 'db-instance-id', Values: ids }],
          MaxRecords: MAX_IDS_PER_CALL,
          Marker: marker,
        }),
      );
      for (const i of page.DBInstances ?? []) {
        if (i.DBInstanceIdentifier) found.set(i.DBInstanceIdentifier.toLowerCase(), i);
      }
      marker = page.Marker;
    } while (marker);
    return found;
  };
}
