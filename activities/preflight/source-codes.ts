/**
 * Finding codes of the source pre-flight (stable API, like the other pre-flight codes): what `preflightSource`
 * reports about the MySQL server the cluster will replicate from, before anything is created.
 */
import type { FindingSeverity, ValidationFinding } from '../../workflows/types';
import { preflightFinding } from './findings';

/** Every code the source pre-flight can emit. */
export const SourceCodes = {
  /** The source cannot be reached (network, port, firewall). */
  Unreachable: 'SOURCE_UNREACHABLE',
  /** The source refused the login (user, password, host part of the account). */
  LoginRefused: 'SOURCE_LOGIN_REFUSED',
  /** The replication user's password could not be read (secret missing, denied, unusable). */
  PasswordUnavailable: 'SOURCE_PASSWORD_UNAVAILABLE',
  /** The source refused a read the pre-flight needs, other than the login. */
  Refused: 'SOURCE_REFUSED',
  BinlogOff: 'SOURCE_BINLOG_OFF',
  BinlogFormat: 'SOURCE_BINLOG_FORMAT_NOT_ROW',
  ServerIdUnset: 'SOURCE_SERVER_ID_UNSET',
  GtidModeOff: 'SOURCE_GTID_MODE_OFF',
  GtidConsistencyOff: 'SOURCE_GTID_CONSISTENCY_OFF',
  /** The backup's GTID set lacks transactions the source has purged: auto-positioning would fail with 1236. */
  GtidPurged: 'SOURCE_GTID_PURGED',
  /** REPLICATION SLAVE or REPLICATION CLIENT is missing. */
  ReplicationGrantMissing: 'SOURCE_REPLICATION_GRANT_MISSING',
  /** What the cutover's freeze needs is missing (SUPER on 5.7; SYSTEM_VARIABLES_ADMIN and CONNECTION_ADMIN on 8.0; EVENT, CREATE). */
  FreezeGrantMissing: 'SOURCE_FREEZE_GRANT_MISSING',
  /** The backup's binary log file is no longer on the source (purged). */
  BinlogFileMissing: 'SOURCE_BINLOG_FILE_MISSING',
  /** The backup recorded no coordinates to start replication from. */
  BackupCoordinatesMissing: 'SOURCE_BACKUP_COORDINATES_MISSING',
  /** Binary logs may expire before the cluster starts replicating. */
  RetentionShort: 'SOURCE_BINLOG_RETENTION_SHORT',
  /** The event scheduler is off: the freeze has no guard that works without a worker. */
  EventSchedulerOff: 'SOURCE_EVENT_SCHEDULER_OFF',
  /** `replication.source.tls` is set but the source has no TLS. */
  TlsUnavailable: 'SOURCE_TLS_UNAVAILABLE',
} as const;

/** One source pre-flight code. */
export type SourceCode = (typeof SourceCodes)[keyof typeof SourceCodes];

/** A source finding; `field` is the spec path to change (e.g. `replication.source.user`). */
export const sourceFinding: (
  code: SourceCode,
  severity: FindingSeverity,
  field: string,
  message: string,
  fix: string,
) => ValidationFinding = preflightFinding;
