/**
 * A stand-in for Amazon EventBridge: watches the emulator's inventory and, when a watched cluster turns
 * `available` or a failure status, POSTs the EventBridge-shaped RDS event to our HTTP service's
 * `POST /events/rds`, which signals `rdsEvent` to the migration. Its polling period is the only delay it adds
 * (real EventBridge delivery adds its own, typically seconds, which is not modelled here).
 */
import type { EmulatorControl } from '../../emulator/control-client';

/** Event ID and message RDS publishes for each status we forward. */
const EVENTS: Record<string, { id: string; message: (id: string) => string; category: string }> = {
  available: { id: 'RDS-EVENT-0170', message: () => 'DB cluster created.', category: 'creation' },
  'migration-failed': {
    id: 'RDS-EVENT-0076',
    message: (id) => `Failed to migrate from mysql to ${id}. Reason: see the restore log.`,
    category: 'notification',
  },
  'incompatible-restore': {
    id: 'RDS-EVENT-0354',
    message: () => "You can't create the DB cluster because of incompatible resources.",
    category: 'failure',
  },
};

/** Forwards status flips of the clusters `watches(id)` accepts, once per cluster and status. */
export class EarlyWakeWatcher {
  private timer?: NodeJS.Timeout;
  private busy?: Promise<void>;
  private readonly sent = new Set<string>();
  /** Events delivered (HTTP 202). */
  delivered = 0;
  /** Deliveries refused or failed. */
  errors = 0;

  constructor(
    private readonly emulator: EmulatorControl,
    private readonly http: { url: string; token: string },
    private readonly watches: (clusterId: string) => boolean,
    private readonly intervalMs: number,
  ) {}

  /** Starts polling the inventory. */
  start(): void {
    this.timer = setInterval(() => {
      this.busy ??= this.tick()
        .catch(() => void (this.errors += 1))
        .finally(() => (this.busy = undefined));
    }, this.intervalMs);
  }

  /** Stops polling. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
  }

  private async tick(): Promise<void> {
    const clusters = await this.emulator.clusters();
    const due = clusters.filter((c) => this.watches(c.id) && EVENTS[c.status] && !this.sent.has(`${c.id}:${c.status}`));
    await Promise.all(
      due.map(async (c) => {
        this.sent.add(`${c.id}:${c.status}`);
        const res = await fetch(`${this.http.url}/events/rds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${this.http.token}` },
          body: JSON.stringify(eventBridgeEvent(c.id, c.status)),
        });
        await res.text();
        if (res.status === 202) this.delivered += 1;
        else this.errors += 1;
      }),
    );
  }
}

/** The EventBridge event RDS emits for a cluster status change. */
function eventBridgeEvent(clusterId: string, status: string): unknown {
  const event = EVENTS[status] ?? EVENTS.available!;
  const arn = `arn:aws:rds:us-east-1:123456789012:cluster:${clusterId}`;
  const now = new Date().toISOString();
  return {
    version: '0',
    id: `${clusterId}-${status}`,
    'detail-type': 'RDS DB Cluster Event',
    source: 'aws.rds',
    account: '123456789012',
    time: now,
    region: 'us-east-1',
    resources: [arn],
    detail: {
      EventCategories: [event.category],
      SourceType: 'CLUSTER',
      SourceArn: arn,
      Date: now,
      Message: event.message(clusterId),
      SourceIdentifier: clusterId,
      EventID: event.id,
    },
  };
}
