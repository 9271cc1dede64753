/**
 * The demo's emulator state: each run shows one migration, so a run starts from no clusters. The previous run's
 * emulator stopped its clusters' mysqlds when it stopped; any it could not stop (it was killed) are killed here
 * by the PID in their run folder before their volumes and the state file are removed. Without this a persistent
 * emulator would start every earlier demo's cluster server again on each run.
 *
 * With `keep`, the emulator (which runs the cluster's mysqld) and moto (which holds its master secret) outlive the
 * demo; their PIDs go to `.data/aurora-side.pids` so that `npm run demo -- stop` and the next run stop them.
 */
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { killStale } from '../../emulator/cluster-server/processes';

/** Where the demo emulator keeps its state file and its clusters' volumes. */
export function demoEmulatorPaths(dataDir: string): { statePath: string; volumesDir: string } {
  return { statePath: join(dataDir, 'emulator-state.json'), volumesDir: join(dataDir, 'emulator-volumes') };
}

/** Removes the previous run's clusters: stale mysqlds (by PID), volumes and the state file. */
export async function clearDemoEmulatorState(dataDir: string): Promise<void> {
  const { statePath, volumesDir } = demoEmulatorPaths(dataDir);
  const clusters = join(volumesDir, 'c');
  if (existsSync(clusters)) {
    await Promise.all(readdirSync(clusters).map((name) => killStale(join(clusters, name, 'run'))));
  }
  rmSync(volumesDir, { recursive: true, force: true });
  rmSync(statePath, { force: true });
}

/** Records the PIDs of the emulator and moto left running (the emulator first: it stops its mysqlds). */
export function recordKeptAuroraSide(dataDir: string, pids: number[]): void {
  writeFileSync(join(dataDir, 'aurora-side.pids'), pids.join('\n') + '\n');
}

/**
 * Stops the emulator and moto a kept demo left running, by their PIDs, one after the other (SIGTERM: the emulator
 * stops its cluster mysqlds cleanly first); true when there were any.
 */
export async function stopKeptAuroraSide(dataDir: string): Promise<boolean> {
  const file = join(dataDir, 'aurora-side.pids');
  if (!existsSync(file)) return false;
  const pids = readFileSync(file, 'utf8')
    .split('\n')
    .map(Number)
    .filter((p) => Number.isInteger(p) && p > 0);
  rmSync(file, { force: true });
  let stopped = false;
  for (const pid of pids) {
    if (!alive(pid)) continue;
    stopped = true;
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 600 && alive(pid); i += 1) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  return stopped;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
