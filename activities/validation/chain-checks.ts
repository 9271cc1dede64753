/**
 * Pure check that the backups under one prefix form one restorable set: exactly one full backup and incrementals
 * whose `from_lsn` continues the previous `to_lsn` (format §4.3, §5.2).
 */
import type { ValidationFinding } from '../../workflows/types';
import type { Checkpoints } from '../xtrabackup/metadata';
import { finding, FindingCodes as C } from './findings';

/** A backup's location and its parsed checkpoints. */
export interface ChainMember {
  location: string;
  checkpoints: Checkpoints;
}

/** Orders the backups into base + incrementals and reports what breaks the chain; `ordered` is base first. */
export function checkChain(members: ChainMember[]): { findings: ValidationFinding[]; ordered: ChainMember[] } {
  const fulls = members.filter((m) => m.checkpoints.backupType !== 'incremental');
  const incrementals = members
    .filter((m) => m.checkpoints.backupType === 'incremental')
    .sort((a, b) =>
      a.checkpoints.fromLsn < b.checkpoints.fromLsn ? -1 : a.checkpoints.fromLsn > b.checkpoints.fromLsn ? 1 : 0,
    );
  const out: ValidationFinding[] = [];
  if (fulls.length > 1) {
    out.push(
      finding(
        C.MultipleBackups,
        'error',
        `${fulls.length} full backups under one prefix: ${fulls.map((f) => f.location).join(', ')}`,
        'Give each backup its own prefix and point the restore at one of them.',
        fulls[1]?.location,
      ),
    );
    return { findings: out, ordered: members };
  }
  const base = fulls[0];
  if (!base) {
    if (incrementals.length > 0) {
      out.push(
        finding(
          C.IncrementalWithoutFull,
          'error',
          'only incremental backups under the prefix: the full backup they apply to is missing',
          'Upload the full (base) backup next to the incrementals, under the same prefix.',
          incrementals[0]?.location,
        ),
      );
    }
    return { findings: out, ordered: incrementals };
  }
  const kind = base.checkpoints.backupType;
  if (incrementals.length > 0 && kind === 'full-prepared') {
    out.push(
      finding(
        C.IncrementalBasePrepared,
        'error',
        'the full backup was fully prepared, so incrementals can no longer be applied to it',
        'Upload the unprepared full backup (or prepare with --apply-log-only), or upload a single prepared backup without incrementals.',
        base.location,
      ),
    );
  } else if (kind === 'full-prepared' || kind === 'log-applied') {
    out.push(
      finding(
        C.BackupPrepared,
        'warning',
        `backup_type is ${kind}: Aurora's documented procedure uploads unprepared (full-backuped) backups; prepared ones are not documented`,
        'Prefer uploading the raw output of xtrabackup --backup.',
        base.location,
      ),
    );
  }
  let lsn = base.checkpoints.toLsn;
  for (const inc of incrementals) {
    if (inc.checkpoints.fromLsn !== lsn) {
      out.push(
        finding(
          C.IncrementalChainBroken,
          'error',
          `incremental starts at LSN ${inc.checkpoints.fromLsn} but the previous backup ends at LSN ${lsn}: the chain has a gap or a fork`,
          'Upload every incremental between the full backup and this one, and no backup of another chain.',
          inc.location,
        ),
      );
      break;
    }
    lsn = inc.checkpoints.toLsn;
  }
  return { findings: out, ordered: [base, ...incrementals] };
}
