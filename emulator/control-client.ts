/**
 * A typed client of the emulator's control endpoint (`/_emulator/…`, see control.ts): rules, timings, the rate
 * limit, the inventory and the call log, as the tests, the benchmarks and the history recorder drive them.
 */
import type { RunningClusterServer } from './cluster-server/cluster-servers';
import type { CallEntry, CallsSnapshot } from './calls';
import type { RateLimitSettings } from './rate-limit';
import type { CatalogueData, QuotaName } from './catalogue';

/** One call the emulator served, as its call log records it. */
export type EmulatorCall = CallEntry;

/** Per-action and per-fault counters, and the last entries of the call log (`GET /_emulator/calls`). */
export type EmulatorCalls = CallsSnapshot;

/** A cluster in the emulator's inventory. */
export interface InventoryCluster {
  id: string;
  status: string;
  createdAt: string;
  tags?: Record<string, string>;
}

/** An instance in the emulator's inventory. */
export interface InventoryInstance {
  id: string;
  status: string;
  clusterId?: string;
}

/** Thin typed wrapper over the control endpoint of one emulator. */
export class EmulatorControl {
  constructor(readonly endpoint: string) {}

  /** Sets lifecycle durations (ms, rounded) and rates (kept as given) for resources created from now on. */
  async setTimings(timings: Record<string, number>): Promise<void> {
    const rounded = Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, k.endsWith('Ms') ? Math.round(v) : v]),
    );
    await this.request('PUT', '/_emulator/timings', rounded);
  }

  /** The account's rate limit in force and the tokens available now. */
  async rateLimit(): Promise<RateLimitSettings & { available: number }> {
    return (await this.request('GET', '/_emulator/rate-limit')) as RateLimitSettings & { available: number };
  }

  /** Changes the rate limit (unspecified fields stay) and refills the bucket. */
  async setRateLimit(settings: Partial<RateLimitSettings>): Promise<RateLimitSettings & { available: number }> {
    return (await this.request('PUT', '/_emulator/rate-limit', settings)) as RateLimitSettings & { available: number };
  }

  /** Adds an outcome or fault rule; returns its ID. */
  async addRule(rule: unknown): Promise<string> {
    return ((await this.request('POST', '/_emulator/rules', rule)) as { id: string }).id;
  }

  /** Forgets clusters, rules, calls and timings. */
  async reset(): Promise<void> {
    await this.request('POST', '/_emulator/reset', {});
  }

  /** The clusters and instances that exist now (the ground truth of what a migration made). */
  async inventory(): Promise<{ clusters: InventoryCluster[]; instances: InventoryInstance[] }> {
    return (await this.request('GET', '/_emulator/inventory')) as {
      clusters: InventoryCluster[];
      instances: InventoryInstance[];
    };
  }

  /** Whether the emulator runs real cluster servers, and the mysqld of each cluster it serves now. */
  async clusterServers(): Promise<{ enabled: boolean; servers: RunningClusterServer[] }> {
    return (await this.request('GET', '/_emulator/cluster-servers')) as {
      enabled: boolean;
      servers: RunningClusterServer[];
    };
  }

  /** The clusters that exist now. */
  async clusters(): Promise<InventoryCluster[]> {
    return (await this.inventory()).clusters;
  }

  /** Counters and the last entries of the call log, optionally only of one action. */
  async calls(action?: string): Promise<EmulatorCalls> {
    const query = action ? `?action=${encodeURIComponent(action)}` : '';
    return (await this.request('GET', `/_emulator/calls${query}`)) as EmulatorCalls;
  }

  /** The catalogue: engine versions, orderable classes, subnet/parameter/option groups, quotas. */
  async catalogue(): Promise<CatalogueData> {
    return (await this.request('GET', '/_emulator/catalogue')) as CatalogueData;
  }

  /** Adds or replaces a subnet group (zones default to two of the Region's). */
  async addSubnetGroup(group: { name: string; zones?: string[]; vpcId?: string; description?: string }): Promise<void> {
    await this.request('POST', '/_emulator/catalogue/subnet-groups', group);
  }

  /** Adds or replaces a DB cluster parameter group of `family` (e.g. `aurora-mysql8.0`). */
  async addClusterParameterGroup(group: { name: string; family: string; description?: string }): Promise<void> {
    await this.request('POST', '/_emulator/catalogue/cluster-parameter-groups', group);
  }

  /** Adds or replaces a DB (instance) parameter group of `family`. */
  async addParameterGroup(group: { name: string; family: string; description?: string }): Promise<void> {
    await this.request('POST', '/_emulator/catalogue/parameter-groups', group);
  }

  /** Adds or replaces an option group for `majorEngineVersion` (e.g. `8.0`). */
  async addOptionGroup(group: { name: string; majorEngineVersion: string; description?: string }): Promise<void> {
    await this.request('POST', '/_emulator/catalogue/option-groups', group);
  }

  /** Removes a catalogue entry (e.g. `engine-versions`, `8.0.mysql_aurora.3.04.0`). */
  async removeFromCatalogue(kind: string, name: string): Promise<void> {
    await this.request('DELETE', `/_emulator/catalogue/${encodeURIComponent(kind)}/${encodeURIComponent(name)}`);
  }

  /** Changes some of the account's quotas (the maximum of DescribeAccountAttributes). */
  async setQuotas(quotas: Partial<Record<QuotaName, number>>): Promise<void> {
    await this.request('PUT', '/_emulator/catalogue/quotas', quotas);
  }

  /** Whether `password` is cluster `clusterId`'s master password (the emulator keeps only a verifier). */
  async masterPasswordMatches(clusterId: string, password: string): Promise<boolean> {
    const answer = await this.request(
      'POST',
      `/_emulator/clusters/${encodeURIComponent(clusterId)}/master-password-check`,
      {
        password,
      },
    );
    return (answer as { matches: boolean }).matches;
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.endpoint}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : {};
  }
}
