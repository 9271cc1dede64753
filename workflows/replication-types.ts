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

/** A place in the source's binary log: file and position, and the GTID set executed up to there. */
export interface SourcePosition {
  file: string;
  position: number;
  /** `@@GLOBAL.gtid_executed`, one line, no spaces; empty when the source runs without GTIDs. */
  gtidExecuted: string;
}

/** Where replication started, and from what. */
export interface ReplicationStart {
  mode: ReplicationMode;
  /** The procedure called, e.g. `mysql.rds_set_external_source`. */
  procedure: string;
  /** Binlog-position mode: the coordinates given to the procedure. */
  file?: string;
  position?: number;
  /** GTID mode: the set the cluster already holds (the backup's). */
  gtidSet?: string;
  /** Where the coordinates came from: the backup's `xtrabackup_binlog_info`, or the cluster's RDS event. */
  from: 'backup' | 'rds-event';
  /** Set when the backup and the RDS event disagree: which one was used and why. */
  mismatch?: string;
  /** True when a retried call found replication already configured from this source and left it running. */
  alreadyConfigured: boolean;
  /** ISO 8601. */
  at: string;
}

/** One read of replication while catching up, as progress shows it. */
export interface ReplicationLag {
  /** ISO 8601 of the read. */
  at: string;
  ioRunning: string;
  sqlRunning: string;
  /** `Seconds_Behind_Source`/`_Master`; null while a thread is not running. */
  secondsBehind: number | null;
  /** Bytes of the source's binary log not yet executed on the cluster (same file only; else undefined). */
  bytesBehind?: number;
  /** GTID mode: transactions the source has that the cluster has not executed. */
  transactionsBehind?: number;
  /** The cluster's executed position in the source's binary log. */
  executed?: { file: string; position: number };
  /** The source's current position. */
  source?: SourcePosition;
  /** Predicted moment of "caught up" (lag 0), from the lag's trend; absent until two reads show it falling. */
  caughtUpEta?: string;
  /** Consecutive reads at or under `maxLagSeconds` (automatic cutover starts at `CUTOVER_CONSECUTIVE_READS`). */
  consecutiveUnderMax: number;
}

/** The automatic cutover starts after this many consecutive reads at or under maxLagSeconds. */
export const CUTOVER_CONSECUTIVE_READS = 3;

/** The source made read-only for the cutover. */
export interface SourceFreeze {
  /** ISO 8601: when writes stopped being accepted. */
  frozenAt: string;
  /** The source's final position, read after writes stopped. */
  position: SourcePosition;
  /**
   * How the source is put back if nobody does it in time: `event` (a one-shot MySQL event on the source, due at
   * frozenAt + freezeTimeout, so no worker is needed) or `workflow` (only the workflow's timer: event_scheduler off).
   */
  guard: 'event' | 'workflow';
}

/** One table compared on both ends at cutover. */
export interface TableVerification {
  /** `schema.table`. */
  table: string;
  method: VerifyMode;
  source: string;
  target: string;
  equal: boolean;
}

/** The approval that starts a manual cutover. */
export interface CutoverRequest {
  by: string;
  reason?: string;
}

/** The recorded decision to cut over. */
export interface CutoverDecision extends CutoverRequest {
  /** ISO 8601. */
  at: string;
  /** `manual` (an update) or `automatic` (lag stayed under maxLagSeconds). */
  trigger: CutoverMode;
}

/** What both ends were left as. */
export interface EndStates {
  /** `writable` (the application may write), `read-only` (frozen: only while cutting over). */
  source: 'writable' | 'read-only' | 'unknown';
  /** `replicating` (still following the source), `detached` (replication removed: the new primary), `stopped`. */
  target: 'replicating' | 'detached' | 'stopped' | 'unknown';
}

/** The cutover, as the result reports it. */
export interface CutoverReport {
  decision: CutoverDecision;
  /** The read-only window on the source (the downtime), in milliseconds, from frozenAt to unfrozen or detached. */
  readOnlyMs: number;
  frozenAt: string;
  /** The source's final coordinates, which the cluster executed before replication was removed. */
  finalPosition: SourcePosition;
  verification: TableVerification[];
  /** `host:port` of the writer endpoint to point the application at. */
  endpoint: string;
  ends: EndStates;
  /** ISO 8601. */
  completedAt: string;
}

/** Replication as progress and the Web UI show it. */
export interface ReplicationProgress {
  start?: ReplicationStart;
  lag?: ReplicationLag;
  cutover?: CutoverDecision;
  freeze?: SourceFreeze;
  ends: EndStates;
  /** Why replication or the cutover stopped, with the fix, when it did. */
  stopped?: { kind: string; errno: number; error: string; fix: string };
}
