/**
 * Backup validation: the library entry (`validateBackup`, usable outside Temporal by the CLI dry run and the HTTP
 * API) and the Temporal activity, which heartbeats progress and stops reading as soon as it is cancelled.
 */
import { Context } from '@temporalio/activity';
import { classifyAwsError } from './aws-errors';
import { validationBytesCounter } from './metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ValidationReport } from '../workflows/types';
import { validateBackup, type ValidateBackupInput } from './validation/validate';

export { validateBackup, type ValidateBackupInput, type ValidateOptions } from './validation/validate';
export { summarizeReport } from './validation/summary';
export { FindingCodes, type FindingCode } from './validation/findings';

/** Minimum milliseconds between two progress heartbeats. */
export const HEARTBEAT_INTERVAL_MS = 1000;

/** Builds the validation activity around an S3 client; its result is the report (the workflow decides to fail). */
export function createBackupValidationActivities(deps: { s3: S3Client }): {
  validateBackup(input: ValidateBackupInput): Promise<ValidationReport>;
} {
  return {
    async validateBackup(input: ValidateBackupInput): Promise<ValidationReport> {
      const ctx = Context.current();
      let last = 0;
      let counted = 0;
      const countBytes = validationBytesCounter(ctx.metricMeter, input.mode);
      ctx.heartbeat({ bytesDone: 0, bytesTotal: 0 });
      try {
        return await validateBackup(deps.s3, input, {
          signal: ctx.cancellationSignal,
          onProgress: (p) => {
            countBytes(p.bytesDone - counted);
            counted = p.bytesDone;
            const now = Date.now();
            if (now - last < HEARTBEAT_INTERVAL_MS && p.bytesDone < p.bytesTotal) return;
            last = now;
            ctx.heartbeat(p);
          },
        });
      } catch (err) {
        // S3 errors (a missing bucket, access denied, throttling) go through the one AWS boundary: a missing
        // bucket fails at once with the reason instead of being retried.
        if (ctx.cancellationSignal.aborted) throw err;
        throw classifyAwsError(err, { operation: `reading the backup in s3://${input.bucket}/${input.prefix}` });
      }
    },
  };
}
