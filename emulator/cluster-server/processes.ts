/** Processes of cluster servers: finding and killing stale mysqlds. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Kills the mysqld whose pid file is in `runDir`, if it is still running, and waits for it to go. */
export async function killStale(runDir: string): Promise<void> {
  const pidFile = join(runDir, 'mysqld.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !isMysqld(pid)) return;
  console.error(`emulator: stopping mysqld ${pid} left running by an earlier emulator (${runDir})`);
  killQuietly(pid, 'SIGKILL');
  for (let i = 0; i < 50 && isMysqld(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
}

/** True when `pid` is a running mysqld (by its command line). */
export function isMysqld(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('mysqld');
  } catch {
    return false;
  }
}

/** Sends a signal to `pid`, ignoring a process that is already gone. */
export function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
