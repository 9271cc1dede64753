/**
 * Which RDS statuses end a wait. The SDK's own waiters miss several (migration-failed, restore-failed,
 * inaccessible-encryption-credentials), so we keep the full set from aws-restore-facts §3.1 and §3.2.
 */

/** Cluster statuses that mean the restore failed and will not recover by waiting. */
export const TERMINAL_CLUSTER_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'migration-failed',
  'restore-failed',
  'incompatible-restore',
  'incompatible-parameters',
  'incompatible-network',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'cloning-failed',
  'upgrade-failed',
  'upgrade_failed',
  'deleting',
  'deleted',
  'stopped',
  'stopping',
]);

/** Instance statuses that mean a new instance will not become available by waiting. */
export const TERMINAL_INSTANCE_STATUSES: ReadonlySet<string> = new Set([
  'failed',
  'inaccessible-encryption-credentials',
  'inaccessible-encryption-credentials-recoverable',
  'incompatible-create',
  'incompatible-credentials',
  'incompatible-network',
  'incompatible-option-group',
  'incompatible-parameters',
  'incompatible-restore',
  'insufficient-capacity',
  'restore-error',
  'modify-failed',
  'upgrade-failed',
  'upgrade_failed',
  'storage-full',
  'deleting',
  'deleted',
  'stopped',
  'stopping',
]);

/** The one status a wait is for. */
export const AVAILABLE = 'available';
