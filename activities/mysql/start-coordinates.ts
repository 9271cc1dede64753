/**
 * Where replication starts after a restore: the backup's `xtrabackup_binlog_info` (what the backup tool read
 * from the source) cross-checked with the cluster's "Recovered from Binary log filename …" / "Binlog position
 * from crash recovery is …" RDS event (what Aurora says its data stands at, facts §5). Pure: no I/O.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { ReplicationMode } from '../../workflows/replication-types';
import type { BinlogCoordinates } from '../../workflows/types';

/** The coordinates chosen, with where they came from and, when the two disagree, why these. */
export interface StartCoordinates {
  file?: string;
  position?: number;
  gtidSet?: string;
  from: 'backup' | 'rds-event';
  mismatch?: string;
}

const text = (c: BinlogCoordinates) => `${c.file}:${c.position}`;
const hasPosition = (c?: BinlogCoordinates): c is BinlogCoordinates & { file: string; position: number } =>
  c?.file !== undefined && c.position !== undefined;

/**
 * Chooses the start. Equal coordinates (or only the backup's) → `backup`. Different → the RDS event's, because
 * the event is Aurora's own statement of the transaction its data was recovered to, while the backup file is
 * what the backup tool read (a lockless or non-InnoDB backup can record a different point); `mismatch` says so.
 * GTID mode needs a set (the backup's first, else the event's); binlog-position mode a file and position.
 */
export function chooseStartCoordinates(
  mode: ReplicationMode,
  backup: BinlogCoordinates | undefined,
  recovered: BinlogCoordinates | undefined,
): StartCoordinates {
  let chosen: StartCoordinates;
  if (hasPosition(backup) && hasPosition(recovered)) {
    const equal = backup.file === recovered.file && backup.position === recovered.position;
    chosen = equal
      ? { file: backup.file, position: backup.position, from: 'backup' }
      : {
          file: recovered.file,
          position: recovered.position,
          from: 'rds-event',
          mismatch:
            `The backup's xtrabackup_binlog_info says ${text(backup)} but the cluster's RDS event says it recovered ` +
            `to ${text(recovered)}: replication starts at ${text(recovered)}, the event being Aurora's own ` +
            'statement of where its data stands (the backup file records what the backup tool read, which a ' +
            'lockless or non-InnoDB backup can get wrong). Check the verification at cutover.',
        };
  } else if (hasPosition(backup)) {
    chosen = { file: backup.file, position: backup.position, from: 'backup' };
  } else if (hasPosition(recovered)) {
    chosen = { file: recovered.file, position: recovered.position, from: 'rds-event' };
  } else {
    chosen = { from: backup?.gtidSet ? 'backup' : 'rds-event' };
  }
  const gtidSet = backup?.gtidSet || recovered?.gtidSet || undefined;
  if (mode === 'gtid') {
    if (!gtidSet)
      throw noCoordinates(
        'replication.mode',
        'the backup records no GTID set (the source ran with gtid_mode OFF when it was taken)',
        'use replication.mode: binlog-position, or turn gtid_mode ON on the source and take a new backup',
      );
    return { ...chosen, gtidSet, from: backup?.gtidSet ? 'backup' : 'rds-event' };
  }
  if (!hasPosition(chosen)) {
    throw noCoordinates(
      'replication.mode',
      'neither the backup (xtrabackup_binlog_info) nor the cluster (its recovered-position RDS event) names a binlog file and position',
      'take the backup from a source with log_bin ON, or use replication.mode: gtid when the backup has a GTID set',
    );
  }
  return gtidSet ? { ...chosen, gtidSet } : chosen;
}

function noCoordinates(field: string, what: string, fix: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.InvalidInput,
    nonRetryable: true,
    message: `${field}: replication cannot start: ${what}. Fix: ${fix}`,
    details: [{ field }],
  });
}
