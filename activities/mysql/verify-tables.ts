/**
 * `verifyTables`: compares every base table of the non-system schemas on both ends, with `CHECKSUM TABLE` or
 * `COUNT(*)`, while the source is frozen and the writer has executed its final position. The table list is the
 * union of both ends' (a table on one end only is a difference, not a skip). The source is read as the
 * replication user, which therefore needs SELECT on those schemas; without it the failure says so.
 */
import { escapeId } from 'mysql2';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { ReplicationSource, TableVerification, VerifyMode } from '../../workflows/replication-types';
import type { SecretsClientFor } from '../secrets';
import { connectSource, connectWriter, query, withConnection, type OpenConnection, type WriterLogin } from './connect';

/** Input of verifyTables. */
export interface VerifyTablesInput {
  writer: WriterLogin;
  source: ReplicationSource;
  method: VerifyMode;
}

/** Schemas that are the server's own (Aurora's and MySQL's), never compared. */
export const SYSTEM_SCHEMAS = ['mysql', 'sys', 'information_schema', 'performance_schema'];

/** What a table's value is on an end where it does not exist. */
const MISSING = 'missing';

/** Compares the tables; see the module comment. `none` compares nothing and returns []. */
export async function verifyTables(secrets: SecretsClientFor, input: VerifyTablesInput): Promise<TableVerification[]> {
  const method = input.method;
  if (method === 'none') return [];
  return withConnection(connectSource(secrets, input.source), (source) =>
    withConnection(connectWriter(secrets, input.writer), async (writer) => {
      // Each table is measured on both ends whatever the lists say: a table the source's user cannot list
      // (no SELECT) must fail with the grant to add, not pass as "missing".
      const tables = [...new Set([...(await baseTables(source)), ...(await baseTables(writer))])].sort();
      const out: TableVerification[] = [];
      for (const table of tables) {
        const s = await measure(source, table, method);
        const t = await measure(writer, table, method);
        out.push({ table, method, source: s, target: t, equal: s === t && s !== MISSING });
      }
      return out;
    }),
  );
}

/** `schema.table` of every base table outside the system schemas, as the connection's user can see them. */
async function baseTables(open: OpenConnection): Promise<string[]> {
  const rows = await query<{ s: string; t: string }>(
    open,
    'SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES ' +
      "WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN (?) ORDER BY 1, 2",
    [SYSTEM_SCHEMAS],
    'list tables',
  );
  return rows.map((r) => `${r.s}.${r.t}`);
}

/** The checksum or the row count of one table, as text (big numbers stay exact). */
async function measure(open: OpenConnection, table: string, method: 'checksum' | 'counts'): Promise<string> {
  const dot = table.indexOf('.');
  // Identifiers cannot be parameters: escapeId quotes them, and `true` refuses to read a dot as a qualifier.
  const name = `${escapeId(table.slice(0, dot), true)}.${escapeId(table.slice(dot + 1), true)}`;
  try {
    if (method === 'checksum') {
      const [row] = await query<{ Checksum: string | number | null }>(
        open,
        `CHECKSUM TABLE ${name}`,
        undefined,
        'CHECKSUM TABLE',
      );
      return row?.Checksum === null || row?.Checksum === undefined ? MISSING : String(row.Checksum);
    }
    const [row] = await query<{ n: string | number }>(open, `SELECT COUNT(*) AS n FROM ${name}`, undefined, 'COUNT(*)');
    return String(row?.n ?? MISSING);
  } catch (err) {
    const errno = (err as { details?: Array<{ errno?: number }> }).details?.[0]?.errno;
    if (errno === 1146) return MISSING;
    if (open.role === 'source' && (errno === 1142 || errno === 1044)) {
      throw ApplicationFailure.create({
        type: FailureTypes.MysqlRejected,
        nonRetryable: true,
        message:
          `The source MySQL at ${open.address} refused to read ${table} for the cutover's verification: the ` +
          'replication user needs SELECT on the migrated schemas. Fix: GRANT SELECT ON <schema>.* TO the ' +
          'replication user on the source, or set replication.verify: none',
        details: [{ role: 'source', field: 'replication.verify', errno }],
      });
    }
    throw err;
  }
}
