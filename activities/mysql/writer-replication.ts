/**
 * What every cluster-side replication activity needs from the writer: which Aurora major version it is (the
 * procedure names differ, facts §1), its replica status in either spelling (`SHOW REPLICA STATUS` on v3,
 * `SHOW SLAVE STATUS` on v2 and on MySQL before 8.0.22), and the failure a stopped thread becomes.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { query, type OpenConnection } from './connect';
import { parseReplicaStatus, type ReplicaStatus } from './replica-status';
import { explainReplicationStop, ReplicationStopKinds, type ReplicationStop } from './replication-errors';

/** The writer's Aurora major version and the names of its procedures. */
export interface WriterFlavour {
  /** `VERSION()`, e.g. `8.0.15` or `5.7.22-log`. */
  version: string;
  /** 2 (MySQL 5.7 compatible, `_master` names) or 3 (8.0, `_source` names). */
  aurora: 2 | 3;
  setExternal: string;
  setExternalAutoPosition: string;
  resetExternal: string;
}

/** Reads `VERSION()` and picks the procedure names: 5.x is Aurora v2, 8.x and later v3. */
export async function writerFlavour(writer: OpenConnection): Promise<WriterFlavour> {
  const [row] = await query<{ v: string }>(writer, 'SELECT VERSION() AS v', undefined, 'SELECT VERSION()');
  const version = String(row?.v ?? '');
  const major = Number.parseInt(version, 10);
  if (major === 5) {
    return {
      version,
      aurora: 2,
      setExternal: 'mysql.rds_set_external_master',
      setExternalAutoPosition: 'mysql.rds_set_external_master_with_auto_position',
      resetExternal: 'mysql.rds_reset_external_master',
    };
  }
  if (major >= 8) {
    return {
      version,
      aurora: 3,
      setExternal: 'mysql.rds_set_external_source',
      setExternalAutoPosition: 'mysql.rds_set_external_source_with_auto_position',
      resetExternal: 'mysql.rds_reset_external_source',
    };
  }
  throw ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message: `The cluster writer at ${writer.address} runs MySQL ${version}: Aurora MySQL 2 (5.7) or 3 (8.0) expected`,
    details: [{ role: 'writer', field: writer.field }],
  });
}

/** One read of the writer's replica status, with the source it is configured from. */
export interface ReplicaReading {
  status: ReplicaStatus;
  /** `Source_Host`/`Master_Host`, `_Port`, `_User`: who the writer replicates from. */
  host: string;
  port: number;
  user: string;
  /** `Auto_Position` = 1 (GTID auto-positioning). */
  autoPosition: boolean;
}

/**
 * Reads the writer's replica status, remembering which spelling the server understood so that a long watch
 * asks once: `SHOW REPLICA STATUS` first, `SHOW SLAVE STATUS` when the server does not know it (1064).
 */
export class ReplicaStatusReader {
  private spelling: 'REPLICA' | 'SLAVE' | undefined;

  constructor(private readonly writer: OpenConnection) {}

  /** The status, or undefined when the writer is not configured as a replica. */
  async read(): Promise<ReplicaReading | undefined> {
    const rows = await this.rows();
    const row = rows[0];
    const status = parseReplicaStatus(row);
    if (!row || !status) return undefined;
    const pick = (...names: string[]): string => {
      const value = names.map((n) => row[n]).find((v) => v !== undefined && v !== null);
      return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
    };
    return {
      status,
      host: pick('Source_Host', 'Master_Host'),
      port: Number(pick('Source_Port', 'Master_Port') || 0),
      user: pick('Source_User', 'Master_User'),
      autoPosition: pick('Auto_Position') === '1',
    };
  }

  private async rows(): Promise<Array<Record<string, unknown>>> {
    if (this.spelling) return query(this.writer, `SHOW ${this.spelling} STATUS`);
    try {
      const rows = await query(this.writer, 'SHOW REPLICA STATUS');
      this.spelling = 'REPLICA';
      return rows;
    } catch (err) {
      if ((err as { details?: Array<{ errno?: number }> }).details?.[0]?.errno !== 1064) throw err;
      this.spelling = 'SLAVE';
      return query(this.writer, 'SHOW SLAVE STATUS');
    }
  }
}

/** CR_SSL_CONNECTION_ERROR: the replication connection's TLS handshake failed. */
const SSL_CONNECTION_ERROR = 2026;

/**
 * A stop that ends waiting on replication: a permanent one, or a thread that is really stopped (`No`). An I/O
 * thread still `Connecting` after a network error keeps retrying by itself, so it is not one, except after a
 * failed TLS handshake (2026), which retrying never fixes. Threads stopped
 * without an error were stopped on purpose (rds_stop_replication), which the explanation says.
 */
export function blockingStop(status: ReplicaStatus): ReplicationStop | undefined {
  const stop = explainReplicationStop(status);
  if (!stop) return undefined;
  if (stop.thread === 'io' && stop.errno === SSL_CONNECTION_ERROR) {
    // The I/O thread retries a failed TLS handshake for ever (every MASTER_CONNECT_RETRY seconds), but a
    // source without TLS, or one whose certificate is refused, does not change by waiting.
    return {
      ...stop,
      permanent: true,
      fix:
        'The replication connection’s TLS handshake failed (replication.source.tls is true): the source offers no ' +
        'TLS (have_ssl DISABLED: give it ssl_cert and ssl_key) or refuses the cluster’s; fix the source, or set ' +
        'replication.source.tls: false where the network is trusted',
    };
  }
  if (!stop.permanent && status.ioRunning !== 'No' && status.sqlRunning !== 'No') return undefined;
  if (stop.errno === 0 && !stop.error) {
    return {
      ...stop,
      kind: ReplicationStopKinds.ApplyFailed,
      error: `the ${stop.thread === 'io' ? 'I/O' : 'SQL'} thread is stopped without an error`,
      fix: 'Replication was stopped on the writer (CALL mysql.rds_stop_replication). Start it again with CALL mysql.rds_start_replication',
    };
  }
  return stop;
}

/** The non-retryable failure of a stopped replication thread, with the explanation as its one detail. */
export function replicationStopped(stop: ReplicationStop, writer: OpenConnection): ApplicationFailure {
  const thread = stop.thread === 'io' ? 'I/O' : 'SQL';
  return ApplicationFailure.create({
    type: FailureTypes.ReplicationStopped,
    nonRetryable: true,
    message:
      `Replication on the cluster writer at ${writer.address} stopped (${thread} thread, ${stop.kind}, ` +
      `error ${stop.errno}: ${stop.error}). Fix: ${stop.fix}`,
    details: [stop],
  });
}

/** The failure when the writer has no replication configured although an activity needs it. */
export function notReplicating(writer: OpenConnection): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message:
      `The cluster writer at ${writer.address} is not configured as a replica (its replica status is empty): ` +
      'replication was removed or never started. Fix: start replication again (startReplication) or migrate again',
    details: [{ role: 'writer', field: writer.field }],
  });
}

/** Orders two binlog coordinates of the same source: negative when a is before b. */
export function compareBinlogPositions(
  a: { file: string; position: number },
  b: { file: string; position: number },
): number {
  if (a.file !== b.file) {
    // `base.000123`: the numeric extension orders files of one server; the base name is the same.
    const index = (file: string) => Number(/\.(\d+)$/.exec(file)?.[1] ?? Number.NaN);
    const ai = index(a.file);
    const bi = index(b.file);
    if (Number.isFinite(ai) && Number.isFinite(bi) && ai !== bi) return ai - bi;
    return a.file < b.file ? -1 : 1;
  }
  return a.position - b.position;
}
