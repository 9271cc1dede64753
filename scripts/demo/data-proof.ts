/**
 * The proof that the data arrived: the same tables' row counts and CHECKSUM TABLE on two MySQL endpoints (the
 * source and the Aurora writer), side by side, and whether every one is equal.
 */
import { createConnection, type ConnectionOptions } from 'mysql2/promise';
import { type TableDigest, tableDigests } from '../fixtures/real-data/table-digest';

/** Where to connect (host, port, user, password, or a socketPath). */
export type MysqlEndpoint = Pick<ConnectionOptions, 'host' | 'port' | 'user' | 'password' | 'socketPath'>;

/** One table on both sides. */
export interface TableComparison {
  table: string;
  source: TableDigest;
  target: TableDigest;
  equal: boolean;
}

/** The whole comparison. */
export interface DataProof {
  tables: TableComparison[];
  /** Every table has equal rows, CHECKSUM TABLE (where reliable) and row digest. */
  equal: boolean;
}

/** Digests the tables on both endpoints and pairs them up. */
export async function compareTables(
  source: MysqlEndpoint,
  target: MysqlEndpoint,
  tables: readonly string[],
): Promise<DataProof> {
  const [a, b] = await Promise.all([digestsAt(source, tables), digestsAt(target, tables)]);
  const rows = tables.map((table, i) => {
    const s = a[i]!;
    const t = b[i]!;
    return {
      table,
      source: s,
      target: t,
      equal: s.rows === t.rows && s.checksum === t.checksum && s.digest === t.digest,
    };
  });
  return { tables: rows, equal: rows.every((r) => r.equal) };
}

/** The comparison as a table for a terminal. */
export function formatDataProof(proof: DataProof): string {
  const head = [
    'table',
    'rows source',
    'rows Aurora',
    'CHECKSUM TABLE source',
    'CHECKSUM TABLE Aurora',
    'row digest',
    '',
  ];
  const body = proof.tables.map((t) => [
    t.table,
    String(t.source.rows),
    String(t.target.rows),
    t.source.checksum ?? 'n/a (5.7 JSON)',
    t.target.checksum ?? 'n/a (5.7 JSON)',
    t.source.digest === t.target.digest ? t.source.digest : `${t.source.digest} ≠ ${t.target.digest}`,
    t.equal ? 'equal' : 'DIFFERENT',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    '  ' +
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), ...body.map(line)].join('\n');
}

async function digestsAt(endpoint: MysqlEndpoint, tables: readonly string[]): Promise<TableDigest[]> {
  const connection = await createConnection({ ...endpoint, charset: 'utf8mb4', connectTimeout: 10_000 });
  try {
    return await tableDigests(connection, tables);
  } finally {
    await connection.end();
  }
}
