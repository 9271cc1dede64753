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
}

/** Remembers the last status reported for each (workflow, resource). */
export class StatusMemory {
  private readonly entries = new Map<string, ReportedStatus>();

  constructor(private readonly capacity = 20_000) {}

  /** True when `next` differs from what was last reported for this key; records it either way. */
  changed(key: string, next: ReportedStatus): boolean {
    const previous = this.entries.get(key);
    const isNew = previous?.status !== next.status || previous?.progressStep !== next.progressStep;
    this.entries.delete(key);
    this.entries.set(key, next);
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
