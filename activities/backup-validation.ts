/**
 * Backup validation: the library entry (`validateBackup`, usable outside Temporal by the CLI dry run and the HTTP
 * API) and the Temporal activity, which heartbeats progress and stops reading as soon as it is cancelled.
 */
import { Context } from '@temporalio/activity';
import { classifyAwsError } from './aws-errors';
import { validationBytesCounter } from './metrics';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ValidationReport } from '../workflows/types';
import { MAX_RESUME_POINT_BYTES, type ResumePoint } from './validation/resume-point';
import { validateBackup, type ValidateBackupInput } from './validation/validate';

export { validateBackup, type ValidateBackupInput, type ValidateOptions } from './validation/validate';
export { summarizeReport } from './validation/summary';
export { FindingCodes, type FindingCode } from './validation/findings';

/** What the validation activity heartbeats: progress, and where a retry would resume. */
export interface ValidationHeartbeat {
  bytesDone: number;
  bytesTotal: number;
  resume?: ResumePoint;
}

/** Minimum milliseconds between two progress heartbeats: each carries a resume point, so a retry re-reads at most this (plus the worker's 1 s heartbeat throttle) worth of bytes. */
export const HEARTBEAT_INTERVAL_MS = 250;

/** Builds the validation activity around an S3 client; its result is the report (the workflow decides to fail). */
export function createBackupValidationActivities(deps: { s3: S3Client }): {
  validateBackup(input: ValidateBackupInput): Promise<ValidationReport>;
} {
  return {
    async validateBackup(input: ValidateBackupInput): Promise<ValidationReport> {
      const ctx = Context.current();
      // A retry (the worker died mid-check) continues from the last heartbeat's resume point, if any.
      const previous = ctx.info.heartbeatDetails as ValidationHeartbeat | undefined;
      let last = 0;
      // Bytes this attempt reads: a resumed attempt's progress starts where the last heartbeat left off.
      let counted = previous?.bytesDone ?? 0;
      const countBytes = validationBytesCounter(ctx.metricMeter, input.mode);
      ctx.heartbeat({
        bytesDone: previous?.bytesDone ?? 0,
        bytesTotal: previous?.bytesTotal ?? 0,
        resume: previous?.resume,
      });
      try {
        return await validateBackup(deps.s3, input, {
          signal: ctx.cancellationSignal,
          resume: previous?.resume,
          onProgress: (p) => {
            countBytes(Math.max(0, p.bytesDone - counted)); // a stale resume point restarts bytesDone at 0
            counted = p.bytesDone;
            const now = Date.now();
            if (now - last < HEARTBEAT_INTERVAL_MS && p.bytesDone < p.bytesTotal) return;
            last = now;
            const beat: ValidationHeartbeat = { bytesDone: p.bytesDone, bytesTotal: p.bytesTotal };
            const resume = p.position?.();
            // A resume point too large for a heartbeat (a stream of very many files) is left out: that retry reads
            // from the start, which is slower but still correct.
            if (resume && JSON.stringify(resume).length <= MAX_RESUME_POINT_BYTES) beat.resume = resume;
            ctx.heartbeat(beat);
          },
        });
      } catch (err) {
        // S3 errors (a missing bucket, access denied, throttling) go through the one AWS boundary: a missing
        // bucket fails at once with the reason instead of being retried.
        // Cancelled: report the cancellation itself. The read it interrupted may throw a plain `Error: aborted`
        // (a socket read), which Temporal would record as a failed activity instead of a cancelled one.
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? err;
        throw classifyAwsError(err, { operation: `reading the backup in s3://${input.bucket}/${input.prefix}` });
      }
    },
  };
}
