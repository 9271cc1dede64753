/**
 * The restore throughput this deployment has seen: completed restores (backup bytes, wall-clock time) fitted
 * to `time = fixed + bytes / rate`. AWS publishes no rate for S3 imports ("several hours per TiB" is the nearest
 * statement, see polling-and-scale-facts.md §Q3), so until samples exist a stated default is used.
 *
 * Samples come from two places: restores this worker saw finish, and the `restoreSample` memo every completed
 * migration carries, read from Temporal's visibility store (so all workers and restarts share what was learned).
 */

/** A fitted or default model. */
export interface RestoreModel {
  fixedMs: number;
  bytesPerSecond: number;
  /** How many completed restores it was fitted to (0: the defaults). */
  samples: number;
}

/** One completed restore. */
export interface RestoreSample {
  bytes: number;
  ms: number;
  /** The migration's workflow ID: a restore seen both locally and in visibility counts once. */
  id?: string;
}

/** The defaults: 100 MiB/s (about 3 h per TiB, AWS's "several hours per TiB") plus 10 minutes of set-up. */
export const DEFAULT_RESTORE_MODEL: RestoreModel = {
  fixedMs: 10 * 60_000,
  bytesPerSecond: 100 * 1024 * 1024,
  samples: 0,
};

const MAX_SAMPLES = 200;

/** Fits `ms = fixed + bytes / rate` to the samples; the defaults' shape when they cannot determine both. */
export function fitRestoreModel(samples: readonly RestoreSample[], defaults: RestoreModel): RestoreModel {
  const usable = samples.filter((s) => s.bytes > 0 && s.ms > 0);
  if (usable.length === 0) return defaults;
  const n = usable.length;
  const meanX = usable.reduce((a, s) => a + s.bytes, 0) / n;
  const meanY = usable.reduce((a, s) => a + s.ms, 0) / n;
  const sxx = usable.reduce((a, s) => a + (s.bytes - meanX) ** 2, 0);
  const sxy = usable.reduce((a, s) => a + (s.bytes - meanX) * (s.ms - meanY), 0);
  const slope = sxx > 0 ? sxy / sxx : 0; // ms per byte
  const intercept = meanY - slope * meanX;
  if (slope > 0 && intercept >= 0) return { fixedMs: intercept, bytesPerSecond: 1000 / slope, samples: n };
  // One size only (or a fit that makes no physical sense): keep the default split between the fixed part and
  // the rate, scaled so that the model passes through the samples' mean.
  const defaultMs = defaults.fixedMs + (meanX / defaults.bytesPerSecond) * 1000;
  const ratio = meanY / defaultMs;
  return { fixedMs: defaults.fixedMs * ratio, bytesPerSecond: defaults.bytesPerSecond / ratio, samples: n };
}

/** Reads samples deployment-wide (Temporal visibility); may throw, the caller keeps its local samples then. */
export type SampleSource = () => Promise<RestoreSample[]>;

/** The worker's model: local samples plus the deployment's, refreshed at most every `refreshMs`. */
export class RestoreThroughput {
  private local: RestoreSample[] = [];
  private shared: RestoreSample[] = [];
  private fetchedAt = -Infinity;
  private fetching?: Promise<void>;

  constructor(
    private readonly defaults: RestoreModel = DEFAULT_RESTORE_MODEL,
    private readonly source?: SampleSource,
    private readonly refreshMs = 10 * 60_000,
    private readonly warn: (message: string) => void = (m) => console.warn(m),
  ) {}

  /** Records a restore this worker saw complete. */
  record(sample: RestoreSample): void {
    this.local.push(sample);
    if (this.local.length > MAX_SAMPLES) this.local.shift();
  }

  /** The current model (refreshing the deployment's samples first when they are stale). */
  async model(nowMs = Date.now()): Promise<RestoreModel> {
    if (this.source && nowMs - this.fetchedAt >= this.refreshMs) {
      this.fetchedAt = nowMs;
      this.fetching ??= this.source()
        .then((samples) => void (this.shared = samples.slice(0, MAX_SAMPLES)))
        .catch((err: unknown) => this.warn(`restore throughput: could not read completed migrations: ${String(err)}`))
        .finally(() => (this.fetching = undefined));
    }
    await this.fetching;
    const seen = new Set(this.shared.map((s) => s.id).filter((id) => id !== undefined));
    const local = this.local.filter((s) => s.id === undefined || !seen.has(s.id));
    return fitRestoreModel([...this.shared, ...local], this.defaults);
  }
}
