/**
 * The source's current place in its binary log (`SHOW MASTER STATUS`, which 8.4 renamed `SHOW BINARY LOG
 * STATUS`) and its executed GTID set. What catch-up measures lag in bytes against, and what the cutover waits for.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { SourcePosition } from '../../workflows/replication-types';
import { query, type OpenConnection } from './connect';

/** Reads the position; fails with a clear message when the source runs without a binary log. */
export async function readSourcePosition(source: OpenConnection): Promise<SourcePosition> {
  let rows: Array<Record<string, unknown>>;
  try {
    rows = await query(source, 'SHOW MASTER STATUS', undefined, 'SHOW MASTER STATUS');
  } catch (err) {
    // 8.4 removed the old spelling (ER_PARSE_ERROR); it understands the new one.
    if ((err as { details?: Array<{ errno?: number }> }).details?.[0]?.errno !== 1064) throw err;
    rows = await query(source, 'SHOW BINARY LOG STATUS', undefined, 'SHOW BINARY LOG STATUS');
  }
  const row = rows[0];
  if (!row || !row.File) {
    throw ApplicationFailure.create({
      type: FailureTypes.MysqlRejected,
      nonRetryable: true,
      message:
        `The source MySQL at ${source.address} has no binary log (log_bin is OFF): replication needs one. ` +
        'Fix: start the source with log_bin (and binlog_format=ROW, a server_id), then take a new backup',
      details: [{ role: 'source', field: 'replication.source' }],
    });
  }
  const [gtid] = await query<{ g: string | null }>(source, 'SELECT @@GLOBAL.gtid_executed AS g');
  return {
    file: typeof row.File === 'string' ? row.File : Buffer.from(row.File as Uint8Array).toString(),
    position: Number(row.Position),
    gtidExecuted: String(gtid?.g ?? '').replace(/\s+/g, ''),
  };
}
