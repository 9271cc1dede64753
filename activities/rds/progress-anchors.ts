/**
 * The first usable PercentProgress a worker saw of each restore, so that the ETA can measure the rate between
 * two readings (restore-eta.ts). Per worker and in memory: a worker that did not see the first reading simply
 * anchors at its own first one, and one that has none yet predicts from the call's time.
 */
import { type ProgressAnchor, usablePercent } from './restore-eta';

/** A bounded map from restore (workflow ID and cluster) to its first usable reading. */
export class ProgressAnchors {
  private readonly entries = new Map<string, ProgressAnchor>();

  constructor(private readonly capacity = 20_000) {}

  /** The anchor of `key` before this reading (undefined if none); records this reading when it is the first. */
  note(key: string, percentProgress: string | undefined, nowMs: number): ProgressAnchor | undefined {
    const previous = this.entries.get(key);
    const percent = usablePercent(percentProgress);
    if (previous || percent === undefined || percent >= 100) return previous;
    this.entries.set(key, { atMs: nowMs, percent });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return undefined;
  }

  /** Drops a finished restore. */
  forget(key: string): void {
    this.entries.delete(key);
  }
}
