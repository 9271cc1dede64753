/**
 * The restore ETA and the polling it drives, against a real emulator whose restores last as long as their backup
 * is big (1 MiB per second plus a fixed part), with and without PercentProgress.
 */
import { renderStatus } from '../../client/cli/render';
import { getProgress, type MigrationStatus } from '../../client/progress';
import { EmulatorControl } from '../../emulator/control-client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import type { MigrationInput } from '../../workflows/types';
import {
  sampleSpec,
  startMigration,
  startTestWorker,
  uploadDirectoryBackup,
  type TestWorker,
} from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';

const MiB = 1024 * 1024;
/** The emulator's fixed part: 1 s creating + 2 s migrating before the size part. */
const FIXED_MS = 3000;
/**
 * The stated error: a prediction is within 20 % of the actual restore time or 3 s, whichever is larger (the
 * actual time includes up to one poll interval of detection, 1 s plus jitter, and the fixed part's own noise).
 */
function allowedErrorSeconds(actualSeconds: number): number {
  return Math.max(3, 0.2 * actualSeconds);
}

let emulator: RunningEmulator;
const workers: TestWorker[] = [];

beforeAll(async () => {
  emulator = await startEmulator({
    s3: testStack().s3,
    timings: {
      clusterCreatingMs: 1000,
      clusterMigratingMs: FIXED_MS - 1000,
      restoreMiBPerSecond: 1,
      instanceCreatingMs: 300,
      instanceConfiguringMs: 100,
      instanceBackingUpMs: 100,
    },
  });
});
afterAll(async () => {
  for (const w of workers) await w.stop();
  await emulator?.close();
});

async function worker(env: Record<string, string>): Promise<TestWorker> {
  const started = await startTestWorker({ emulatorEndpoint: emulator.endpoint, env });
  workers.push(started);
  return started;
}

async function specOfSize(mib: number, options: MigrationInput['options'] = {}): Promise<MigrationInput> {
  const backup = await uploadDirectoryBackup({ version: '5.7', dataBytes: mib * MiB });
  return sampleSpec({ ...backup, clusterId: uniqueName('eta'), options: { pollInterval: '1s', ...options } });
}

/** Runs a migration, sampling its progress query while it waits for the cluster. */
async function migrate(tw: TestWorker, spec: MigrationInput) {
  const handle = await startMigration(tw, spec);
  const seen: MigrationStatus[] = [];
  let done = false;
  const result = handle.result().finally(() => (done = true));
  while (!done) {
    const progress = await getProgress(tw.client, handle.workflowId).catch(() => undefined);
    if (progress?.step === 'waiting-for-cluster' && progress.eta) seen.push(progress);
    await new Promise((r) => setTimeout(r, 250));
  }
  return { result: await result, seen };
}

/** Gaps (ms) between the DescribeDBClusters calls that read `clusterId`. */
async function pollGaps(clusterId: string): Promise<number[]> {
  const { log } = await new EmulatorControl(emulator.endpoint).calls('DescribeDBClusters');
  const times = log.filter((c) => c.clusterId === clusterId).map((c) => Date.parse(c.at));
  return times.slice(1).map((t, i) => t - (times[i] ?? t));
}

