/**
 * Pure checks on a backup's file names: XtraBackup compression/encryption suffixes, required files, encryption
 * keys, link files, MyISAM tables, MariaDB's redo-log naming.
 */
import type { ValidationFinding } from '../../workflows/types';
import { finding, FindingCodes as C } from './findings';
import type { BackupFacts, BackupUnderCheck } from './check-types';

const SYSTEM_SCHEMAS = new Set(['mysql', 'sys', 'performance_schema', 'information_schema']);

/** Checks the names of a backup's files (all of them when `pathsComplete`, else those seen). */
export function checkFileNames(b: BackupUnderCheck, facts: BackupFacts): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const at = (name: string): string => `${b.location}${name}`;
  const compressed = b.paths.filter((p) => /\.(qp|lz4|zst)(\.xbcrypt)?$/.test(p));
  if (compressed.length > 0 && !facts.info?.compressed) {
    out.push(
      finding(
        C.XtrabackupCompressed,
        'error',
        `${compressed.length} file(s) compressed by XtraBackup, e.g. ${compressed[0]}: Aurora cannot read them`,
        'Decompress (xtrabackup --decompress) and upload the result, or back up without --compress.',
        at(compressed[0] ?? ''),
      ),
    );
  }
  const encrypted = b.paths.filter((p) => p.endsWith('.xbcrypt'));
  if (encrypted.length > 0 && !facts.info?.encrypted) {
    out.push(
      finding(
        C.XtrabackupEncrypted,
        'error',
        `${encrypted.length} file(s) encrypted by XtraBackup, e.g. ${encrypted[0]}`,
        'Decrypt (xtrabackup --decrypt) and upload the result; use SSE-S3/SSE-KMS for encryption at rest.',
        at(encrypted[0] ?? ''),
      ),
    );
  }
  const keys = b.paths.filter((p) => p === 'xtrabackup_keys' || p.startsWith('xtrabackup_component_keyring'));
  if (keys.length > 0) {
    out.push(
      finding(
        C.SourceEncrypted,
        'error',
        `${keys[0]} is present: the source uses InnoDB tablespace encryption (keyring)`,
        "Decrypt the tablespaces on the source (ALTER TABLE … ENCRYPTION='N') and take a new backup.",
        at(keys[0] ?? ''),
      ),
    );
  }
  const links = b.paths.filter((p) => p.endsWith('.isl'));
  if (links.length > 0) {
    out.push(
      finding(
        C.ExternalTablespace,
        'error',
        `${links.length} table(s) stored outside the data directory, e.g. ${links[0]}`,
        'Move them into the data directory and take a new backup.',
        at(links[0] ?? ''),
      ),
    );
  }
  const myisam = b.paths.filter((p) => p.endsWith('.MYD') && !SYSTEM_SCHEMAS.has(p.split('/')[0] ?? ''));
  if (myisam.length > 0) {
    out.push(
      finding(
        C.MyisamTables,
        'warning',
        `${myisam.length} MyISAM table(s), e.g. ${myisam[0]}: Aurora converts them to InnoDB during the restore, which takes space and time and can fail`,
        'Convert them to InnoDB on the source (ALTER TABLE … ENGINE=InnoDB) before the backup.',
        at(myisam[0] ?? ''),
      ),
    );
  }
  if (b.pathsComplete) out.push(...checkRequiredFiles(b, facts));
  return out;
}

function checkRequiredFiles(b: BackupUnderCheck, facts: BackupFacts): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const has = (p: string): boolean => b.paths.includes(p);
  const incremental = facts.checkpoints?.backupType === 'incremental';
  const prepared = facts.checkpoints?.backupType === 'full-prepared' || facts.checkpoints?.backupType === 'log-applied';
  const hasLogfile = b.paths.some((p) => p === 'xtrabackup_logfile' || p.startsWith('xtrabackup_logfile.'));
  if (!hasLogfile && !prepared) {
    if (has('ib_logfile0')) {
      out.push(
        finding(
          C.MariadbSource,
          'error',
          'the redo log is stored as ib_logfile0 without xtrabackup_logfile: a mariabackup backup',
          'Migrate MariaDB logically (mysqldump/mydumper, AWS DMS).',
          b.location,
        ),
      );
    } else {
      out.push(
        finding(
          C.LogfileMissing,
          'error',
          'xtrabackup_logfile is missing: the redo log copied during the backup is needed to make it consistent',
          'Upload the complete backup directory.',
          b.location,
        ),
      );
    }
  }
  const ibdata = incremental
    ? b.paths.some((p) => p.startsWith('ibdata1'))
    : b.paths.some((p) => p === 'ibdata1' || p.startsWith('ibdata1.'));
  if (!ibdata) {
    out.push(
      finding(
        C.IbdataMissing,
        'error',
        'ibdata1 (the InnoDB system tablespace) is missing',
        'Upload the complete backup directory.',
        b.location,
      ),
    );
  }
  const mysqlSchema = b.paths.some((p) => p.startsWith('mysql/') || p === 'mysql.ibd' || p.startsWith('mysql.ibd.'));
  if (!mysqlSchema && !incremental) {
    out.push(
      finding(
        C.MysqlSchemaMissing,
        'error',
        'the mysql system schema (mysql/ or mysql.ibd) is missing: a partial or incomplete backup',
        'Take a full backup without --tables/--databases filters and upload all of it.',
        b.location,
      ),
    );
  }
  return out;
}
