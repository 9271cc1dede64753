/**
 * GTID auto-positioning asks the source for every transaction the replica has not executed, so the restored
 * cluster must already hold the backup's GTID set in `@@GLOBAL.gtid_executed` (facts §2). The emulated cluster
 * keeps it (mysql.gtid_executed travels in the backup); where a cluster lacks part of it, v3 (3.04+) adds it
 * with `mysql.rds_gtid_purged('+<set>')`; v2 has no such procedure, which is said plainly with the way out.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import { query, type OpenConnection } from './connect';
import type { WriterFlavour } from './writer-replication';

/** Makes sure the writer's gtid_executed contains `wanted` (the backup's set), adding what is missing on v3. */
export async function seedGtidSet(writer: OpenConnection, flavour: WriterFlavour, wanted: string): Promise<void> {
  const [mode] = await query<{ m: string }>(writer, 'SELECT @@GLOBAL.gtid_mode AS m', undefined, 'read gtid_mode');
  if (String(mode?.m ?? 'OFF') === 'OFF') {
    throw rejected(
      writer,
      'has gtid_mode OFF, so it cannot replicate with GTID auto-positioning',
      'set gtid_mode ON_PERMISSIVE (or ON) and enforce_gtid_consistency ON in the DB cluster parameter group and ' +
        'reboot the writer, or use replication.mode: binlog-position',
    );
  }
  const missing = await missingFrom(writer, wanted);
  if (!missing) return;
  if (flavour.aurora === 2) {
    throw rejected(
      writer,
      `lacks part of the backup's GTID set (${missing}) and Aurora MySQL 2 has no procedure to set gtid_purged ` +
        '(mysql.rds_gtid_purged exists from 3.04): auto-positioning would ask the source for transactions the ' +
        'backup already holds',
      'use replication.mode: binlog-position (the path AWS documents for S3 restores)',
    );
  }
  try {
    await query(writer, 'CALL mysql.rds_gtid_purged(?)', [`+${missing}`], 'CALL mysql.rds_gtid_purged');
  } catch (err) {
    const errno = (err as { details?: Array<{ errno?: number }> }).details?.[0]?.errno;
    if (errno !== 1305) throw err;
    throw rejected(
      writer,
      `lacks part of the backup's GTID set (${missing}) and has no mysql.rds_gtid_purged (Aurora MySQL 3.04 or later)`,
      'upgrade the cluster to Aurora MySQL 3.04 or later, or use replication.mode: binlog-position',
    );
  }
  const still = await missingFrom(writer, wanted);
  if (still) {
    throw rejected(
      writer,
      `still lacks ${still} of the backup's GTID set after mysql.rds_gtid_purged`,
      'use replication.mode: binlog-position',
    );
  }
}

/** The part of `wanted` the writer has not executed, computed by the server (GTID_SUBTRACT), one line. */
async function missingFrom(writer: OpenConnection, wanted: string): Promise<string> {
  const [row] = await query<{ missing: string | null }>(
    writer,
    'SELECT GTID_SUBTRACT(?, @@GLOBAL.gtid_executed) AS missing',
    [wanted],
    'GTID_SUBTRACT',
  );
  return String(row?.missing ?? '').replace(/\s+/g, '');
}

function rejected(writer: OpenConnection, what: string, fix: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message: `The cluster writer at ${writer.address} ${what}. Fix: ${fix}`,
    details: [{ role: 'writer', field: 'replication.mode' }],
  });
}
