/** The record of RDS calls the emulator served, for tests that assert on retries and faults. */
import type { FaultType } from './rules';

/** Entries kept in the log; older ones are dropped. */
const LOG_LIMIT = 5000;

/** One served call. */
export interface CallEntry {
  at: string;
  action: string;
  clusterId?: string;
  instanceId?: string;
  /** Every cluster a `db-cluster-id` filter named (a batched read). */
  clusterIds?: string[];
  /** Every instance a `db-instance-id` filter named. */
  instanceIds?: string[];
  /** The HTTP status sent, or 0 when the socket was destroyed without a response. */
  status: number;
  fault?: FaultType;
  /** Refused by the account's rate limit (`Throttling`) before anything was done. */
  throttled?: true;
}

/** The `GET /_emulator/calls` body. */
export interface CallsSnapshot {
  counts: Record<string, number>;
  faults: Record<string, number>;
  /** Calls the rate limit refused, of every action. */
  throttled: number;
  log: CallEntry[];
}

/** Counters per action and per fault type, and a bounded log. */
export class CallLog {
  private counts: Record<string, number> = {};
  private faults: Record<string, number> = {};
  private throttled = 0;
  private log: CallEntry[] = [];

  /** Records one call. */
  record(entry: CallEntry): void {
    this.counts[entry.action] = (this.counts[entry.action] ?? 0) + 1;
    if (entry.fault) this.faults[entry.fault] = (this.faults[entry.fault] ?? 0) + 1;
    if (entry.throttled) this.throttled += 1;
    this.log.push(entry);
    // Trim in batches so that recording stays O(1) amortised.
    if (this.log.length > LOG_LIMIT * 2) this.log = this.log.slice(-LOG_LIMIT);
  }

  /** Counters and the last {@link LOG_LIMIT} entries, optionally only those of one action. */
  snapshot(action?: string): CallsSnapshot {
    const recent = this.log.slice(-LOG_LIMIT);
    return {
      counts: { ...this.counts },
      faults: { ...this.faults },
      throttled: this.throttled,
      log: action ? recent.filter((e) => e.action === action) : recent,
    };
  }

  /** Forgets everything. */
  reset(): void {
    this.counts = {};
    this.faults = {};
    this.throttled = 0;
    this.log = [];
  }
}
