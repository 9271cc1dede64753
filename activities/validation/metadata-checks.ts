/**
 * Pure checks of one backup's metadata files and file list: required files, partial/compact/compressed/encrypted
 * flags, prepared state, InnoDB settings in `backup-my.cnf`, encryption and external tablespaces (format §9).
 */
import type { ValidationFinding } from '../../workflows/types';
import {
  parseBackupMyCnf,
  parseBinlogInfo,
  parseCheckpoints,
  parseXtrabackupInfo,
  type XtrabackupInfo,
} from '../xtrabackup/metadata';
import type { BackupFacts, BackupUnderCheck, CheckContext } from './check-types';
import { finding, FindingCodes as C } from './findings';
import { checkFileNames } from './file-name-checks';
import { checkVersions } from './version-checks';

/** Checks one backup; returns its findings and the facts its metadata holds. */
export function checkBackupMetadata(
  b: BackupUnderCheck,
  ctx: CheckContext,
): { findings: ValidationFinding[]; facts: BackupFacts } {
  const out: ValidationFinding[] = [];
  const facts: BackupFacts = {};
  const at = (name: string): string => `${b.location}${name}`;
  const text = (name: string): string | undefined => b.files.get(name)?.toString('utf8');

  const mariadbFiles = [...b.files.keys(), ...b.paths].filter((p) => p.startsWith('mariadb_backup_'));
  if (mariadbFiles.length > 0) {
    out.push(
      finding(
        C.MariadbSource,
        'error',
        `MariaDB backup: it contains ${mariadbFiles[0]}`,
        'Migrate MariaDB logically (mysqldump/mydumper, AWS DMS).',
        at(mariadbFiles[0] ?? ''),
      ),
    );
  }

  const checkpointsText = text('xtrabackup_checkpoints');
  if (checkpointsText === undefined) {
    out.push(
      finding(
        C.CheckpointsMissing,
        'error',
        'xtrabackup_checkpoints is missing: the backup did not finish, was cut, or the prefix is wrong',
        'Point the prefix at the backup root and upload the complete output of xtrabackup --backup.',
        b.location,
      ),
    );
  } else {
    const parsed = parseCheckpoints(checkpointsText);
    if ('error' in parsed) {
      out.push(
        finding(
          C.CheckpointsInvalid,
          'error',
          `xtrabackup_checkpoints is not valid: ${parsed.error}`,
          'Upload the xtrabackup_checkpoints file XtraBackup wrote, unmodified.',
          at('xtrabackup_checkpoints'),
        ),
      );
    } else {
      facts.checkpoints = parsed;
    }
  }

  const infoText = text('xtrabackup_info');
  if (infoText === undefined) {
    out.push(
      finding(
        C.InfoMissing,
        'error',
        'xtrabackup_info is missing: the backup did not finish or was cut',
        'Upload the complete backup; xtrabackup_info is written last.',
        b.location,
      ),
    );
  } else {
    facts.info = parseXtrabackupInfo(infoText);
    out.push(
      ...checkVersions({
        serverVersion: facts.info.serverVersion,
        toolVersion: facts.info.toolVersion,
        toolName: facts.info.toolName,
        sourceEngineVersion: ctx.sourceEngineVersion,
        engineVersion: ctx.engineVersion,
        path: at('xtrabackup_info'),
      }),
    );
    out.push(...checkInfoFlags(facts.info, at('xtrabackup_info')));
  }
  if (facts.checkpoints?.compact && !facts.info?.compact) {
    out.push(compact(at('xtrabackup_checkpoints')));
  }

  const binlogText = text('xtrabackup_binlog_info');
  facts.binlog = (binlogText === undefined ? undefined : parseBinlogInfo(binlogText)) ?? facts.info?.binlog;

  const cnfText = text('backup-my.cnf');
  if (cnfText === undefined) {
    out.push(
      finding(
        C.BackupMyCnfMissing,
        'warning',
        'backup-my.cnf is missing: the InnoDB page size and data file layout cannot be checked',
        'Upload backup-my.cnf with the backup.',
        b.location,
      ),
    );
  } else {
    out.push(...checkMyCnf(parseBackupMyCnf(cnfText), at('backup-my.cnf')));
  }

  const tablespaces = text('xtrabackup_tablespaces');
  if (tablespaces !== undefined) out.push(...checkTablespaces(tablespaces, at('xtrabackup_tablespaces')));

  const major = facts.info?.serverVersion?.slice(0, 3);
  if (major === '8.0' && (ctx.format === 'tar' || ctx.format === 'tar.gz' || ctx.format === 'gzip')) {
    out.push(
      finding(
        C.TarStreamForMysql80,
        'error',
        'a MySQL 8.0 backup in a tar container: XtraBackup 8.0 cannot stream tar, so this was repacked and Aurora accepts only xbstream or files for 8.0',
        'Upload the backup directory, or stream it with --stream=xbstream to a .xbstream object.',
        b.location,
      ),
    );
  }
  out.push(...checkFileNames(b, facts));
  return { findings: out, facts };
}

