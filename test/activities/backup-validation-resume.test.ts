import type { ResumePoint } from '../../activities/validation/resume-point';
import { uploadBackup, type FixtureLayout } from '../../scripts/fixtures';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-resume');
const MiB = 1 << 20;

describe('a deep validation stopped mid-way and resumed from its resume point (real S3 server)', () => {
  afterAll(() => s3.destroy());

  it.each(['directory', 'xbstream'] as FixtureLayout[])(
    'finishes the %s layout with the report of an uninterrupted run, reading each byte about once',
    async (layout) => {
      const prefix = `${layout}/`;
      // 24 MiB of pages in shop/orders.ibd, one of them damaged before the stop point and one after.
      const uploaded = await uploadBackup(s3, bucket, prefix, {
        version: '8.0',
        layout,
        dataBytes: 24 * MiB,
        corruptPages: { 'shop/orders.ibd': [40, 1400] },
      });
      const input = inputFor('8.0', bucket, prefix, { mode: 'deep' });
      const whole = await run(s3, input, { concurrency: 1 });
      expect(whole.errors).toEqual(['INNODB_PAGE_CORRUPT', 'INNODB_PAGE_CORRUPT']);

      const controller = new AbortController();
      let point: ResumePoint | undefined;
      let firstBytes = 0;
      const stopped = run(s3, input, {
        concurrency: 1,
        signal: controller.signal,
        onProgress: (p) => {
          firstBytes = p.bytesDone;
          if (p.bytesDone >= 10 * MiB && !point) {
            point = p.position?.();
            controller.abort(new Error('the worker died'));
          }
        },
      });
      await expect(stopped).rejects.toThrow('the worker died');
      expect(point).toBeDefined();
      // A JSON round trip, as the heartbeat details go through Temporal.
      const resume: unknown = JSON.parse(JSON.stringify(point));
      let resumedFrom = -1;
      let secondBytes = 0;
      const resumed = await run(s3, input, {
        concurrency: 1,
        resume,
        onProgress: (p) => {
          if (resumedFrom < 0) resumedFrom = p.bytesDone;
          secondBytes = p.bytesDone;
        },
      });
      expect(resumed.report.findings).toEqual(whole.report.findings);
      expect(resumed.report.bytesVerified).toBe(uploaded.bytes);
      expect(secondBytes).toBe(uploaded.bytes);
      // The second run started past the stop point's bytes, not at 0.
      expect(resumedFrom).toBeGreaterThan(firstBytes - 9 * MiB);
    },
  );

  it('starts over when the backup changed since the resume point was taken', async () => {
    const prefix = 'changed/';
    await uploadBackup(s3, bucket, prefix, { version: '8.0', layout: 'directory', dataBytes: 4 * MiB });
    const input = inputFor('8.0', bucket, prefix, { mode: 'deep' });
    const stale: ResumePoint = { version: 1, backup: '1:1:0', bytesDone: 123, rootsDone: 5 };
    const { report, errors } = await run(s3, input, { resume: stale });
    expect(errors).toEqual([]);
    expect(report.bytesVerified).toBe(report.totalBytes);
  });
});