describe('restore ETA without PercentProgress', () => {
  beforeAll(async () => {
    await new EmulatorControl(emulator.endpoint).setTimings({ reportPercentProgress: 0 });
  });

  test("learns the deployment's throughput from its completed restores and predicts a bigger one within the stated error", async () => {
    // The configured default is far off (10 MiB/s, no fixed part): only what is learned can be accurate.
    const env = { AURORA_MIGRATE_RESTORE_MIB_PER_SECOND: '10', AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '0' };
    const first = await worker(env);
    const small = await migrate(first, await specOfSize(2));
    expect(small.seen[0]?.eta?.basis).toBe('default-throughput');
    expect(small.result.restore?.firstEstimate?.basis).toBe('default-throughput');
    await migrate(first, await specOfSize(8));
    await first.stop();
    workers.splice(workers.indexOf(first), 1);

    // A fresh worker on the same task queue knows only what visibility holds: the two restores' memos.
    const second = await worker({ ...env, AURORA_MIGRATE_TASK_QUEUE: first.config.taskQueue });
    const spec = await specOfSize(14);
    const big = await migrate(second, spec);

    const timing = big.result.restore;
    expect(timing?.firstEstimate?.basis).toBe('learned-throughput');
    expect(big.seen.length).toBeGreaterThan(0);
    expect(big.seen[0]?.eta?.basis).toBe('learned-throughput');
    // watch/status print it, with its basis.
    // (Rendered as of 5 s before the predicted end, since the sample was taken a while ago.)
    const sample = big.seen[0];
    const shown = sample?.eta ? renderStatus(sample, Date.parse(sample.eta.expectedAt) - 5000) : [];
    expect(shown.join('\n')).toMatch(
      /^Restore {4}predicted to end at \S+ \(in 5s\), from the backup's size and this deployment's past restores$/m,
    );
    // 3 s fixed + 14 MiB at 1 MiB/s.
    expect(timing?.actualSeconds).toBeGreaterThanOrEqual(17);
    const error = Math.abs((timing?.lastEstimate?.expectedSeconds ?? 0) - (timing?.actualSeconds ?? 0));
    expect(error).toBeLessThanOrEqual(allowedErrorSeconds(timing?.actualSeconds ?? 0));
    expect(timing?.lastEstimateErrorSeconds).toBe(
      (timing?.lastEstimate?.expectedSeconds ?? 0) - (timing?.actualSeconds ?? 0),
    );

    // Sparse while the end is far, dense near it: the first gap is a third of the predicted 17 s (±15 %), and
    // the reads near the end come at the 1 s floor (plus up to 15 % jitter, the batcher's window and, on a
    // loaded machine, scheduling delay: hence the smallest of the last three, under 2.5 s).
    const gaps = await pollGaps(spec.restore.DBClusterIdentifier);
    expect(gaps.length).toBeGreaterThanOrEqual(4);
    // (Other DescribeDBClusters calls of the restore step, e.g. its read-back, may come just before the first poll.)
    const sparsest = Math.max(...gaps.slice(0, 3));
    expect(sparsest).toBeGreaterThan(3500);
    const densest = Math.min(...gaps.slice(-3));
    expect(densest).toBeLessThan(2500);
    expect(sparsest).toBeGreaterThan(2 * densest);
  });
});

describe('restore ETA with PercentProgress', () => {
  beforeAll(async () => {
    await new EmulatorControl(emulator.endpoint).setTimings({ reportPercentProgress: 1 });
  });

  test("predicts from RDS's PercentProgress, within the stated error, whatever the configured default says", async () => {
    // The default (600 s fixed) would predict ten minutes: PercentProgress must win. maxPollInterval bounds the
    // reads made while only that default is known (before the first usable percentage).
    const tw = await worker({ AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '600' });
    const spec = await specOfSize(12, { maxPollInterval: '3s' });
    const { result, seen } = await migrate(tw, spec);

    const timing = result.restore;
    expect(timing?.lastEstimate?.basis).toBe('percent-progress');
    expect(seen.some((p) => p.eta?.basis === 'percent-progress')).toBe(true);
    // 3 s fixed + 12 MiB at 1 MiB/s.
    expect(timing?.actualSeconds).toBeGreaterThanOrEqual(15);
    const error = Math.abs((timing?.lastEstimate?.expectedSeconds ?? 0) - (timing?.actualSeconds ?? 0));
    expect(error).toBeLessThanOrEqual(allowedErrorSeconds(timing?.actualSeconds ?? 0));
    // No read waited longer than the configured ceiling (3 s, plus the batcher's window and scheduling).
    const gaps = await pollGaps(spec.restore.DBClusterIdentifier);
    expect(Math.max(...gaps)).toBeLessThan(3600);
  });
});
