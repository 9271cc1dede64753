/**
 * Keeps every call the emulator serves during a benchmark. The emulator keeps only its last 5,000 log entries,
 * so the collector reads the log often and stitches the snapshots together: the sum of the per-action counters
 * is the sequence number of the newest entry, which places each snapshot's entries without duplicates.
 */
import type { EmulatorCall, EmulatorControl } from '../../emulator/control-client';

/** A growing, gap-checked copy of the emulator's call log. */
export class CallCollector {
  private readonly entries: EmulatorCall[] = [];
  private nextSeq = 1;
  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;
  /** Entries the emulator dropped before we read them (should stay 0). */
  lost = 0;

  constructor(private readonly control: EmulatorControl) {}

  /** Starts reading every `intervalMs` (call after the emulator's call log was reset). */
  start(intervalMs = 500): void {
    this.timer = setInterval(() => {
      // A failed read (the emulator busy or gone) is counted, never thrown: an unhandled rejection here used to
      // kill the whole benchmark run. Entries it missed show up in `lost` at the next read that succeeds.
      this.polling ??= this.poll()
        .catch((err: unknown) => {
          this.readErrors += 1;
          this.lastError = String(err);
        })
        .finally(() => (this.polling = undefined));
    }, intervalMs);
  }

  /** Reads of the call log that failed (network errors); the last one's message. */
  readErrors = 0;
  lastError?: string;

  /** Stops and takes one last snapshot (which may throw: the caller's section then fails, not the run). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.polling;
    await this.poll();
  }

  /** Reads one snapshot and appends what is new. */
  async poll(): Promise<void> {
    const { counts, log } = await this.control.calls();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const firstSeq = total - log.length + 1;
    if (firstSeq > this.nextSeq) this.lost += firstSeq - this.nextSeq;
    log.forEach((entry, i) => {
      if (firstSeq + i >= this.nextSeq) this.entries.push(entry);
    });
    this.nextSeq = Math.max(this.nextSeq, total + 1);
  }

  /** Calls of one action about one cluster, oldest first. */
  forCluster(clusterId: string, action: string): EmulatorCall[] {
    return this.entries.filter(
      (e) => (e.clusterId === clusterId || e.clusterIds?.includes(clusterId)) && e.action === action,
    );
  }

  /** Calls of one action, oldest first. */
  ofAction(action: string): EmulatorCall[] {
    return this.entries.filter((e) => e.action === action);
  }
}
