/**
 * Whether a laid-out volume can be started as a MySQL server, and with which InnoDB settings: what Aurora's
 * import does to a backup, decided from the backup's own metadata files, never assumed.
 *
 * A volume can be started when it holds the server's own redo log (`ib_logfile0`, or `#innodb_redo/` from 8.0.30):
 * a prepared backup (`xtrabackup --prepare` writes fresh redo logs) or a copy taken after a clean shutdown. A
 * backup straight from `xtrabackup --backup` holds only `xtrabackup_logfile`, which must be applied by XtraBackup,
 * which is not available here; such a cluster is metadata-only, and its event says so.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBackupMyCnf, parseCheckpoints, parseXtrabackupInfo } from '../../activities/xtrabackup/metadata';
import { mysqlMajorOf, type MysqlMajor } from '../mysql/mysqld-binaries';

/** A volume that can be started. */
export interface Bringable {
  ok: true;
  major: MysqlMajor;
  /** `--name=value` InnoDB flags the data files need (page size, system tablespace, redo log geometry). */
  innodbArgs: string[];
}

/** A volume that cannot be started, and why (shown in the RDS event and the emulator's log). */
export interface NotBringable {
  ok: false;
  reason: string;
}

/** backup-my.cnf keys passed on to mysqld, per major version (5.7 needs its undo tablespace count too). */
const CNF_KEYS: Record<MysqlMajor, string[]> = {
  '5.7': [
    'innodb_page_size',
    'innodb_data_file_path',
    'innodb_log_file_size',
    'innodb_log_files_in_group',
    'innodb_undo_tablespaces',
  ],
  '8.0': ['innodb_page_size', 'innodb_data_file_path', 'innodb_log_file_size', 'innodb_log_files_in_group'],
};

/** Decides from the files in `volumeDir`; `fallbackVersion` is the spec's SourceEngineVersion. */
export function planBringUp(volumeDir: string, fallbackVersion: string): Bringable | NotBringable {
  const read = (name: string): string | undefined => {
    const path = join(volumeDir, name);
    return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  };
  const checkpointsText = read('xtrabackup_checkpoints');
  if (checkpointsText === undefined) return { ok: false, reason: 'the backup has no xtrabackup_checkpoints' };
  const checkpoints = parseCheckpoints(checkpointsText);
  if ('error' in checkpoints) return { ok: false, reason: `xtrabackup_checkpoints is unusable: ${checkpoints.error}` };
  if (checkpoints.backupType === 'incremental') {
    return { ok: false, reason: 'the backup is incremental: it must be merged into its full backup and prepared' };
  }
  const hasOwnRedo = existsSync(join(volumeDir, 'ib_logfile0')) || existsSync(join(volumeDir, '#innodb_redo'));
  if (!hasOwnRedo) {
    return {
      ok: false,
      reason:
        `the backup is unprepared (no redo log of its own, no ib_logfile0 or #innodb_redo; backup_type ${checkpoints.backupType}): ` +
        'its redo must be applied with xtrabackup --prepare, and no XtraBackup is available to the emulator',
    };
  }
  const info = parseXtrabackupInfo(read('xtrabackup_info') ?? '');
  const version = info.serverVersion ?? fallbackVersion;
  const major = mysqlMajorOf(version);
  if (!major) return { ok: false, reason: `the backup's server version ${version} is neither MySQL 5.7 nor 8.0` };
  const cnf = parseBackupMyCnf(read('backup-my.cnf') ?? '');
  const innodbArgs = CNF_KEYS[major].flatMap((key) => {
    const value = cnf.get(key);
    return value ? [`--${key.replace(/_/g, '-')}=${value}`] : [];
  });
  return { ok: true, major, innodbArgs };
}
