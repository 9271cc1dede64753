/**
 * A server run as a child process: its output goes to a log file, readiness is awaited by probing, and stop()
 * sends SIGTERM, then SIGKILL if it lingers, so nothing is left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname } from 'node:path';

/** A child server failed to start; the message quotes the end of its log. */
export class ServerStartError extends Error {
  override readonly name = 'ServerStartError';
  constructor(
    readonly server: string,
    readonly logFile: string,
    message: string,
  ) {
    super(`${server} did not start: ${message} (log: ${logFile})`);
  }
}

/** A running child server. */
export interface ChildServer {
  name: string;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

/** Options of spawnServer. */
export interface SpawnServerOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: Record<string, string | undefined>;
  /** Resolves once the server answers; rejects or times out otherwise. */
  ready: (child: ChildProcess) => Promise<void>;
  /** @default 60000 */
  readyTimeoutMs?: number;
  /**
   * Let the server outlive this process (the demo keeps Temporal and its Web UI up for browsing). Output goes
   * straight to the log file, never through a pipe of ours, so our exit cannot break it.
   */
  detached?: boolean;
}

/** Starts a child server and waits until it is ready. */
export async function spawnServer(options: SpawnServerOptions): Promise<ChildServer> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', log, log],
    detached: options.detached ?? false,
  });
  closeSync(log);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) =>
      reject(new ServerStartError(options.name, options.logFile, `exited early (code ${code}, signal ${signal})`)),
    );
    child.once('error', (err) => reject(new ServerStartError(options.name, options.logFile, err.message)));
  });
  const timeoutMs = options.readyTimeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new ServerStartError(options.name, options.logFile, `not ready after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    await Promise.race([options.ready(child), exited, timeout]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    clearTimeout(timer);
  }
  exited.catch(() => undefined);
  if (options.detached) child.unref();
  return { name: options.name, pid: child.pid!, logFile: options.logFile, stop: () => stopChild(child) };
}

/** SIGTERM, then SIGKILL after a grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await gone;
  clearTimeout(timer);
}

/** Resolves once a TCP connection to host:port succeeds, probing every 100 ms. */
export async function waitForPort(host: string, port: number, signal?: AbortSignal): Promise<void> {
  for (;;) {
    if (signal?.aborted) throw new Error('aborted');
    const open = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
