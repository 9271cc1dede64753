/**
 * ETA accuracy: at 25 %, 50 % and 75 % of each of our restores' planned duration, the `progress` query's ETA is
 * read; once the run is over, each is compared with the moment the cluster actually became available.
 */
import { getProgress } from '../../client/progress';
import type { RestoreEstimate } from '../../workflows/types';
import type { BenchStack } from './bench-stack';
import type { WatchedRestore } from './restore-set';

/** The fractions of the restore at which the ETA is read. */
export const PROBE_FRACTIONS = [0.25, 0.5, 0.75] as const;

/** One reading of the ETA. */
export interface EtaProbe {
  clusterId: string;
  strategy: string;
  fraction: number;
  /** The ETA's end (epoch ms, real), or undefined when progress had none. */
  expectedAtMs?: number;
  basis?: RestoreEstimate['basis'];
}

/** Schedules and collects the readings. */
export class EtaProbes {
  readonly probes: EtaProbe[] = [];
  private readonly pending: Promise<void>[] = [];
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly stack: BenchStack) {}

  /** Schedules the readings of `w`, whose restore started about now and lasts its planned real duration. */
  watch(w: WatchedRestore): void {
    if (!w.workflowId) return;
    const workflowId = w.workflowId;
    const total = w.creatingMs + w.migratingMs;
    for (const fraction of PROBE_FRACTIONS) {
      this.pending.push(
        new Promise<void>((resolve) => {
          this.timers.push(
            setTimeout(() => {
              getProgress(this.stack.client, workflowId, { queryTimeoutMs: 3000 })
                .then((p) => {
                  const eta = p.eta;
                  const expectedAtMs = eta ? Date.parse(eta.expectedAt) : undefined;
                  this.probes.push({
                    clusterId: w.clusterId,
                    strategy: w.strategy,
                    fraction,
                    expectedAtMs,
                    basis: eta?.basis,
                  });
                })
                .catch(() => this.probes.push({ clusterId: w.clusterId, strategy: w.strategy, fraction }))
                .finally(resolve);
            }, total * fraction),
          );
        }),
      );
    }
  }

  /** Waits for every reading scheduled so far. */
  async settled(): Promise<void> {
    await Promise.all(this.pending);
  }

  /** Drops readings not yet made. */
  cancel(): void {
    for (const t of this.timers) clearTimeout(t);
  }
}
