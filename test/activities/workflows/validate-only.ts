/**
 * A workflow that runs only the backup validation activity, so that its heartbeats and its cancellation go
 * through a real worker and the real dev server (not a mock activity environment).
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { createBackupValidationActivities } from '../../../activities/backup-validation';
import type { ValidationReport } from '../../../workflows/types';

type ValidationActivities = ReturnType<typeof createBackupValidationActivities>;
type ValidateInput = Parameters<ValidationActivities['validateBackup']>[0];

const { validateBackup } = proxyActivities<ValidationActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  // The workflow closes only once the activity has acknowledged the cancellation: closing proves it stopped.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { maximumAttempts: 1 },
});

/** Validates one backup and returns the report. */
export async function validateOnly(input: ValidateInput): Promise<ValidationReport> {
  return validateBackup(input);
}
