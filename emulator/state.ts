/**
 * The emulator's in-memory store: clusters and instances by lower-case id (O(1) lookups), events by source, and
 * optional persistence to a JSON file, written atomically (write + rename) and debounced so reads never write.
 */
import { rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { clusterPhase, instancePhase } from './lifecycle';
import type { ClusterRecord, EventRecord, EventSourceType, InstanceRecord } from './records';

/** Events older than this are dropped, as RDS keeps them 14 days. */
const EVENT_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** How long after a change the state file is written. */
const SAVE_DEBOUNCE_MS = 200;

/** What the state file holds. */
interface StateFile {
  version: 1;
  clusters: ClusterRecord[];
  instances: InstanceRecord[];
  events: EventRecord[];
}

/** Raised when the state file exists but cannot be read as emulator state. */
export class StateFileError extends Error {
  override readonly name = 'StateFileError';
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`cannot load emulator state from ${path}: ${String(options.cause)}`, options);
  }
}

/** Clusters, instances and events, with lazy removal of resources whose delete has finished. */
export class EmulatorStore {
  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly instances = new Map<string, InstanceRecord>();
  private readonly events = new Map<string, EventRecord[]>();
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();

  /** @param statePath - the JSON file to load from and save to; in-memory only when undefined */
  constructor(private readonly statePath?: string) {
    if (statePath) this.load(statePath);
  }

  /** A cluster that still exists (deleting counts), or undefined. */
  cluster(id: string, now = Date.now()): ClusterRecord | undefined {
    const cluster = this.clusters.get(id);
    if (cluster && clusterPhase(cluster, now).gone) {
      this.clusters.delete(id);
      this.changed();
      return undefined;
    }
    return cluster;
  }

  /** An instance that still exists (deleting counts), or undefined. */
  instance(id: string, now = Date.now()): InstanceRecord | undefined {
    const instance = this.instances.get(id);
    if (instance && instancePhase(instance, now).gone) {
      this.instances.delete(id);
      const cluster = this.clusters.get(instance.clusterId);
      if (cluster) cluster.memberIds = cluster.memberIds.filter((m) => m !== id);
      this.changed();
      return undefined;
    }
    return instance;
  }

  /** All existing clusters in creation order. */
  allClusters(now = Date.now()): ClusterRecord[] {
    return [...this.clusters.keys()].flatMap((id) => this.cluster(id, now) ?? []);
  }

  /** All existing instances in creation order. */
  allInstances(now = Date.now()): InstanceRecord[] {
    return [...this.instances.keys()].flatMap((id) => this.instance(id, now) ?? []);
  }

  /** Adds a new cluster. */
  addCluster(cluster: ClusterRecord): void {
    this.clusters.set(cluster.id, cluster);
    this.changed();
  }

  /** Adds a new instance and makes it a member of its cluster. */
  addInstance(instance: InstanceRecord): void {
    this.instances.set(instance.id, instance);
    this.clusters.get(instance.clusterId)?.memberIds.push(instance.id);
    this.changed();
  }

  /** Records an event; one dated in the future stays hidden until then. */
  addEvent(event: EventRecord): void {
    const key = eventKey(event.sourceType, event.sourceId);
    const list = this.events.get(key) ?? [];
    list.push(event);
    this.events.set(key, list);
    this.changed();
  }

  /** Events of one source, or of all sources, in any order; the caller filters by time. */
  eventsOf(sourceType?: EventSourceType, sourceId?: string): EventRecord[] {
    if (sourceType && sourceId) return this.events.get(eventKey(sourceType, sourceId)) ?? [];
    const all = [...this.events.values()].flat();
    return sourceType ? all.filter((e) => e.sourceType === sourceType) : all;
  }

  /** Drops everything (the control endpoint's reset). */
  clear(): void {
    this.clusters.clear();
    this.instances.clear();
    this.events.clear();
    this.changed();
  }

  /** Marks the state dirty; the file is written once changes pause. */
  changed(): void {
    if (!this.statePath || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving
        .then(() => this.save())
        .catch((err: unknown) => {
          console.error(`emulator: cannot save state to ${this.statePath}: ${String(err)}`);
        });
    }, SAVE_DEBOUNCE_MS);
    this.saveTimer.unref();
  }

  /** Writes pending changes now (used on shutdown). */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.save());
    }
    await this.saving;
  }

  private async save(): Promise<void> {
    if (!this.statePath) return;
    const cutoff = Date.now() - EVENT_RETENTION_MS;
    const file: StateFile = {
      version: 1,
      clusters: [...this.clusters.values()],
      instances: [...this.instances.values()],
      events: [...this.events.values()].flat().filter((e) => e.date >= cutoff),
    };
    const temp = `${this.statePath}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(file));
    await rename(temp, this.statePath);
  }

  private load(path: string): void {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new StateFileError(path, { cause: err });
    }
    try {
      const file = JSON.parse(text) as StateFile;
      if (file.version !== 1) throw new Error(`unsupported version ${String(file.version)}`);
      for (const cluster of file.clusters) this.clusters.set(cluster.id, cluster);
      for (const instance of file.instances) this.instances.set(instance.id, instance);
      for (const event of file.events) this.addEvent(event);
    } catch (err) {
      throw new StateFileError(path, { cause: err });
    }
  }
}

function eventKey(type: EventSourceType, id: string): string {
  return `${type}:${id}`;
}
