/**
 * One real mysqld as a child process: initialise a data directory (`--initialize-insecure`), start the server
 * on 127.0.0.1 with the flags that worked for both 5.7.22 and 8.0.15 (see the replication facts, §6), wait until
 * it accepts a connection, and stop it cleanly (SIGTERM is mysqld's clean shutdown).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import type { MysqldBinary } from './mysqld-binaries';

/** mysqld failed to initialise or start; the message quotes the end of its error log. */
export class MysqldStartError extends Error {
  override readonly name = 'MysqldStartError';
  constructor(
    readonly logFile: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`mysqld did not start: ${message} (log: ${logFile})\n${tail(logFile)}`, options);
  }
}

/** Options of startMysqld. */
export interface StartMysqldOptions {
  binary: MysqldBinary;
  datadir: string;
  port: number;
  /** Holds the socket, pid file and error log. */
  runDir: string;
  serverId: number;
  /** Turn on the binary log with this base name (e.g. `mysql-bin`). @default no binary log */
  logBin?: string;
  /** GTID mode ON with enforce_gtid_consistency. @default false */
  gtid?: boolean;
  /** Further `--name=value` flags. */
  extraArgs?: string[];
  /** @default 60000 */
  readyTimeoutMs?: number;
  /** Let the server outlive this process (own process group, not waited for). @default false */
  detached?: boolean;
}

/** A running mysqld. */
export interface MysqldServer {
  pid: number;
  host: '127.0.0.1';
  port: number;
  socket: string;
  datadir: string;
  errorLog: string;
  /** Clean shutdown (SIGTERM), SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<void>;
  /** Resolves when the process has exited, however. */
  exited: Promise<void>;
}

/** Creates a fresh data directory with a root@localhost that has no password. */
export async function initializeDatadir(binary: MysqldBinary, datadir: string, logFile: string): Promise<void> {
  const args = [
    '--no-defaults',
    '--initialize-insecure',
    `--basedir=${binary.basedir}`,
    `--datadir=${datadir}`,
    '--user=root',
    `--log-error=${logFile}`,
  ];
  const child = spawnMysqld(binary, args, logFile);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (c) => resolve(c));
  });
  if (code !== 0) throw new MysqldStartError(logFile, `--initialize-insecure exited with code ${code}`);
}

/** Starts mysqld on an existing data directory and waits until it accepts connections as root. */
export async function startMysqld(options: StartMysqldOptions): Promise<MysqldServer> {
  mkdirSync(options.runDir, { recursive: true });
  const socket = join(options.runDir, 'mysqld.sock');
  const errorLog = join(options.runDir, 'mysqld.err');
  const args = [
    '--no-defaults',
    `--basedir=${options.binary.basedir}`,
    `--datadir=${options.datadir}`,
    '--user=root',
    '--bind-address=127.0.0.1',
    `--port=${options.port}`,
    `--socket=${socket}`,
    `--pid-file=${join(options.runDir, 'mysqld.pid')}`,
    `--log-error=${errorLog}`,
    `--server-id=${options.serverId}`,
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M',
    '--performance-schema=OFF',
    ...(options.binary.major === '8.0'
      ? ['--mysqlx=OFF', '--default-authentication-plugin=mysql_native_password']
      : []),
    ...(options.logBin ? [`--log-bin=${options.logBin}`, '--binlog-format=ROW'] : ['--skip-log-bin']),
    ...(options.gtid ? ['--gtid-mode=ON', '--enforce-gtid-consistency=ON'] : []),
    ...(options.extraArgs ?? []),
  ];
  const child = spawnMysqld(options.binary, args, errorLog, options.detached);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const earlyExit = exited.then(() => {
    throw new MysqldStartError(errorLog, `exited early (code ${child.exitCode}, signal ${child.signalCode})`);
  });
  try {
    await Promise.race([waitUntilAccepting(options.port, options.readyTimeoutMs ?? 60_000, errorLog), earlyExit]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  earlyExit.catch(() => undefined);
  return {
    pid: child.pid!,
    host: '127.0.0.1',
    port: options.port,
    socket,
    datadir: options.datadir,
    errorLog,
    exited,
    stop: (graceMs = 30_000) => stopProcess(child, exited, graceMs),
  };
}

function spawnMysqld(binary: MysqldBinary, args: string[], logFile: string, detached = false): ChildProcess {
  const log = openSync(logFile, 'a');
  const child = spawn(binary.mysqld, args, {
    detached,
    env: {
      ...process.env,
      LD_LIBRARY_PATH: [binary.libraryPath, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  if (detached) child.unref();
  return child;
}

async function waitUntilAccepting(port: number, timeoutMs: number, errorLog: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2000 });
      await connection.end();
      return;
    } catch (err) {
      // An error the server sent (access denied, host not allowed) means it is accepting connections.
      if (
        typeof (err as { errno?: unknown }).errno === 'number' &&
        (err as { sqlState?: unknown }).sqlState !== undefined
      )
        return;
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new MysqldStartError(errorLog, `no connection after ${timeoutMs} ms`, { cause: last });
}

async function stopProcess(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

function tail(file: string): string {
  if (!existsSync(file)) return '';
  return readFileSync(file, 'utf8').split('\n').slice(-8).join('\n');
}
