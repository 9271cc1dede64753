/**
 * The `replication` section of a migration spec: binlog replication from the source into the restored cluster,
 * then a cutover. Dependency-free, like `types.ts`: the workflow bundle, the worker and the clients import it.
 */

/** How the cluster finds its place in the source's binary log. */
export const ReplicationModes = ['binlog-position', 'gtid'] as const;
/** `binlog-position` starts at the backup's file/position; `gtid` uses auto-positioning from its GTID set. */
export type ReplicationMode = (typeof ReplicationModes)[number];

/** Who decides when the cutover starts. */
export const CutoverModes = ['manual', 'automatic'] as const;
/** `manual` waits for a `cutover` update (by, reason); `automatic` starts once lag stays at or under maxLagSeconds. */
export type CutoverMode = (typeof CutoverModes)[number];

/** How the cutover proves both ends hold the same data before replication is removed. */
export const VerifyModes = ['checksum', 'counts', 'none'] as const;
/** `checksum`: CHECKSUM TABLE per table; `counts`: COUNT(*) per table; `none`: positions only. */
export type VerifyMode = (typeof VerifyModes)[number];

/** The source MySQL the cluster replicates from, as Aurora (the replica) connects to it. */
export interface ReplicationSource {
  /** Host name or IP address the Aurora writer can reach. */
  host: string;
  /** @default 3306 */
  port?: number;
  /** Replication user: needs REPLICATION SLAVE and REPLICATION CLIENT on the source. */
  user: string;
  /** Secrets Manager secret holding the password (a `password` key of a JSON secret, or the whole string). */
  passwordSecretArn?: string;
  /** Sensitive: the literal password; accepted only when payloads are encrypted (AURORA_MIGRATE_CODEC_KEYS). */
  password?: string;
  /** Encrypt the replication connection (the procedures' `ssl_encryption`). @default false */
  tls?: boolean;
}

/** Replication from the source and the cutover to Aurora. */
export interface ReplicationSpec {
  source: ReplicationSource;
  /** @default 'binlog-position' */
  mode?: ReplicationMode;
  /** @default 'manual' */
  cutover?: CutoverMode;
  /** Automatic cutover: the lag, in seconds, that consecutive reads must stay at or under. @default 5 */
  maxLagSeconds?: number;
  /** Longest time the source may stay read-only during the cutover. @default '5m' */
  freezeTimeout?: string | number;
  /** @default 'checksum' */
  verify?: VerifyMode;
  /** How often replication status is read while catching up. @default '10s' */
  statusInterval?: string | number;
  /** How long the manual cutover waits for its `cutover` update before failing. @default '7d' */
  cutoverTimeout?: string | number;
}
