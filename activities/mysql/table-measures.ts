/**
 * One table's value for the cutover's verification on one end: `CHECKSUM TABLE`, or `COUNT(*)`. On MySQL 5.7
 * `CHECKSUM TABLE` of a table with a JSON column changes from one call to the next on the same data (MySQL Bug
 * #87847, still so on 5.7.22, see scripts/fixtures/real-data/table-digest.ts), so such a table is compared by a
 * digest of its rows' contents instead, written `row-digest:<hex>` so the report says which was compared.
 */
import { escapeId } from 'mysql2';
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { query, type OpenConnection } from './connect';

/** A table's value on an end where it does not exist. */
export const MISSING = 'missing';

/** The checksum, row digest or row count of `schema.table`, as text (big numbers stay exact). */
export async function measureTable(
  open: OpenConnection,
  table: string,
  method: 'checksum' | 'counts',
): Promise<string> {
  const dot = table.indexOf('.');
  const [schema, name] = [table.slice(0, dot), table.slice(dot + 1)];
  // Identifiers cannot be parameters: escapeId quotes them, and `true` refuses to read a dot as a qualifier.
  const quoted = `${escapeId(schema, true)}.${escapeId(name, true)}`;
  try {
    if (method === 'counts') {
      const [row] = await query<{ n: string | number }>(open, `SELECT COUNT(*) AS n FROM ${quoted}`, [], 'COUNT(*)');
      return String(row?.n ?? MISSING);
    }
    const columns = await jsonOn57(open, schema, name);
    if (columns) return await rowDigest(open, quoted, columns);
    const [row] = await query<{ Checksum: string | number | null }>(open, `CHECKSUM TABLE ${quoted}`, [], 'CHECKSUM');
    return row?.Checksum === null || row?.Checksum === undefined ? MISSING : String(row.Checksum);
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

/** On 5.7, the columns of a table that has a JSON column (CHECKSUM TABLE unreliable); otherwise undefined. */
async function jsonOn57(open: OpenConnection, schema: string, name: string): Promise<string[] | undefined> {
  const columns = await query<{ c: string; t: string; v: string }>(
    open,
    'SELECT COLUMN_NAME AS c, DATA_TYPE AS t, VERSION() AS v FROM information_schema.COLUMNS ' +
      'WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION',
    [schema, name],
    'list columns',
  );
  const is57 = /^5\.7\./.test(columns[0]?.v ?? '');
  return is57 && columns.some((c) => c.t.toLowerCase() === 'json') ? columns.map((c) => c.c) : undefined;
}

/**
 * XOR over rows of the first 64 bits of SHA1 of the row's quoted values: independent of row order and storage
 * format, NULL distinct from 'NULL' (QUOTE).
 */
async function rowDigest(open: OpenConnection, quoted: string, columns: string[]): Promise<string> {
  const row = `CONCAT_WS(0x1f, ${columns.map((c) => `QUOTE(${escapeId(c, true)})`).join(', ')})`;
  const [result] = await query<{ d: string | null }>(
    open,
    `SELECT LPAD(HEX(BIT_XOR(CAST(CONV(LEFT(SHA1(${row}), 16), 16, 10) AS UNSIGNED))), 16, '0') AS d FROM ${quoted}`,
    [],
    'row digest',
  );
  return `row-digest:${String(result?.d ?? '').toLowerCase()}`;
}
