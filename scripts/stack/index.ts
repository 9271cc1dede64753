/**
 * The embedded stack the demo and the tests run on: a Temporal dev server, an S3 server, the RDS emulator and
 * moto (Secrets Manager, IAM, KMS), each a real server on 127.0.0.1, started together and stopped together.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';
import { seedSampleIngestionRole } from './ingestion-role';
import { startMotoServer, type MotoServer } from './moto-server';
import { startS3Server, type S3Server } from './s3-server';
import { startSourceMysql, type SourceMysql, type SourceMysqlOptions } from './source-mysql';
import { startTemporalDevServer, type TemporalDevServer } from './temporal-server';

/** Options of startStack. */
export interface StackOptions {
  repoRoot: string;
  /** Logs, buckets and (when persistent) the Temporal database and emulator state go here. */
  dataDir: string;
  /** Keep Temporal's database and the emulator's state across restarts. @default false */
  persistent?: boolean;
  /** Run Temporal without its Web UI. @default false */
  headless?: boolean;
  temporalPort?: number;
  uiPort?: number;
  /** Emulator lifecycle durations in ms. */
  emulatorTimings?: Record<string, number>;
  /** The emulator's account-wide API rate limit; RDS's defaults (burst 300, 12/s) when absent. */
  emulatorRateLimit?: { enabled?: boolean; burst?: number; ratePerSecond?: number };
  /** Also start a source MySQL (in `<dataDir>/source-mysql`) of this major version. @default none */
  sourceMysql?: Pick<SourceMysqlOptions, 'major' | 'port'>;
}

/** The running servers and how to stop them. */
export interface Stack {
  temporal: TemporalDevServer;
  s3: S3Server;
  emulator: EmulatorProcess;
  /** moto's server mode: Secrets Manager, IAM and KMS. */
  moto: MotoServer;
  /** The source MySQL, when `sourceMysql` was given. */
  sourceMysql?: SourceMysql;
  /** Every child PID, so a wrapper script can make sure none survive. */
  pids: number[];
  stop(): Promise<void>;
}

/** Starts S3, moto and Temporal side by side, then the emulator; on any failure stops what already started. */
export async function startStack(options: StackOptions): Promise<Stack> {
  mkdirSync(options.dataDir, { recursive: true });
  const started: { stop(): Promise<void> }[] = [];
  const pending: Promise<unknown>[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.allSettled(started.reverse().map((s) => s.stop()));
  };
  try {
    const s3Promise = startS3Server({ dataDir: options.dataDir, repoRoot: options.repoRoot }).then((s) => {
      started.push(s);
      return s;
    });
    const motoPromise = startMotoServer({ dataDir: options.dataDir, repoRoot: options.repoRoot }).then((m) => {
      started.push(m);
      return m;
    });
    const temporalPromise = startTemporalDevServer({
      dataDir: options.dataDir,
      persistent: options.persistent,
      headless: options.headless,
      port: options.temporalPort,
      uiPort: options.uiPort,
    }).then((t) => {
      started.push(t);
      return t;
    });
    pending.push(s3Promise, motoPromise, temporalPromise);
    const s3 = await s3Promise;
    const moto = await motoPromise;
    await seedSampleIngestionRole(moto);
    const emulator = await startEmulatorProcess({
      repoRoot: options.repoRoot,
      dataDir: options.dataDir,
      s3,
      timings: options.emulatorTimings,
      rateLimit: options.emulatorRateLimit,
      statePath: options.persistent ? join(options.dataDir, 'emulator-state.json') : undefined,
    });
    started.push(emulator);
    const sourceMysql = options.sourceMysql
      ? await startSourceMysql({ ...options.sourceMysql, dataDir: join(options.dataDir, 'source-mysql') })
      : undefined;
    if (sourceMysql) started.push(sourceMysql);
    const temporal = await temporalPromise;
    const pids = [temporal.pid, s3.pid, emulator.pid, moto.pid, ...(sourceMysql ? [sourceMysql.pid] : [])];
    return { temporal, s3, emulator, moto, sourceMysql, pids, stop: stopAll };
  } catch (err) {
    // A server still starting when another failed would otherwise register itself after stopAll and be left
    // running: wait for every start to settle first, then stop all that came up.
    await Promise.allSettled(pending);
    await stopAll();
    throw err;
  }
}
