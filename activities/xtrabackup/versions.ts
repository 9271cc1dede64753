/**
 * Pure parsing of MySQL server, XtraBackup and Aurora MySQL version strings, and the table of Aurora releases'
 * MySQL-compatible levels (aws-restore-facts §2.1).
 */

/** A parsed `server_version`. */
export interface ServerVersion {
  raw: string;
  major: string;
  minor: number;
  flavor: 'mysql' | 'percona' | 'mariadb';
}

/** Parses `server_version` (`5.7.44-log`, `5.7.12-5`, `8.0.43-34`, `10.6.16-MariaDB-log`). */
export function parseServerVersion(raw: string): ServerVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(.*)$/.exec(raw.trim());
  if (!m) return undefined;
  const suffix = m[4] ?? '';
  const flavor = /mariadb/i.test(raw)
    ? 'mariadb'
    : /^-\d+(\.\d+)?(-log|-debug|-valgrind)*$/.test(suffix)
      ? 'percona'
      : 'mysql';
  return { raw, major: `${m[1]}.${m[2]}`, minor: Number(m[3]), flavor };
}

/** A parsed XtraBackup `tool_version` (`2.4.21`, `8.0.35-31`). */
export interface ToolVersion {
  major: string;
  minor: number;
}

/** Parses an XtraBackup `tool_version`. */
export function parseToolVersion(raw: string): ToolVersion | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(raw.trim());
  return m ? { major: `${m[1]}.${m[2]}`, minor: Number(m[3]) } : undefined;
}

/** A `SourceEngineVersion` such as `8.0.28` or `8.0`. */
export interface SourceEngineVersion {
  major: string;
  minor?: number;
}

/** Parses a `SourceEngineVersion`; the minor is optional. */
export function parseSourceEngineVersion(raw: string): SourceEngineVersion | undefined {
  const m = /^(\d+\.\d+)(?:\.(\d+))?$/.exec(raw.trim());
  if (!m?.[1]) return undefined;
  return m[2] === undefined ? { major: m[1] } : { major: m[1], minor: Number(m[2]) };
}

/**
 * MySQL minor each Aurora release line is compatible with. Sources: aws-restore-facts §2.1 and the Aurora release
 * notes; 2.07–2.11 (5.7.12) and 3.01–3.02 (8.0.23) from the same release notes, not re-verified here.
 */
export const auroraMysqlLevels: Readonly<Record<string, { major: string; minor: number }>> = {
  '2.07': { major: '5.7', minor: 12 },
  '2.08': { major: '5.7', minor: 12 },
  '2.09': { major: '5.7', minor: 12 },
  '2.10': { major: '5.7', minor: 12 },
  '2.11': { major: '5.7', minor: 12 },
  '2.12': { major: '5.7', minor: 44 },
  '3.01': { major: '8.0', minor: 23 },
  '3.02': { major: '8.0', minor: 23 },
  '3.03': { major: '8.0', minor: 26 },
  '3.04': { major: '8.0', minor: 28 },
  '3.05': { major: '8.0', minor: 32 },
  '3.06': { major: '8.0', minor: 34 },
  '3.07': { major: '8.0', minor: 36 },
  '3.08': { major: '8.0', minor: 39 },
  '3.09': { major: '8.0', minor: 40 },
  '3.10': { major: '8.0', minor: 42 },
  '3.11': { major: '8.0', minor: 43 },
  '3.12': { major: '8.0', minor: 44 },
};

/** What an Aurora `EngineVersion` tells about MySQL compatibility; `minor` is absent for unknown releases. */
export interface AuroraTarget {
  major: string;
  release?: string;
  minor?: number;
}

/** Parses an Aurora `EngineVersion` (`8.0.mysql_aurora.3.04.0`); undefined when it is not one. */
export function parseAuroraEngineVersion(raw: string): AuroraTarget | undefined {
  const m = /^(\d+\.\d+)\.mysql_aurora\.(\d+\.\d+)(?:\.\d+)*$/.exec(raw.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const level = auroraMysqlLevels[m[2]];
  return level && level.major === m[1]
    ? { major: m[1], release: m[2], minor: level.minor }
    : { major: m[1], release: m[2] };
}
