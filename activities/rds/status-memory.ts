/**
 * What this worker last reported to each migration, per resource, so a status check signals the workflow only
 * when something changed. Heartbeat details do not reach the next attempt of a failed activity reliably, and
 * one signal per poll would grow history with the length of the restore. A worker remembers; a fleet of N
 * workers sends at most N signals per change. Bounded: the oldest entries go first.
 */

/** A status as reported to the workflow. */
export interface ReportedStatus {
  status: string;
  /** PercentProgress in steps of ten. */
  progressStep?: number;
  /** The predicted end last reported (epoch ms). */
  expectedAtMs?: number;
}

/** A new prediction is worth a signal when it moved by this share of the time that was left, or a minute. */
const ETA_MOVE_SHARE = 0.1;
const ETA_MOVE_MIN_MS = 60_000;

/** Remembers the last status reported for each (workflow, resource). */
export class StatusMemory {
  private readonly entries = new Map<string, ReportedStatus>();

  constructor(private readonly capacity = 20_000) {}

  /** True when `next` differs from what was last reported for this key; records it either way. */
  changed(key: string, next: ReportedStatus, nowMs = Date.now()): boolean {
    const previous = this.entries.get(key);
    const isNew =
      previous?.status !== next.status ||
      previous?.progressStep !== next.progressStep ||
      etaMoved(previous.expectedAtMs, next.expectedAtMs, nowMs);
    this.entries.delete(key);
    // A prediction that moved too little to report stays the reference, so small drifts add up to a report.
    this.entries.set(key, isNew ? next : { ...next, expectedAtMs: previous.expectedAtMs });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return isNew;
  }

  /** Forgets a resource whose wait ended. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}

function etaMoved(previous: number | undefined, next: number | undefined, nowMs: number): boolean {
  if (previous === undefined || next === undefined) return previous !== next;
  const threshold = Math.max(ETA_MOVE_MIN_MS, ETA_MOVE_SHARE * Math.max(0, previous - nowMs));
  return Math.abs(next - previous) > threshold;
}
