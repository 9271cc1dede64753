/**
 * Launches one set of restores, the same durations for every strategy: for each restore the emulator's cluster
 * timings are set, then each peer calls RestoreDBClusterFromS3 itself and starts its waiter, and our workflow is
 * started once per early-wake mode. Starts are serial so that each cluster gets its own timings.
 */
import { awaitOurs, startOurs } from '../strategies/ours';
import type { PeerStrategy, WatchOutcome } from '../strategies/types';
import type { BenchStack } from './bench-stack';
import { createWriterDirectly, restoreDirectly } from './migration-spec';
import { realMs, sleepMs, type TimeScale } from './settings';

/** Our two modes: early-wake events off and on. */
export const OUR_MODES = ['off', 'on'] as const;

/** One restore watched by one strategy. */
export interface WatchedRestore {
  index: number;
  /** Simulated restore duration (creating + migrating), seconds. */
  durationSeconds: number;
  /** `sdk`, `cli`, `tf`, `off` or `on`. */
  strategy: string;
  clusterId: string;
  workflowId?: string;
  /** Real ms of the emulator phases, for computing when the status flipped. */
  creatingMs: number;
  migratingMs: number;
  outcome: Promise<WatchOutcome>;
}

/** What to launch. */
export interface RestoreSetPlan {
  idPrefix: string;
  taskQueue: string;
  scale: TimeScale;
  durations: number[];
  peers: PeerStrategy[];
  /** Simulated seconds a peer may wait (SDK maxWaitTime, Terraform create timeout), per restore duration. */
  peerMaxWait: (durationSeconds: number) => number;
  /** Peers call CreateDBInstance once they see `available` (the "next step"). */
  peersCreateWriter: boolean;
}

/** Cluster ID of one restore and strategy. */
export function clusterIdOf(prefix: string, strategy: string, index: number): string {
  return `${prefix}-${strategy}-${index}`;
}

/** Starts every restore of the plan and every watcher; the outcomes settle later. */
export async function launchRestoreSet(stack: BenchStack, plan: RestoreSetPlan): Promise<WatchedRestore[]> {
  const rds = stack.rdsClient();
  const watched: WatchedRestore[] = [];
  for (const [index, durationSeconds] of plan.durations.entries()) {
    const creatingSeconds = Math.min(120, durationSeconds / 10);
    const creatingMs = Math.round(realMs(plan.scale, creatingSeconds));
    const migratingMs = Math.round(realMs(plan.scale, durationSeconds - creatingSeconds));
    await stack.emulator.setTimings({ clusterCreatingMs: creatingMs, clusterMigratingMs: migratingMs });
    const base = { index, durationSeconds, creatingMs, migratingMs };
    for (const peer of plan.peers) {
      const clusterId = clusterIdOf(plan.idPrefix, peer.key, index);
      await restoreDirectly(rds, clusterId, stack.backup);
      const outcome = peer
        .watch(rds, clusterId, plan.scale, { maxWaitSeconds: plan.peerMaxWait(durationSeconds) })
        .then(async (o) => {
          if (o.result === 'available' && plan.peersCreateWriter) await createWriterDirectly(rds, clusterId);
          return o;
        });
      watched.push({ ...base, strategy: peer.key, clusterId, outcome });
    }
    const ours: string[] = [];
    for (const mode of OUR_MODES) {
      const clusterId = clusterIdOf(plan.idPrefix, mode, index);
      const workflowId = await startOurs(stack, plan.taskQueue, clusterId, plan.scale);
      watched.push({ ...base, strategy: mode, clusterId, workflowId, outcome: awaitOurs(stack, workflowId) });
      ours.push(clusterId);
    }
    await waitForClusters(stack, ours);
  }
  return watched;
}

/** Resolves once the emulator has all the clusters (our workflows validate before they restore). */
async function waitForClusters(stack: BenchStack, ids: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const existing = new Set((await stack.emulator.clusters()).map((c) => c.id));
    if (ids.every((id) => existing.has(id))) return;
    if (Date.now() > deadline) throw new Error(`clusters ${ids.join(', ')} were not restored within 2 minutes`);
    await sleepMs(20);
  }
}

/** Real epoch ms at which each cluster's status left `migrating` (from the emulator's createdAt). */
export async function flipTimes(stack: BenchStack, watched: WatchedRestore[]): Promise<Map<string, number>> {
  const created = new Map((await stack.emulator.clusters()).map((c) => [c.id, Date.parse(c.createdAt)]));
  const flips = new Map<string, number>();
  for (const w of watched) {
    const at = created.get(w.clusterId);
    if (at !== undefined) flips.set(w.clusterId, at + w.creatingMs + w.migratingMs);
  }
  return flips;
}
