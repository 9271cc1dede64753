/**
 * Why replication stopped and what to do about it: the one place where MySQL replication error numbers (the
 * I/O and SQL threads' Last_*_Errno, and the errno quoted inside "Got fatal error 1236 …") become an explanation
 * with a fix, from the replication facts §3.
 */
import type { ReplicaStatus } from './replica-status';

/** Stable kinds of replication stop, safe to match on. */
export const ReplicationStopKinds = {
  /** 1236: the source no longer has the binary log the replica needs. */
  BinlogPurged: 'binlog-purged',
  /** 1062/1032: the target's rows differ from the source's. */
  TargetDiverged: 'target-diverged',
  /** 1045/2061/3201/MY-002061: the replication user cannot log in (password, grants, TLS). */
  AuthenticationFailed: 'authentication-failed',
  /** 2003/2005/2013 and other I/O errors: the source cannot be reached. */
  SourceUnreachable: 'source-unreachable',
  /** Any other SQL thread error. */
  ApplyFailed: 'apply-failed',
} as const;

/** One kind of replication stop. */
export type ReplicationStopKind = (typeof ReplicationStopKinds)[keyof typeof ReplicationStopKinds];

/** A stopped replication thread, explained. */
export interface ReplicationStop {
  kind: ReplicationStopKind;
  /** Which thread stopped. */
  thread: 'io' | 'sql';
  errno: number;
  /** The server's own message, quoted. */
  error: string;
  /** What to do about it. */
  fix: string;
  /** True when waiting or retrying cannot help (a person must act). */
  permanent: boolean;
}

const AUTH_ERRNOS = new Set([1045, 2061, 3201]);
const NETWORK_ERRNOS = new Set([2003, 2005, 2013, 2026]);

/**
 * The explanation of a stopped thread, or undefined while both threads run (or the I/O thread is connecting
 * without an error yet).
 */
export function explainReplicationStop(status: ReplicaStatus): ReplicationStop | undefined {
  if (status.sqlErrno !== 0 || status.sqlRunning === 'No') return explainSql(status);
  if (status.ioErrno !== 0 || status.ioRunning === 'No') return explainIo(status);
  return undefined;
}

function explainSql(status: ReplicaStatus): ReplicationStop {
  const base = { thread: 'sql' as const, errno: status.sqlErrno, error: status.sqlError, permanent: true };
  if (status.sqlErrno === 1062 || status.sqlErrno === 1032) {
    const what =
      status.sqlErrno === 1062 ? 'a row the source inserts already exists' : 'a row the source changes is missing';
    return {
      ...base,
      kind: ReplicationStopKinds.TargetDiverged,
      fix:
        `The target diverged from the source (${what} on Aurora): something wrote to the cluster, or replication ` +
        'started at the wrong coordinates. Keep applications off the cluster until cutover; compare the row, then ' +
        'restore again from a new backup (or, if that one row is understood, CALL mysql.rds_skip_repl_error).',
    };
  }
  return {
    ...base,
    kind: ReplicationStopKinds.ApplyFailed,
    fix:
      'The cluster could not apply a source transaction. Check the quoted error (MyISAM tables, unsafe statements, ' +
      'max_allowed_packet), fix its cause, then CALL mysql.rds_start_replication.',
  };
}

function explainIo(status: ReplicaStatus): ReplicationStop {
  const errno = status.ioErrno;
  const base = { thread: 'io' as const, errno, error: status.ioError };
  if (errno === 1236 || /fatal error 1236/.test(status.ioError)) {
    return {
      ...base,
      errno: 1236,
      kind: ReplicationStopKinds.BinlogPurged,
      permanent: true,
      fix:
        'The source no longer has the binary log the cluster needs (purged, or never written there): nothing can ' +
        'bring it back. Raise the source’s binlog retention (binlog_expire_logs_seconds on 8.0, expire_logs_days ' +
        'on 5.7) above backup + restore + catch-up time, take a new backup and migrate again.',
    };
  }
  if (AUTH_ERRNOS.has(errno) || /caching_sha2_password|Access denied/i.test(status.ioError)) {
    return {
      ...base,
      kind: ReplicationStopKinds.AuthenticationFailed,
      permanent: true,
      fix:
        'The replication user cannot log in to the source: check its password (replication.source), that it has ' +
        'REPLICATION SLAVE and REPLICATION CLIENT from the cluster’s address, and for caching_sha2_password either ' +
        'replication.source.tls: true or IDENTIFIED WITH mysql_native_password.',
    };
  }
  return {
    ...base,
    kind: ReplicationStopKinds.SourceUnreachable,
    permanent: !NETWORK_ERRNOS.has(errno) && errno !== 0,
    fix:
      'The cluster cannot reach the source: allow the cluster’s address in the source’s firewall and the source in ' +
      'the cluster’s VPC security group, check replication.source.host/port and TLS (replication.source.tls).',
  };
}