function checkInfoFlags(info: XtrabackupInfo, path: string): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  if (info.partial) {
    out.push(
      finding(
        C.PartialBackup,
        'error',
        'partial backup (taken with --tables/--databases options): Aurora restores only complete backups',
        'Take a full backup without --tables*, --databases* options.',
        path,
      ),
    );
  }
  if (info.compressed) {
    out.push(
      finding(
        C.XtrabackupCompressed,
        'error',
        'the backup was taken with --compress: Aurora cannot read qpress/lz4/zstd files',
        'Decompress (xtrabackup --decompress, or xbstream -x --decompress) and upload the result, or back up without --compress.',
        path,
      ),
    );
  }
  if (info.encrypted) {
    out.push(
      finding(
        C.XtrabackupEncrypted,
        'error',
        'the backup was taken with --encrypt: Aurora has no way to receive the key',
        'Decrypt it (xtrabackup --decrypt) and upload the result, or use S3 server-side encryption (SSE-S3/SSE-KMS) instead.',
        path,
      ),
    );
  }
  if (info.compact) out.push(compact(path));
  return out;
}

function compact(path: string): ValidationFinding {
  return finding(
    C.CompactBackup,
    'error',
    'compact backup (--compact): secondary index pages are missing and must be rebuilt at prepare',
    'Take the backup without --compact.',
    path,
  );
}

function checkMyCnf(cnf: Map<string, string>, path: string): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const pageSize = cnf.get('innodb_page_size');
  if (pageSize !== undefined && !/^(16384|16k)$/i.test(pageSize)) {
    out.push(
      finding(
        C.PageSizeUnsupported,
        'error',
        `innodb_page_size is ${pageSize}; Aurora requires 16384`,
        'Rebuild the source with innodb_page_size=16384 (or migrate logically).',
        path,
      ),
    );
  }
  const dataFilePath = cnf.get('innodb_data_file_path');
  if (dataFilePath !== undefined && dataFilePath !== 'ibdata1:12M:autoextend') {
    out.push(
      finding(
        C.DataFilePathUnsupported,
        'error',
        `innodb_data_file_path is ${dataFilePath}; Aurora requires ibdata1:12M:autoextend`,
        'Migrate logically, or rebuild the source with the default innodb_data_file_path.',
        path,
      ),
    );
  }
  const logFiles = cnf.get('innodb_log_files_in_group');
  if (logFiles !== undefined && logFiles !== '2') {
    out.push(
      finding(
        C.LogFilesInGroupUnsupported,
        'error',
        `innodb_log_files_in_group is ${logFiles}; Aurora requires 2`,
        'Set innodb_log_files_in_group=2 on the source, restart it and take a new backup.',
        path,
      ),
    );
  }
  for (const key of ['innodb_redo_log_encrypt', 'innodb_undo_log_encrypt']) {
    const v = cnf.get(key);
    if (v !== undefined && /^(on|1|true|master_key|keyring_key)$/i.test(v)) {
      out.push(
        finding(
          C.SourceEncrypted,
          'error',
          `${key} is ${v}: the source encrypts its logs, and Aurora cannot restore an encrypted source`,
          'Turn off InnoDB redo/undo/tablespace encryption on the source and take a new backup.',
          path,
        ),
      );
    }
  }
  if (cnf.has('innodb_compression_level')) {
    out.push(
      finding(
        C.MariadbSource,
        'error',
        'backup-my.cnf has innodb_compression_level, which only MariaDB writes',
        'Migrate MariaDB logically (mysqldump/mydumper, AWS DMS).',
        path,
      ),
    );
  }
  return out;
}

function checkTablespaces(text: string, path: string): ValidationFinding[] {
  try {
    const parsed = JSON.parse(text) as { external_tablespaces?: { file_name?: string; tablespace_type?: string }[] };
    const external = (parsed.external_tablespaces ?? []).filter((t) => t.tablespace_type === 'TABLESPACE');
    if (external.length === 0) return [];
    const names = external.map((t) => t.file_name ?? '?').join(', ');
    return [
      finding(
        C.ExternalTablespace,
        'error',
        `tablespaces outside the data directory: ${names}`,
        'Move these tables into the data directory (ALTER TABLE … ENGINE=InnoDB without DATA DIRECTORY) and take a new backup.',
        path,
      ),
    ];
  } catch {
    return [];
  }
}
