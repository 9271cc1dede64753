/**
 * `verifyTables`: compares every base table of the non-system schemas on both ends, with `CHECKSUM TABLE` or
 * `COUNT(*)`, while the source is frozen and the writer has executed its final position. The table list is the
 * union of both ends' (a table on one end only is a difference, not a skip); on 5.7 a table with a JSON column
 * is compared by a row digest (see table-measures.ts). The source is read as the
 * replication user, which therefore needs SELECT on those schemas; without it the failure says so.
 */
import type { ReplicationSource, TableVerification, VerifyMode } from '../../workflows/replication-types';
import type { SecretsClientFor } from '../secrets';
import { connectSource, connectWriter, query, withConnection, type OpenConnection, type WriterLogin } from './connect';
import { measureTable, MISSING } from './table-measures';

/** Input of verifyTables. */
export interface VerifyTablesInput {
  writer: WriterLogin;
  source: ReplicationSource;
  method: VerifyMode;
}

/** Schemas that are the server's own (Aurora's and MySQL's), never compared. */
export const SYSTEM_SCHEMAS = ['mysql', 'sys', 'information_schema', 'performance_schema'];

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
        const s = await measureTable(source, table, method);
        const t = await measureTable(writer, table, method);
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
