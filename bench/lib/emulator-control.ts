/** The RDS emulator's control endpoint (`/_emulator/…`) as the benchmarks drive it. */

/** One call the emulator served, as its call log records it. */
export interface EmulatorCall {
  at: string;
  action: string;
  clusterId?: string;
  instanceId?: string;
  status: number;
}

/** A cluster in the emulator's inventory. */
export interface InventoryCluster {
  id: string;
  status: string;
  createdAt: string;
}

/** Thin typed wrapper over the control endpoint of one emulator. */
export class EmulatorControl {
  constructor(readonly endpoint: string) {}

  /** Sets lifecycle durations (ms) for resources created from now on. */
  async setTimings(timings: Record<string, number>): Promise<void> {
    const rounded = Object.fromEntries(Object.entries(timings).map(([k, v]) => [k, Math.round(v)]));
    await this.request('PUT', '/_emulator/timings', rounded);
  }

  /** Adds an outcome or fault rule. */
  async addRule(rule: unknown): Promise<void> {
    await this.request('POST', '/_emulator/rules', rule);
  }

  /** Forgets clusters, rules, calls and timings. */
  async reset(): Promise<void> {
    await this.request('POST', '/_emulator/reset', {});
  }

  /** The clusters that exist now. */
  async clusters(): Promise<InventoryCluster[]> {
    return ((await this.request('GET', '/_emulator/inventory')) as { clusters: InventoryCluster[] }).clusters;
  }

  /** Counters and the last entries of the call log. */
  async calls(): Promise<{ counts: Record<string, number>; log: EmulatorCall[] }> {
    return (await this.request('GET', '/_emulator/calls')) as { counts: Record<string, number>; log: EmulatorCall[] };
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
