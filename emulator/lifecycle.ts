/**
 * Resource status derived from timestamps alone, so no timers are needed and a restarted emulator resumes each
 * resource where the clock says it is.
 */
import type { ClusterRecord, InstanceRecord } from './records';

/** A resource's status at one moment; `gone` means a finished delete. */
export interface Phase {
  status: string;
  /** Cluster only: 0–100 as RDS reports it (a string on the wire). */
  percentProgress?: number;
  gone: boolean;
}

/** When a cluster's restore finishes (becomes `available` or its failure status). */
export function clusterSettlesAt(cluster: ClusterRecord): number {
  return cluster.createdAt + cluster.creatingMs + cluster.migratingMs;
}

/** When an instance is `available`, or reaches its failure status at the end of `creating`. */
export function instanceSettlesAt(instance: InstanceRecord): number {
  const created = instance.createdAt + instance.creatingMs;
  return instance.failure ? created : created + instance.configuringMs + instance.backingUpMs;
}

/** When a deleting resource disappears, or undefined if it is not being deleted. */
export function goneAt(resource: { deletingSince?: number; deletingMs?: number }): number | undefined {
  return resource.deletingSince === undefined ? undefined : resource.deletingSince + (resource.deletingMs ?? 0);
}

/** A cluster's status: `creating` → `migrating` (progress rising) → `available` or the failure status. */
export function clusterPhase(cluster: ClusterRecord, now: number): Phase {
  const deleted = deletePhase(cluster, now);
  if (deleted) return deleted;
  const elapsed = now - cluster.createdAt;
  if (elapsed < cluster.creatingMs) return { status: 'creating', percentProgress: 0, gone: false };
  // A cluster whose mysqld is still being brought up stays migrating: available means it accepts connections.
  if (elapsed < cluster.creatingMs + cluster.migratingMs || cluster.server?.state === 'restoring') {
    const percent = Math.floor(((elapsed - cluster.creatingMs) / Math.max(1, cluster.migratingMs)) * 100);
    return { status: 'migrating', percentProgress: Math.min(99, percent), gone: false };
  }
  if (cluster.failure) return { status: cluster.failure.status, percentProgress: 0, gone: false };
  return { status: 'available', percentProgress: 100, gone: false };
}

/** An instance's status: `creating` → `configuring-enhanced-monitoring` → `backing-up` → `available`. */
export function instancePhase(instance: InstanceRecord, now: number): Phase {
  const deleted = deletePhase(instance, now);
  if (deleted) return deleted;
  const elapsed = now - instance.createdAt;
  if (elapsed < instance.creatingMs) return { status: 'creating', gone: false };
  if (instance.failure) return { status: instance.failure.status, gone: false };
  if (elapsed < instance.creatingMs + instance.configuringMs) {
    return { status: 'configuring-enhanced-monitoring', gone: false };
  }
  if (now < instanceSettlesAt(instance)) return { status: 'backing-up', gone: false };
  return { status: 'available', gone: false };
}

function deletePhase(resource: { deletingSince?: number; deletingMs?: number }, now: number): Phase | undefined {
  const end = goneAt(resource);
  if (end === undefined) return undefined;
  return { status: 'deleting', gone: now >= end };
}
