import {
  buildBackup,
  FixtureLayouts,
  loadRealXtrabackup24,
  uploadBackup,
  type FixtureLayout,
} from '../../scripts/fixtures';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-quick');

// Sizes chosen so the metadata ends at different offsets of the decompressed stream, including well before its
// last gunzip chunk: quick mode then stops reading early, which must not surface as an abort.
const sizes = [65536, 300 * 1024, 700 * 1024];
const cases: ['5.7' | '8.0', FixtureLayout, number][] = [];
for (const dataBytes of sizes) {
  for (const layout of ['directory', 'tar', 'tar.gz', 'split-tar.gz', 'xbstream', 'split-xbstream'] as const)
    cases.push(['5.7', layout, dataBytes]);
  for (const layout of ['directory', 'xbstream', 'split-xbstream'] as const) cases.push(['8.0', layout, dataBytes]);
}

describe('quick validation of every container (real S3 server)', () => {
  afterAll(() => s3.destroy());

  it.each(cases)(
    'reads the metadata of a MySQL %s backup in the %s layout with a %d-byte table and reports no defect',
    async (version, layout, dataBytes) => {
      const prefix = `${version}-${layout}-${dataBytes}/`;
      const uploaded = await uploadBackup(s3, bucket, prefix, { version, layout, dataBytes });
      const { report, errors, warnings } = await run(s3, inputFor(version, bucket, prefix, { mode: 'quick' }));
      expect({ errors, warnings }).toEqual({ errors: [], warnings: [] });
      expect(report).toMatchObject({ ok: true, objectCount: uploaded.objects, backupType: 'full-backuped' });
    },
  );

  it.each(FixtureLayouts)(
    'reads the metadata of the real XtraBackup 2.4 backup in the %s layout in quick mode, as deep mode does',
    async (layout) => {
      const files = await loadRealXtrabackup24();
      if (!files) throw new Error('the real XtraBackup 2.4 backup (/work/shared/data/real-xtrabackup-2.4) is missing');
      const prefix = `real-${layout}/`;
      await uploadBackup(s3, bucket, prefix, { layout, files });
      for (const mode of ['quick', 'deep'] as const) {
        const input = inputFor('5.7', bucket, prefix, {
          mode,
          sourceEngineVersion: '5.7.12',
          engineVersion: '5.7.mysql_aurora.2.11.2',
        });
        const { report, errors, warnings } = await run(s3, input);
        expect({ mode, errors, warnings }).toEqual({ mode, errors: [], warnings: ['PERCONA_SERVER_SOURCE'] });
        expect(report).toMatchObject({ ok: true, serverVersion: '5.7.12-5', toolVersion: '2.4.21' });
      }
    },
  );
});

describe('quick validation of tar archives packed from a backup directory (real S3 server)', () => {
  afterAll(() => s3.destroy());

  // `tar czf` of a backup directory puts xtrabackup_info before xtrabackup_logfile, so quick mode has the metadata
  // long before the archive ends and stops reading: that early stop once escaped as `AbortError`.
  it.each(['tar', 'tar.gz', 'split-tar.gz'] as const)(
    'reads the metadata of a MySQL 5.7 backup packed by name order in the %s layout and stops early without an error',
    async (layout) => {
      const prefix = `by-name-${layout}/`;
      const logfile = { path: 'xtrabackup_logfile', data: Buffer.alloc(512 * 1024) };
      for (let i = 0; i < logfile.data.length; i += 4)
        logfile.data.writeUInt32LE(Math.imul(i + 7, 2654435761) >>> 0, i);
      const files = buildBackup({ version: '5.7', dataBytes: 300 * 1024 }).map((f) =>
        f.path === logfile.path ? logfile : f,
      );
      await uploadBackup(s3, bucket, prefix, { layout, files, order: 'name' });
      const { report, errors, warnings } = await run(s3, inputFor('5.7', bucket, prefix, { mode: 'quick' }));
      expect({ errors, warnings }).toEqual({ errors: [], warnings: [] });
      expect(report).toMatchObject({ ok: true, backupType: 'full-backuped', serverVersion: '5.7.44-log' });
    },
  );

  // Packed by name, a plain tar ends with xtrabackup_logfile and keeps backup-my.cnf near its start, out of the
  // tail's reach: quick mode then hops the member headers from the start (once a false BACKUP_MY_CNF_MISSING).
  it.each(['tar', 'tar.gz', 'split-tar.gz'] as const)(
    'reads the metadata of the real XtraBackup 2.4 backup packed by name order in the %s layout',
    async (layout) => {
      const files = await loadRealXtrabackup24();
      if (!files) throw new Error('the real XtraBackup 2.4 backup (/work/shared/data/real-xtrabackup-2.4) is missing');
      const prefix = `real-by-name-${layout}/`;
      await uploadBackup(s3, bucket, prefix, { layout, files, order: 'name' });
      const input = inputFor('5.7', bucket, prefix, {
        mode: 'quick',
        sourceEngineVersion: '5.7.12',
        engineVersion: '5.7.mysql_aurora.2.11.2',
      });
      const { report, errors, warnings } = await run(s3, input);
      expect({ errors, warnings }).toEqual({ errors: [], warnings: ['PERCONA_SERVER_SOURCE'] });
      expect(report).toMatchObject({ ok: true, serverVersion: '5.7.12-5', toolVersion: '2.4.21' });
    },
  );

  it('finds backup-my.cnf in a plain tar where a large member follows it, beyond every tail window', async () => {
    const prefix = 'cnf-then-big/';
    const big = { path: 'shop/big.ibd', data: Buffer.alloc(70 * 1024 * 1024) };
    const built = buildBackup({ version: '5.7' });
    const cnf = built.find((f) => f.path === 'backup-my.cnf')!;
    // XtraBackup's order with backup-my.cnf moved late, then a 70 MiB member: the 64 MiB tail window misses it.
    const files = [...built.filter((f) => f !== cnf), cnf, big];
    await uploadBackup(s3, bucket, prefix, { layout: 'tar', files, order: 'given' });
    const { report, codes } = await run(s3, inputFor('5.7', bucket, prefix, { mode: 'quick' }));
    expect(codes).not.toContain('BACKUP_MY_CNF_MISSING');
    expect(report.ok).toBe(true);
    expect(codes).not.toContain('XTRABACKUP_INFO_MISSING');
  });

  it('still reports BACKUP_MY_CNF_MISSING when a plain tar has none', async () => {
    const prefix = 'no-cnf/';
    const files = buildBackup({ version: '5.7' }).filter((f) => f.path !== 'backup-my.cnf');
    await uploadBackup(s3, bucket, prefix, { layout: 'tar', files, order: 'name' });
    const { warnings } = await run(s3, inputFor('5.7', bucket, prefix, { mode: 'quick' }));
    expect(warnings).toContain('BACKUP_MY_CNF_MISSING');
  });
});
