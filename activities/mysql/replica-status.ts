/**
 * Reads one row of `SHOW REPLICA STATUS` (MySQL 8.0.22+, Aurora v3) or `SHOW SLAVE STATUS` (5.7, Aurora v2)
 * into one shape, whichever spelling of the field names the server used.
 */

/** Replication state of the replica, in one vocabulary for both spellings. */
export interface ReplicaStatus {
  /** `Yes`, `No` or `Connecting`. */
  ioRunning: string;
  /** `Yes` or `No`. */
  sqlRunning: string;
  /** Null when a thread is not running (MySQL reports NULL then). */
  secondsBehind: number | null;
  /** The I/O thread's read position in the source's binary log. */
  readFile?: string;
  readPosition?: number;
  /** The SQL thread's executed position in the source's binary log. */
  executedFile?: string;
  executedPosition?: number;
  retrievedGtidSet: string;
  executedGtidSet: string;
  ioErrno: number;
  ioError: string;
  sqlErrno: number;
  sqlError: string;
}

type Row = Record<string, unknown>;

/** The value of the first of `names` the row has. */
function field(row: Row, ...names: string[]): unknown {
  for (const name of names) if (row[name] !== undefined) return row[name];
  return undefined;
}

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return value.toString();
  return Buffer.isBuffer(value) ? value.toString('utf8') : '';
}

function numberOrUndefined(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** GTID sets come with newlines between UUIDs when long; one line, no spaces. */
function gtidSet(value: unknown): string {
  return text(value).replace(/\s+/g, '');
}

/** Parses one status row; undefined when the server is not a replica (the statement returned no row). */
export function parseReplicaStatus(row: Row | undefined): ReplicaStatus | undefined {
  if (!row) return undefined;
  return {
    ioRunning: text(field(row, 'Replica_IO_Running', 'Slave_IO_Running')),
    sqlRunning: text(field(row, 'Replica_SQL_Running', 'Slave_SQL_Running')),
    secondsBehind: numberOrUndefined(field(row, 'Seconds_Behind_Source', 'Seconds_Behind_Master')) ?? null,
    readFile: text(field(row, 'Source_Log_File', 'Master_Log_File')) || undefined,
    readPosition: numberOrUndefined(field(row, 'Read_Source_Log_Pos', 'Read_Master_Log_Pos')),
    executedFile: text(field(row, 'Relay_Source_Log_File', 'Relay_Master_Log_File')) || undefined,
    executedPosition: numberOrUndefined(field(row, 'Exec_Source_Log_Pos', 'Exec_Master_Log_Pos')),
    retrievedGtidSet: gtidSet(field(row, 'Retrieved_Gtid_Set')),
    executedGtidSet: gtidSet(field(row, 'Executed_Gtid_Set')),
    ioErrno: numberOrUndefined(field(row, 'Last_IO_Errno')) ?? 0,
    ioError: text(field(row, 'Last_IO_Error')),
    sqlErrno: numberOrUndefined(field(row, 'Last_SQL_Errno')) ?? 0,
    sqlError: text(field(row, 'Last_SQL_Error')),
  };
}
