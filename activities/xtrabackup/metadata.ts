/**
 * Pure parsers for XtraBackup's text metadata files (`xtrabackup_checkpoints`, `xtrabackup_info`,
 * `backup-my.cnf`, `xtrabackup_binlog_info`). Lenient on whitespace, strict on the mandatory keys; LSNs are BigInt.
 */
import type { BinlogCoordinates } from '../../workflows/types';

/** Parses `key = value` lines; later keys win, unknown keys are kept, other lines ignored. */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z0-9_-]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (m?.[1] !== undefined) out.set(m[1], m[2] ?? '');
  }
  return out;
}

/** The contents of `xtrabackup_checkpoints`. */
export interface Checkpoints {
  backupType: string;
  fromLsn: bigint;
  toLsn: bigint;
  lastLsn?: bigint;
  compact: boolean;
}

/** The four `backup_type` values XtraBackup writes. */
export const BackupTypes = ['full-backuped', 'incremental', 'log-applied', 'full-prepared'] as const;

/** Parses `xtrabackup_checkpoints`, or returns the reason it is not usable. */
export function parseCheckpoints(text: string): Checkpoints | { error: string } {
  const kv = parseKeyValues(text);
  const backupType = kv.get('backup_type');
  if (backupType === undefined || !(BackupTypes as readonly string[]).includes(backupType)) {
    return { error: `backup_type is ${backupType === undefined ? 'missing' : `'${backupType}'`}` };
  }
  const fromLsn = parseLsn(kv.get('from_lsn'));
  const toLsn = parseLsn(kv.get('to_lsn'));
  if (fromLsn === undefined || toLsn === undefined) return { error: 'from_lsn or to_lsn is missing or not a number' };
  const lastLsn = parseLsn(kv.get('last_lsn'));
  return {
    backupType,
    fromLsn,
    toLsn,
    ...(lastLsn === undefined ? {} : { lastLsn }),
    compact: kv.get('compact') === '1',
  };
}

function parseLsn(value: string | undefined): bigint | undefined {
  return value !== undefined && /^\d+$/.test(value) ? BigInt(value) : undefined;
}

/** The fields of `xtrabackup_info` the validator uses. */
export interface XtrabackupInfo {
  toolName?: string;
  toolVersion?: string;
  serverVersion?: string;
  partial?: boolean;
  incremental?: boolean;
  compressed?: boolean;
  encrypted?: boolean;
  compact?: boolean;
  format?: string;
  binlog?: BinlogCoordinates;
}

/** Parses `xtrabackup_info` (`compressed` is `compressed` or `N`; the other flags are `Y`/`N`). */
export function parseXtrabackupInfo(text: string): XtrabackupInfo {
  const kv = parseKeyValues(text);
  const yes = (key: string): boolean | undefined => {
    const v = kv.get(key);
    return v === undefined ? undefined : v === 'Y' || v === 'compressed';
  };
  const info: XtrabackupInfo = {};
  const set = <K extends keyof XtrabackupInfo>(key: K, value: XtrabackupInfo[K] | undefined): void => {
    if (value !== undefined && value !== '') info[key] = value;
  };
  set('toolName', kv.get('tool_name'));
  set('toolVersion', kv.get('tool_version') ?? kv.get('ibbackup_version'));
  set('serverVersion', kv.get('server_version'));
  set('partial', yes('partial'));
  set('incremental', yes('incremental'));
  set('compressed', yes('compressed'));
  set('encrypted', yes('encrypted'));
  set('compact', yes('compact'));
  set('format', kv.get('format'));
  set('binlog', parseBinlogPos(kv.get('binlog_pos') ?? ''));
  return info;
}

/** Parses `binlog_pos` of `xtrabackup_info`: `filename 'f', position 'n'[, GTID of the last change 'set']`. */
export function parseBinlogPos(text: string): BinlogCoordinates | undefined {
  const file = /filename '([^']*)'/.exec(text)?.[1];
  const position = /position '?(\d+)'?/.exec(text)?.[1];
  const gtid = /GTID of the last change '([^']*)'/.exec(text)?.[1];
  return coordinates(file, position, gtid);
}

/** Parses `xtrabackup_binlog_info`: `file<TAB>position[<TAB>gtid-set]` (GTID sets may span lines). */
export function parseBinlogInfo(text: string): BinlogCoordinates | undefined {
  const [file, position, ...rest] = text.trim().split('\t');
  return coordinates(file?.trim(), position?.trim(), rest.join('\t').replace(/\s+/g, ''));
}

function coordinates(file?: string, position?: string, gtidSet?: string): BinlogCoordinates | undefined {
  const out: BinlogCoordinates = {};
  if (file) out.file = file;
  if (position !== undefined && /^\d+$/.test(position)) out.position = Number(position);
  if (gtidSet) out.gtidSet = gtidSet;
  return Object.keys(out).length === 0 ? undefined : out;
}

/** Parses the `[mysqld]` section of `backup-my.cnf` (keys normalised to underscores). */
export function parseBackupMyCnf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header?.[1] !== undefined) {
      section = header[1].trim().toLowerCase();
      continue;
    }
    if (section !== 'mysqld') continue;
    const eq = line.indexOf('=');
    const key = (eq < 0 ? line : line.slice(0, eq)).trim().replace(/-/g, '_');
    out.set(key, eq < 0 ? '' : line.slice(eq + 1).trim());
  }
  return out;
}
