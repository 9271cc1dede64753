/**
 * Where a restored cluster's binary log stood when it came up: the position to start replication from. RDS says so
 * only in an event (no DescribeDBClusters field carries it), by message text, and which wording and which source
 * (cluster or writer instance) an S3 restore uses is UNCONFIRMED (replication-cutover-facts §5): both wordings are
 * read, on the cluster and on its instances.
 */
import type { RDSClient } from '@aws-sdk/client-rds';
import type { BinlogCoordinates } from '../../workflows/types';
import { readMigrationEvents } from './migration-events';
import type { RecoveredPositionInput } from './types';

/**
 * The two wordings: the "Recovered from Binary log filename" event AWS's S3-import guide names (its exact text is
 * UNCONFIRMED, so quotes, commas and case are optional), and "Binlog position from crash recovery is <file> <pos>",
 * which AWS quotes for restored and cloned clusters.
 */
const WORDINGS = [
  /Recovered from Binary log filename\s+'?([^'\s,]+)'?,?\s+position\s+'?(\d+)'?/i,
  /Binlog position from crash recovery is\s+(\S+)\s+(\d+)/i,
];

/** The coordinates an event message states, or undefined when it states none. */
export function parseRecoveredPosition(message: string): BinlogCoordinates | undefined {
  for (const wording of WORDINGS) {
    const match = wording.exec(message);
    if (match?.[1] && match[2]) return { file: match[1], position: Number(match[2]) };
  }
  return undefined;
}

/**
 * Reads the events of the cluster and its instances since the migration started and returns the last position
 * they state; undefined when none does (RDS events are best-effort).
 */
export async function readRecoveredPosition(
  rds: RDSClient,
  input: RecoveredPositionInput,
): Promise<BinlogCoordinates | undefined> {
  let latest: { date: number; position: BinlogCoordinates } | undefined;
  for (const { event } of await readMigrationEvents(rds, input)) {
    const position = parseRecoveredPosition(event.Message ?? '');
    const date = event.Date?.getTime() ?? 0;
    if (position && (!latest || date >= latest.date)) latest = { date, position };
  }
  return latest?.position;
}
