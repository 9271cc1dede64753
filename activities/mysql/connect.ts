/**
 * Opens mysql2 connections to the two ends of a replication, the source and the cluster's writer, with the
 * password read inside the activity (a Secrets Manager secret at call time, or a literal carried only over
 * encrypted payloads). Connection failures are classified here, at the MySQL boundary (`mysql-errors.ts`).
 */
import { createConnection, type Connection } from 'mysql2/promise';
import { readSecretPassword, replicationPassword, type SecretsClientFor } from '../secrets';
import type { ReplicationSource } from '../../workflows/replication-types';
import { classifyMysqlError, type MysqlRole } from './mysql-errors';

/** How to log in to the cluster's writer: its endpoint and the master user, with its password's origin. */
export interface WriterLogin {
  host: string;
  port: number;
  /** `restore.MasterUsername`. */
  user: string;
  /**
   * The secret holding the master password: `restore.MasterUserPasswordSecretArn`, or the cluster's managed
   * `MasterUserSecret` when `ManageMasterUserPassword` is set.
   */
  passwordSecretArn?: string;
  /** Sensitive: the literal `restore.MasterUserPassword` (only over encrypted payloads). */
  password?: string;
}

/** A connection and where it goes, for messages. */
export interface OpenConnection {
  connection: Connection;
  role: MysqlRole;
  /** `host:port`. */
  address: string;
  /** The spec field naming this server's login. */
  field: string;
}

const CONNECT_TIMEOUT_MS = 10_000;

/** Connects to the source as `replication.source.user`. */
export async function connectSource(secrets: SecretsClientFor, source: ReplicationSource): Promise<OpenConnection> {
  const password = await replicationPassword(secrets, source);
  const port = source.port ?? 3306;
  return open('source', 'replication.source', source.host, port, {
    user: source.user,
    password,
    ...(source.tls ? { ssl: { rejectUnauthorized: false } } : {}),
  });
}

/** Connects to the cluster's writer as the master user. */
export async function connectWriter(secrets: SecretsClientFor, login: WriterLogin): Promise<OpenConnection> {
  const field = login.passwordSecretArn ? 'restore.MasterUserPasswordSecretArn' : 'restore.MasterUsername';
  const password =
    login.password ??
    (login.passwordSecretArn ? await readSecretPassword(secrets, { secretArn: login.passwordSecretArn, field }) : '');
  return open('writer', field, login.host, login.port, { user: login.user, password });
}

/** Runs `use` over a fresh connection and always closes it. */
export async function withConnection<T>(
  opening: Promise<OpenConnection>,
  use: (open: OpenConnection) => Promise<T>,
): Promise<T> {
  const opened = await opening;
  try {
    return await use(opened);
  } finally {
    await opened.connection.end().catch(() => opened.connection.destroy());
  }
}

/** Runs one statement, classifying its failure at the MySQL boundary. */
export async function query<T = Record<string, unknown>>(
  open: OpenConnection,
  sql: string,
  values?: unknown[],
  operation: string = sql.split(/\s+/).slice(0, 3).join(' '),
): Promise<T[]> {
  try {
    const [rows] = await open.connection.query(sql, values);
    return rows as T[];
  } catch (err) {
    throw classifyMysqlError(err, { role: open.role, operation, field: open.field, address: open.address });
  }
}

async function open(
  role: MysqlRole,
  field: string,
  host: string,
  port: number,
  login: { user: string; password: string; ssl?: { rejectUnauthorized: boolean } },
): Promise<OpenConnection> {
  const address = `${host}:${port}`;
  try {
    const connection = await createConnection({
      host,
      port,
      ...login,
      charset: 'utf8mb4',
      connectTimeout: CONNECT_TIMEOUT_MS,
      // Big numbers (positions, checksums) as strings, never rounded.
      supportBigNumbers: true,
      bigNumberStrings: true,
      multipleStatements: false,
    });
    // An error on an idle connection must not crash the worker; the next query reports it.
    connection.on('error', () => undefined);
    return { connection, role, address, field };
  } catch (err) {
    throw classifyMysqlError(err, { role, operation: 'connect', field, address });
  }
}
