/**
 * Benchmark 1's restores, whose duration follows the backup's size as on RDS: one backup per restore, sized so
 * that the emulator's fixed part (creating + the start of migrating) plus size ÷ throughput is the planned
 * simulated duration. Every strategy restores the same backup, so they all wait equally long; ours read
 * PercentProgress, or not (`size` mode: the emulator leaves it out of that cluster, as RDS may during an import).
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { uploadBackup } from '../../scripts/fixtures';
import { awaitOurs, startOurs } from '../strategies/ours';
import type { PeerStrategy } from '../strategies/types';
import type { BenchStack } from './bench-stack';
import { createWriterDirectly, restoreDirectly, type BackupLocation, type BenchPolling } from './migration-spec';
import type { WatchedRestore } from './restore-set';
import { realMs, sleepMs, type TimeScale } from './settings';

const MiB = 1024 * 1024;

/** The emulator's throughput and fixed part for these restores. */
export interface SizeModel {
  /** Real MiB per second. */
  mibPerSecond: number;
  /** Simulated seconds of `creating`, and of `migrating` before the size part. */
  creatingSeconds: number;
  migratingFixedSeconds: number;
}

/** Our modes in this benchmark: PercentProgress reported, not reported, reported plus early-wake events. */
export const SIZED_MODES = ['pct', 'size', 'on'] as const;

/** One way of running our workflow on a restore: whether RDS reports PercentProgress, and our cadence. */
export interface OurSizedMode {
  key: string;
  percentProgress: boolean;
  /** Simulated seconds; the spec's defaults (1 min and 15 min) when absent. */
  polling?: BenchPolling;
}

/** The default modes, on the spec's default cadence. */
export const DEFAULT_SIZED_MODES: readonly OurSizedMode[] = SIZED_MODES.map((key) => ({
  key,
  percentProgress: key !== 'size',
}));

/** Puts a backup sized for `durationSeconds` under its own prefix; returns where and its exact byte count. */
export async function sizedBackup(
  stack: BenchStack,
  scale: TimeScale,
  model: SizeModel,
  name: string,
  durationSeconds: number,
): Promise<BackupLocation & { bytes: number }> {
  const sizeSeconds = Math.max(0, durationSeconds - model.creatingSeconds - model.migratingFixedSeconds);
  const dataBytes = Math.max(65536, Math.round((realMs(scale, sizeSeconds) / 1000) * model.mibPerSecond * MiB));
  const location = { bucket: 'bench-sized', prefix: `${name}/` };
  await uploadBackup(stack.s3, location.bucket, location.prefix, {
    version: '8.0',
    layout: 'directory',
    dataBytes: Math.ceil(dataBytes / 16384) * 16384,
  });
  let bytes = 0;
  let token: string | undefined;
  do {
    const page = await stack.s3.send(
      new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) bytes += o.Size ?? 0;
    token = page.NextContinuationToken;
  } while (token);
  return { ...location, bytes };
}

/** Real ms from the restore call to `available` for a backup of `bytes` (what the emulator computes). */
export function restoreRealMs(scale: TimeScale, model: SizeModel, bytes: number): number {
  const fixed =
    Math.round(realMs(scale, model.creatingSeconds)) + Math.round(realMs(scale, model.migratingFixedSeconds));
  return fixed + Math.round((bytes / MiB / model.mibPerSecond) * 1000);
}

/** What to launch. */
export interface SizedPlan {
  idPrefix: string;
  taskQueue: string;
  scale: TimeScale;
  model: SizeModel;
  durations: number[];
  peers: PeerStrategy[];
  peerMaxWait: (durationSeconds: number) => number;
  /** Called as each of our restores begins (its cluster exists). */
  onOurs?: (w: WatchedRestore) => void;
  /** Our modes. @default DEFAULT_SIZED_MODES */
  modes?: readonly OurSizedMode[];
}

/** Starts every restore of the plan (peers and each of our modes) and every watcher; the outcomes settle later. */
export async function launchSizedSet(stack: BenchStack, plan: SizedPlan): Promise<WatchedRestore[]> {
  const rds = stack.rdsClient();
  const { scale, model } = plan;
  const watched: WatchedRestore[] = [];
  const creatingMs = Math.round(realMs(scale, model.creatingSeconds));
  for (const [index, durationSeconds] of plan.durations.entries()) {
    const backup = await sizedBackup(stack, scale, model, `${plan.idPrefix}-${index}`, durationSeconds);
    const migratingMs = restoreRealMs(scale, model, backup.bytes) - creatingMs;
    const base = { index, durationSeconds, creatingMs, migratingMs };
    await stack.emulator.setTimings({ reportPercentProgress: 1 });
    for (const peer of plan.peers) {
      const clusterId = `${plan.idPrefix}-${peer.key}-${index}`;
      await restoreDirectly(rds, clusterId, backup);
      const outcome = peer
        .watch(rds, clusterId, scale, { maxWaitSeconds: plan.peerMaxWait(durationSeconds) })
        .then(async (o) => {
          if (o.result === 'available') await createWriterDirectly(rds, clusterId);
          return o;
        });
      watched.push({ ...base, strategy: peer.key, clusterId, outcome });
    }
    for (const mode of plan.modes ?? DEFAULT_SIZED_MODES) {
      // The emulator decides at the restore call whether the cluster reports PercentProgress.
      await stack.emulator.setTimings({ reportPercentProgress: mode.percentProgress ? 1 : 0 });
      const clusterId = `${plan.idPrefix}-${mode.key}-${index}`;
      const workflowId = await startOurs(stack, plan.taskQueue, clusterId, scale, mode.polling ?? {}, backup);
      const w = { ...base, strategy: mode.key, clusterId, workflowId, outcome: awaitOurs(stack, workflowId) };
      watched.push(w);
      await waitForCluster(stack, clusterId);
      plan.onOurs?.(w);
    }
  }
  await stack.emulator.setTimings({ reportPercentProgress: 1 });
  return watched;
}

/** Resolves once the emulator has the cluster (our workflow validates before it restores). */
async function waitForCluster(stack: BenchStack, id: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await stack.emulator.clusters()).some((c) => c.id === id)) {
    if (Date.now() > deadline) throw new Error(`cluster ${id} was not restored within 2 minutes`);
    await sleepMs(20);
  }
}
