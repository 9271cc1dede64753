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
      this.polling ??= this.poll().finally(() => (this.polling = undefined));
    }, intervalMs);
  }

  /** Stops and takes one last snapshot. */
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
