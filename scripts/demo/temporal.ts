/**
 * The demo's Temporal dev server: persistent (`.data/temporal.db`), on the standard ports 7233/8233 so that the
 * `temporal` CLI finds it without flags, and reused when a previous demo left it running.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'node:net';
import { startTemporalDevServer } from '../stack/temporal-server';

/** The demo's Temporal server, started now or found running. */
export interface DemoTemporal {
  address: string;
  uiUrl: string;
  reused: boolean;
  stop(): Promise<void>;
}

interface PidFile {
  pid: number;
  address: string;
  uiUrl: string;
}

/** Reuses the demo server a previous run left up, or starts one (detached when it should outlive us). */
export async function ensureDemoTemporal(dataDir: string, { keep }: { keep: boolean }): Promise<DemoTemporal> {
  const pidPath = join(dataDir, 'temporal.pid');
  const running = readPidFile(pidPath);
  if (running && isAlive(running.pid) && (await answers(running.address))) {
    return {
      address: running.address,
      uiUrl: running.uiUrl,
      reused: true,
      stop: async () => void (await stopDemoTemporal(dataDir)),
    };
  }
  const port = Number(process.env.AURORA_MIGRATE_DEMO_TEMPORAL_PORT ?? 7233);
  const uiPort = Number(process.env.AURORA_MIGRATE_DEMO_UI_PORT ?? 8233);
  if (await answers(`127.0.0.1:${port}`)) {
    throw new Error(
      `port ${port} is taken by another process; set AURORA_MIGRATE_DEMO_TEMPORAL_PORT and AURORA_MIGRATE_DEMO_UI_PORT to free ports`,
    );
  }
  const server = await startTemporalDevServer({ dataDir, persistent: true, port, uiPort, detached: keep });
  const uiUrl = server.uiUrl ?? `http://127.0.0.1:${uiPort}`;
  writeFileSync(pidPath, JSON.stringify({ pid: server.pid, address: server.address, uiUrl } satisfies PidFile));
  return {
    address: server.address,
    uiUrl,
    reused: false,
    stop: async () => {
      await server.stop();
      rmSync(pidPath, { force: true });
    },
  };
}

/** Stops a demo server left running; true when there was one. */
export async function stopDemoTemporal(dataDir: string): Promise<boolean> {
  const pidPath = join(dataDir, 'temporal.pid');
  const running = readPidFile(pidPath);
  rmSync(pidPath, { force: true });
  if (!running || !isAlive(running.pid)) return false;
  process.kill(running.pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(running.pid); i += 1) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(running.pid)) process.kill(running.pid, 'SIGKILL');
  return true;
}

function readPidFile(path: string): PidFile | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as PidFile;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function answers(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = createConnection({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
