import { loadRealXtrabackup24, uploadBackup, type BackupFile, type FixtureLayout } from '../../scripts/fixtures';
import { verifyPage } from '../../activities/xtrabackup/innodb-page';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-pages');
const PAGE = 16384;
const LAYOUTS: FixtureLayout[] = ['directory', 'xbstream', 'tar', 'tar.gz'];
const TABLE = 'mysql/innodb_table_stats.ibd';

const deep = (prefix: string): ReturnType<typeof inputFor> =>
  inputFor('5.7', bucket, prefix, {
    mode: 'deep',
    sourceEngineVersion: '5.7.12',
    engineVersion: '5.7.mysql_aurora.2.11.2',
  });

/** The real 2.4 backup with `edit` applied to a copy of one tablespace's bytes. */
function damaged(
  files: BackupFile[],
  edit: (data: Buffer, page: number) => void,
): { files: BackupFile[]; page: number } {
  let page = -1;
  const out = files.map((f) => {
    if (f.path !== TABLE) return f;
    const data = Buffer.from(f.data);
    for (page = 1; verifyPage(data, page * PAGE, PAGE).kind !== 'valid'; page++);
    edit(data, page);
    return { path: f.path, data };
  });
  return { files: out, page };
}

describe('deep validation checks every InnoDB page, on every layout (real 2.4 backup, real S3 server)', () => {
  let files: BackupFile[] | undefined;
  beforeAll(async () => {
    files = await loadRealXtrabackup24();
  });
  afterAll(() => s3.destroy());

  it.each(LAYOUTS)('passes the real backup in the %s layout and says how many pages it verified', async (layout) => {
    if (!files) return console.warn('Skipped: the real 2.4 backup is not in this checkout.');
    const uploaded = await uploadBackup(s3, bucket, `clean-${layout}/`, { layout, files });
    const { report, errors } = await run(s3, deep(`clean-${layout}/`));
    expect(errors).toEqual([]);
    expect(report.bytesVerified).toBe(uploaded.bytes);
    const checked = report.findings.find((f) => f.code === 'INNODB_PAGES_CHECKED');
    expect(checked?.message).toMatch(/^9\d\d InnoDB page\(s\) verified in \d+ tablespace file\(s\) \(9\d\d crc32\)/);
  });

  it.each(LAYOUTS)(
    'finds one byte flipped inside a page in the %s layout, naming the file and page',
    async (layout) => {
      if (!files) return console.warn('Skipped: the real 2.4 backup is not in this checkout.');
      const bad = damaged(files, (data, page) =>
        data.writeUInt8(data.readUInt8(page * PAGE + 200) ^ 0x10, page * PAGE + 200),
      );
      await uploadBackup(s3, bucket, `flip-${layout}/`, { layout, files: bad.files });
      const { report, errors } = await run(s3, deep(`flip-${layout}/`));
      // The byte was flipped before packing, so an xbstream's own CRC covers the damaged bytes: only the page check sees it.
      expect(errors).toEqual(['INNODB_PAGE_CORRUPT']);
      const f = report.findings.find((x) => x.code === 'INNODB_PAGE_CORRUPT')!;
      expect(f.message).toMatch(
        new RegExp(`^${TABLE} page ${bad.page}: the stored checksums .* match no InnoDB algorithm`),
      );
      expect(f.path).toMatch(new RegExp(`${TABLE}$`));
      expect(f.fix).toMatch(/take a new backup/);
      expect(report.ok).toBe(false);
    },
  );

  it('finds a page whose trailer LSN disagrees with its header', async () => {
    if (!files) return console.warn('Skipped: the real 2.4 backup is not in this checkout.');
    const bad = damaged(files, (data, page) => data.writeUInt32BE(0x12345678, page * PAGE + PAGE - 4));
    await uploadBackup(s3, bucket, 'lsn/', { layout: 'xbstream', files: bad.files });
    const { report, errors } = await run(s3, deep('lsn/'));
    expect(errors).toEqual(['INNODB_PAGE_LSN_MISMATCH']);
    expect(report.findings.find((x) => x.code === 'INNODB_PAGE_LSN_MISMATCH')?.message).toMatch(
      new RegExp(
        `^${TABLE} page ${bad.page}: the LSN in the FIL header ends in 0x[0-9a-f]{8} but the trailer says 0x12345678`,
      ),
    );
  });

  it('leaves pages alone in quick mode', async () => {
    if (!files) return console.warn('Skipped: the real 2.4 backup is not in this checkout.');
    const { codes } = await run(s3, { ...deep('flip-directory/'), mode: 'quick' });
    expect(codes).not.toContain('INNODB_PAGE_CORRUPT');
    expect(codes).not.toContain('INNODB_PAGES_CHECKED');
  });
});
