/**
 * The demo's source MySQL 8.0: a fresh one per run in `.data/source-mysql`, its PID in `source-mysql.pid` so that
 * `npm run demo -- stop` (or the next run) stops it by that PID, and the admin password in a file only the user
 * can read (`.data/source-mysql/admin.password`), never printed.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSourceMysql, type SourceMysql } from '../stack/source-mysql';

/** Where the demo source keeps its datadir and password file. */
export function demoSourceDir(dataDir: string): string {
  return join(dataDir, 'source-mysql');
}

/** Path of the file holding the admin password. */
export function demoSourcePasswordFile(dataDir: string): string {
  return join(demoSourceDir(dataDir), 'admin.password');
}

/** Stops any source a previous demo left running, then starts a fresh one (detached when it should outlive us). */
export async function startDemoSource(dataDir: string, { keep }: { keep: boolean }): Promise<SourceMysql> {
  await stopDemoSource(dataDir);
  rmSync(demoSourceDir(dataDir), { recursive: true, force: true });
  const source = await startSourceMysql({ major: '8.0', dataDir: demoSourceDir(dataDir), detached: keep });
  writeFileSync(join(dataDir, 'source-mysql.pid'), String(source.pid));
  writeFileSync(demoSourcePasswordFile(dataDir), `${source.admin.password}\n`, { mode: 0o600 });
  return source;
}

/** Records the PID again (it changes when the backup writer restarts the source). */
export function recordDemoSourcePid(dataDir: string, source: SourceMysql): void {
  writeFileSync(join(dataDir, 'source-mysql.pid'), String(source.pid));
}

/** Stops a demo source left running (clean shutdown by SIGTERM to its PID); true when there was one. */
export async function stopDemoSource(dataDir: string): Promise<boolean> {
  const pidPath = join(dataDir, 'source-mysql.pid');
  if (!existsSync(pidPath)) return false;
  const pid = Number(readFileSync(pidPath, 'utf8').trim());
  rmSync(pidPath, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 300 && isAlive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  return true;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
