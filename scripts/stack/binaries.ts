/**
 * Where the Go-built servers live: an explicit path (env var) wins, then one on PATH, then the per-user cache
 * that scripts/bootstrap.sh fills with `go install`.
 */
import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

type Env = Record<string, string | undefined>;

/** A server binary could not be found anywhere we look. */
export class MissingBinaryError extends Error {
  override readonly name = 'MissingBinaryError';
  constructor(
    readonly binary: string,
    readonly searched: string[],
  ) {
    super(`${binary} not found (looked in: ${searched.join(', ')}); run scripts/bootstrap.sh to build it`);
  }
}

/** The per-user cache directory (outside the repo) that holds the Go-built binaries. */
export function cacheDir(env: Env = process.env): string {
  return env.AURORA_MIGRATE_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'aurora-migrate');
}

/** The Temporal CLI: `$AURORA_MIGRATE_TEMPORAL_BIN`, else `temporal` on PATH, else the cache. */
export function temporalBinary(env: Env = process.env): string {
  return resolveBinary('temporal', env.AURORA_MIGRATE_TEMPORAL_BIN, env);
}

/** versitygw: `$AURORA_MIGRATE_VERSITYGW_BIN`, else on PATH, else the cache; undefined when none exists. */
export function versitygwBinary(env: Env = process.env): string | undefined {
  try {
    return resolveBinary('versitygw', env.AURORA_MIGRATE_VERSITYGW_BIN, env);
  } catch (err) {
    if (err instanceof MissingBinaryError) return undefined;
    throw err;
  }
}

/** moto's server from the project virtualenv that bootstrap creates when versitygw cannot be built. */
export function motoBinary(repoRoot: string): string | undefined {
  const path = join(repoRoot, '.venv', 'bin', 'moto_server');
  return isExecutable(path) ? path : undefined;
}

function resolveBinary(name: string, explicit: string | undefined, env: Env): string {
  const searched: string[] = [];
  if (explicit) {
    if (isExecutable(explicit)) return explicit;
    throw new MissingBinaryError(name, [`${explicit} (from the environment, not executable)`]);
  }
  for (const dir of (env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  searched.push('PATH');
  const cached = join(cacheDir(env), 'bin', name);
  if (isExecutable(cached)) return cached;
  searched.push(cached);
  throw new MissingBinaryError(name, searched);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
