/** Lifecycle durations of emulated resources, and their validation for the CLI and the control endpoint. */

/** How long each lifecycle phase lasts, in milliseconds. */
export interface EmulatorTimings {
  /** Cluster `creating` phase. @default 3000 */
  clusterCreatingMs: number;
  /** Cluster `migrating` phase (PercentProgress rises 0→100). @default 5000 */
  clusterMigratingMs: number;
  /** Instance `creating` phase. @default 3000 */
  instanceCreatingMs: number;
  /** Instance `configuring-enhanced-monitoring` phase. @default 1000 */
  instanceConfiguringMs: number;
  /** Instance `backing-up` phase. @default 1000 */
  instanceBackingUpMs: number;
  /** `deleting` phase of clusters and instances, after which they are gone. @default 2000 */
  deletingMs: number;
  /**
   * Restore throughput in MiB per second: the `migrating` phase lasts `clusterMigratingMs` plus the backup's size
   * at this speed, so restores of bigger backups take longer, as on RDS. 0 leaves the size out. @default 0
   */
  restoreMiBPerSecond: number;
  /** 1: `migrating` clusters report a rising PercentProgress; 0: the field is left out (RDS may not fill it during an S3 import). @default 1 */
  reportPercentProgress: number;
}

/** The defaults: a few seconds per phase. */
export const DEFAULT_TIMINGS: Readonly<EmulatorTimings> = {
  clusterCreatingMs: 3000,
  clusterMigratingMs: 5000,
  instanceCreatingMs: 3000,
  instanceConfiguringMs: 1000,
  instanceBackingUpMs: 1000,
  deletingMs: 2000,
  restoreMiBPerSecond: 0,
  reportPercentProgress: 1,
};

/** Raised when a timings object is malformed; the message names the offending field. */
export class TimingsError extends Error {
  override readonly name = 'TimingsError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Validates a partial timings object (unknown keys and negative or non-finite numbers are rejected). */
export function parseTimings(value: unknown, label = 'timings'): Partial<EmulatorTimings> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TimingsError(`${label} must be a JSON object`, label);
  }
  const result: Partial<EmulatorTimings> = {};
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    if (!(key in DEFAULT_TIMINGS)) {
      throw new TimingsError(`${label}.${key} is not a known timing (${Object.keys(DEFAULT_TIMINGS).join(', ')})`, key);
    }
    if (key === 'reportPercentProgress') {
      if (raw !== 0 && raw !== 1) throw new TimingsError(`${label}.${key} must be 1 (report) or 0 (leave out)`, key);
    }
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0) {
      const unit = key === 'restoreMiBPerSecond' ? 'MiB per second (0: size ignored)' : 'milliseconds';
      throw new TimingsError(`${label}.${key} must be a non-negative number of ${unit}`, key);
    }
    result[key as keyof EmulatorTimings] = raw;
  }
  return result;
}
