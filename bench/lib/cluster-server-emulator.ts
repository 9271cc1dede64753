/**
 * A second RDS emulator process for the restore benchmark, one that serves restored clusters from real mysqlds
 * (the run's shared emulator simulates its clusters: the fleet benchmark's thousand restores must not each start
 * a mysqld). It uses the run's S3 server and moto, and its lifecycle phases last 0 ms, so a cluster is
 * `available` exactly when its mysqld is up: what is timed is the emulator's real work, not a configured delay.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RDSClient } from '@aws-sdk/client-rds';
import { EmulatorControl } from '../../emulator/control-client';
import { startEmulatorProcess, type EmulatorProcess } from '../../scripts/stack/emulator-process';
import type { BenchStack } from './bench-stack';

/** The running emulator, its clients and where its cluster volumes live. */
export interface ClusterServerEmulator {
  process: EmulatorProcess;
  /** The emulator's `--data-dir` (absolute): volumes under `c/<hash>/volume`, run folders beside them. */
  volumesDir: string;
  control: EmulatorControl;
  /** The real AWS SDK RDS client on it. */
  rds: RDSClient;
  stop(): Promise<void>;
}

/** Starts the emulator in `<run data>/restore-bench/` (its log: `emulator.log` there). */
export async function startClusterServerEmulator(stack: BenchStack): Promise<ClusterServerEmulator> {
  const dataDir = join(stack.settings.dataDir, 'restore-bench');
  const volumesDir = join(dataDir, 'volumes');
  mkdirSync(volumesDir, { recursive: true });
  const { s3, moto } = stack.stack;
  const emulator = await startEmulatorProcess({
    repoRoot: stack.settings.repoRoot,
    dataDir,
    s3,
    timings: { clusterCreatingMs: 0, clusterMigratingMs: 0, restoreMiBPerSecond: 0 },
    rateLimit: { enabled: false },
    clusterServers: { dataDir: volumesDir, secrets: moto },
  });
  const rds = new RDSClient({
    endpoint: emulator.endpoint,
    region: s3.region,
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  return {
    process: emulator,
    volumesDir,
    control: new EmulatorControl(emulator.endpoint),
    rds,
    async stop() {
      rds.destroy();
      // SIGTERM: the emulator stops its mysqlds cleanly before it exits.
      await emulator.stop();
    },
  };
}
