/**
 * Names of the metrics a migration's workflow records (workflows/metrics-interceptors.ts), as served on the
 * worker's `/metrics`. Plain constants, so the worker (bucket settings) and tests can use them outside the
 * workflow sandbox. Temporal adds `namespace`, `task_queue` and `workflow_type` labels to each.
 */
export const WorkflowMetrics = {
  /** Counter: migration steps entered, by `step` (MigrationStep values; `validating` counts starts). */
  steps: 'aurora_migrate_migration_steps_total',
  /** Counter: migrations that ended, by `outcome` (completed, failed, cancelled). */
  migrations: 'aurora_migrate_migrations_total',
  /**
   * Histogram: seconds spent waiting for a resource, by `resource` (cluster, instances) and `outcome`
   * (available, failed, cancelled), in workflow time (the same on every replay).
   */
  waitDuration: 'aurora_migrate_wait_duration_seconds',
} as const;

/** Bucket bounds of the wait histogram, in seconds: restores take minutes to many hours. */
export const WAIT_DURATION_BUCKETS_SECONDS: readonly number[] = [
  5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 14_400, 28_800, 86_400, 172_800,
];
