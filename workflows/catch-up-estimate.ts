/**
 * How long the source's binary logs must last before the cluster replicates, as the pre-flight estimates it
 * (dependency-free: the workflow and the dry run share it).
 */

/** The restore ETA's default model (activities/rds/restore-throughput.ts): a fixed part and a rate. */
const RESTORE_FIXED_SECONDS = 600;
const RESTORE_BYTES_PER_SECOND = 100 * 1024 * 1024;
/** Creating the instances, then catching up: stated allowances, not measurements. */
const INSTANCES_SECONDS = 1800;
const CATCH_UP_SECONDS = 3600;

/**
 * Seconds from the pre-flight until the cluster replicates: the restore at the default model (10 minutes plus
 * the backup at 100 MiB/s), 30 minutes for the instances and an hour to catch up. The retention warning quotes it.
 */
export function expectedCatchUpSeconds(backupBytes: number): number {
  return Math.round(
    RESTORE_FIXED_SECONDS + Math.max(0, backupBytes) / RESTORE_BYTES_PER_SECOND + INSTANCES_SECONDS + CATCH_UP_SECONDS,
  );
}
