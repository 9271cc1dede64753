/**
 * Pure checks of the source server version, the XtraBackup version and the target Aurora version against one
 * another (format §5.1 R1–R3, aws-restore-facts §2.1).
 */
import type { ValidationFinding } from '../../workflows/types';
import {
  parseAuroraEngineVersion,
  parseServerVersion,
  parseSourceEngineVersion,
  parseToolVersion,
} from '../xtrabackup/versions';
import { finding, FindingCodes as C } from './findings';

/** What the version checks need. */
export interface VersionCheckInput {
  serverVersion?: string;
  toolVersion?: string;
  toolName?: string;
  sourceEngineVersion: string;
  engineVersion?: string;
  /** The object the versions were read from. */
  path?: string;
}

/** Checks source, tool and target versions; returns findings (an unknown server version is an error). */
export function checkVersions(input: VersionCheckInput): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  const { path } = input;
  if (/^maria/i.test(input.toolName ?? '') || /mariadb/i.test(input.toolVersion ?? '')) {
    out.push(mariadb(`the backup was made by ${input.toolName ?? input.toolVersion ?? 'mariabackup'}`, path));
  }
  const server = input.serverVersion === undefined ? undefined : parseServerVersion(input.serverVersion);
  if (!server) {
    out.push(
      finding(
        C.ServerVersionUnknown,
        'error',
        `server_version is ${input.serverVersion === undefined ? 'missing' : `'${input.serverVersion}', which is not a MySQL version`}`,
        'Take the backup again with Percona XtraBackup, which records the source version in xtrabackup_info.',
        path,
      ),
    );
    return out;
  }
  if (server.flavor === 'mariadb') {
    if (!out.some((f) => f.code === C.MariadbSource)) out.push(mariadb(`server_version is ${server.raw}`, path));
    return out;
  }
  const [maj, min] = server.major.split('.').map(Number) as [number, number];
  if (maj > 8 || (maj === 8 && min > 0)) {
    out.push(
      finding(
        C.SourceVersionTooNew,
        'error',
        `the source is MySQL ${server.raw}; Aurora restores only 5.7 and 8.0 backups from S3`,
        'Restore from a MySQL 8.0 source, or migrate logically (mysqldump, DMS).',
        path,
      ),
    );
    return out;
  }
  if (maj < 5 || (maj === 5 && min < 7)) {
    out.push(
      finding(
        C.SourceVersionTooOld,
        'error',
        `the source is MySQL ${server.raw}; Aurora restores only 5.7 and 8.0 backups from S3`,
        'Upgrade the source to MySQL 5.7 or 8.0 and take a new backup.',
        path,
      ),
    );
    return out;
  }
  if (server.flavor === 'percona') {
    out.push(
      finding(
        C.PerconaServerSource,
        'warning',
        `the source is Percona Server ${server.raw}; AWS documents Percona Server as unsupported when it holds compression_dictionary tables`,
        'Check that the source has no compressed columns/compression dictionaries (mysql.compression_dictionary*); otherwise migrate logically.',
        path,
      ),
    );
  }
  const source = parseSourceEngineVersion(input.sourceEngineVersion);
  if (!source || source.major !== server.major) {
    out.push(
      finding(
        C.SourceEngineVersionMismatch,
        'error',
        `SourceEngineVersion is '${input.sourceEngineVersion}' but the backup is from MySQL ${server.raw}`,
        `Set SourceEngineVersion to ${server.major}.${server.minor}.`,
        path,
      ),
    );
  } else if (source.minor !== undefined && source.minor !== server.minor) {
    out.push(
      finding(
        C.SourceEngineMinorMismatch,
        'error',
        `SourceEngineVersion is '${input.sourceEngineVersion}' but the backup is from MySQL ${server.raw}`,
        `Set SourceEngineVersion to ${server.major}.${server.minor}.`,
        path,
      ),
    );
  }
  out.push(...checkTarget(input.engineVersion, server.major, server.minor, server.raw, path));
  out.push(...checkTool(input.toolVersion, server.major, server.minor, server.raw, path));
  return out;
}

function checkTarget(
  engineVersion: string | undefined,
  major: string,
  minor: number,
  raw: string,
  path?: string,
): ValidationFinding[] {
  if (engineVersion === undefined) return [];
  const target = parseAuroraEngineVersion(engineVersion);
  const wanted = major === '5.7' ? 'Aurora MySQL v2 (5.7.mysql_aurora.2.x)' : 'Aurora MySQL v3 (8.0.mysql_aurora.3.x)';
  if (target && target.major !== major) {
    return [
      finding(
        C.TargetEngineMajorMismatch,
        'error',
        `EngineVersion ${engineVersion} is MySQL ${target.major}-compatible but the backup is MySQL ${raw}`,
        `Restore into ${wanted}.`,
        path,
      ),
    ];
  }
  if (!target || target.minor === undefined) {
    return [
      finding(
        C.TargetEngineUnknown,
        'warning',
        `cannot tell which MySQL ${major} minor Aurora ${engineVersion} is compatible with`,
        `Check the Aurora release notes: its MySQL level must be ≥ ${major}.${minor}.`,
        path,
      ),
    ];
  }
  if (target.minor < minor) {
    return [
      finding(
        C.TargetEngineTooOld,
        'error',
        `Aurora ${engineVersion} is compatible with MySQL ${major}.${target.minor}, older than the source ${raw}; Aurora does not restore backwards`,
        `Choose an Aurora release compatible with MySQL ${major}.${minor} or later.`,
        path,
      ),
    ];
  }
  return [];
}

function checkTool(
  toolVersion: string | undefined,
  major: string,
  minor: number,
  raw: string,
  path?: string,
): ValidationFinding[] {
  const tool = toolVersion === undefined ? undefined : parseToolVersion(toolVersion);
  if (!tool) return [];
  const want = major === '5.7' ? '2.4' : '8.0';
  if (tool.major !== want) {
    return [
      finding(
        C.ToolVersionMismatch,
        'error',
        `XtraBackup ${toolVersion} was used on MySQL ${raw}; MySQL ${major} needs XtraBackup ${want}`,
        `Take the backup with Percona XtraBackup ${want}.`,
        path,
      ),
    ];
  }
  if (major === '8.0' && tool.minor < minor) {
    const severity = tool.minor >= 34 ? 'warning' : 'error';
    return [
      finding(
        C.ToolOlderThanServer,
        severity,
        `XtraBackup ${toolVersion} is older than the server ${raw}`,
        `Take the backup with Percona XtraBackup 8.0.${minor} or later.`,
        path,
      ),
    ];
  }
  return [];
}

function mariadb(why: string, path?: string): ValidationFinding {
  return finding(
    C.MariadbSource,
    'error',
    `MariaDB backup: ${why}; Aurora MySQL restores only MySQL backups`,
    'Migrate MariaDB logically (mysqldump/mydumper, AWS DMS).',
    path,
  );
}
