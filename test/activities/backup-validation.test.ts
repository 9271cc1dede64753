import { summarizeReport } from '../../activities/backup-validation';
import { loadRealXtrabackup24, uploadBackup, type FixtureLayout } from '../../scripts/fixtures';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-good');

const goodCases: ['5.7' | '8.0', FixtureLayout][] = [
  ...(['directory', 'xbstream', 'split-xbstream', 'tar', 'tar.gz', 'split-tar.gz'] as const).map(
    (l): ['5.7', FixtureLayout] => ['5.7', l],
  ),
  // XtraBackup 8.0 cannot stream tar, so an 8.0 backup in tar is a defect (TAR_STREAM_FOR_MYSQL80), not a layout.
  ...(['directory', 'xbstream', 'split-xbstream'] as const).map((l): ['8.0', FixtureLayout] => ['8.0', l]),
];

describe('validateBackup on good backups (real S3 server)', () => {
  afterAll(() => s3.destroy());

  it.each(goodCases)(
    'passes a MySQL %s backup in the %s layout with no errors or warnings, quick and deep',
    async (version, layout) => {
      const prefix = `${version}-${layout}/`;
      const uploaded = await uploadBackup(s3, bucket, prefix, { version, layout, xbstream: { chunkSize: 8192 } });
      for (const mode of ['quick', 'deep'] as const) {
        const { report, errors, warnings } = await run(s3, inputFor(version, bucket, prefix, { mode }));
        expect({ mode, errors, warnings }).toEqual({ mode, errors: [], warnings: [] });
        expect(report).toMatchObject({
          ok: true,
          objectCount: uploaded.objects,
          totalBytes: uploaded.bytes,
          backupType: 'full-backuped',
        });
        expect(report.serverVersion).toBe(version === '5.7' ? '5.7.44-log' : '8.0.35');
        expect(report.format).toBe(layout.replace('split-', ''));
        // Deep mode reads every byte of every layout (a .tar.gz counts its compressed bytes).
        if (mode === 'deep') expect(report.bytesVerified).toBe(uploaded.bytes);
      }
    },
  );

  it('reports the binlog coordinates and GTID set of an 8.0 backup, and summarises the report', async () => {
    const prefix = 'binlog/';
    await uploadBackup(s3, bucket, prefix, { version: '8.0', layout: 'xbstream' });
    const { report } = await run(s3, inputFor('8.0', bucket, prefix));
    expect(report.binlog).toEqual({
      file: 'binlog.000004',
      position: 157,
      gtidSet: '3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5',
    });
    expect(summarizeReport(report)).toMatchObject({
      ok: true,
      errors: 0,
      warnings: 0,
      toolVersion: '8.0.35-31',
      binlog: report.binlog,
    });
  });

  it('accepts a full backup with an unbroken chain of two incrementals under one prefix', async () => {
    const prefix = 'chain/';
    await uploadBackup(s3, bucket, `${prefix}full/`, { version: '8.0', layout: 'directory', toLsn: 1000n });
    await uploadBackup(s3, bucket, `${prefix}inc1/`, {
      version: '8.0',
      layout: 'directory',
      backupType: 'incremental',
      fromLsn: 1000n,
      toLsn: 2000n,
    });
    await uploadBackup(s3, bucket, `${prefix}inc2/`, {
      version: '8.0',
      layout: 'directory',
      backupType: 'incremental',
      fromLsn: 2000n,
      toLsn: 3000n,
    });
    const { report, errors } = await run(s3, inputFor('8.0', bucket, prefix));
    expect(errors).toEqual([]);
    expect(report.backupType).toBe('full-backuped + 2 incremental');
  });

  it('passes the real XtraBackup 2.4.21 backup of Percona Server 5.7.12 with only the Percona Server warning', async () => {
    const files = await loadRealXtrabackup24();
    if (!files) {
      console.warn('Skipped: ../shared/data/real-xtrabackup-2.4/backup.zip is not present in this checkout.');
      return;
    }
    for (const layout of ['directory', 'xbstream'] as const) {
      const prefix = `real-${layout}/`;
      await uploadBackup(s3, bucket, prefix, { layout, files });
      for (const mode of ['quick', 'deep'] as const) {
        const input = inputFor('5.7', bucket, prefix, {
          mode,
          sourceEngineVersion: '5.7.12',
          engineVersion: '5.7.mysql_aurora.2.11.2',
        });
        const { report, errors, warnings } = await run(s3, input);
        expect({ layout, mode, errors, warnings }).toEqual({
          layout,
          mode,
          errors: [],
          warnings: ['PERCONA_SERVER_SOURCE'],
        });
        expect(report).toMatchObject({
          ok: true,
          serverVersion: '5.7.12-5',
          toolVersion: '2.4.21',
          backupType: 'full-backuped',
        });
      }
    }
  });
});
