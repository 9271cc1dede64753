import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { crc32c, pageCrc32 } from '../../activities/xtrabackup/innodb-checksum';
import { verifyPage } from '../../activities/xtrabackup/innodb-page';
import { createPageVerifier, isPagedTablespace } from '../../activities/xtrabackup/page-verifier';
import { findMysqld, type MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import { FSP_COMPRESSED, loadRealXtrabackup24, tablespaceBytes } from '../../scripts/fixtures';

const PAGE = 16384;

/** Files of a datadir a real mysqld initialised with `--innodb-checksum-algorithm=<algorithm>`. */
async function initialisedDatadir(major: MysqlMajor, algorithm: string, dir: string): Promise<Map<string, Buffer>> {
  const binary = findMysqld(major);
  if (!binary) throw new Error(`no mysqld ${major}: run scripts/bootstrap.sh`);
  const datadir = join(dir, `${major}-${algorithm}`);
  await promisify(execFile)(
    binary.mysqld,
    [
      '--no-defaults',
      '--initialize-insecure',
      `--basedir=${binary.basedir}`,
      `--datadir=${datadir}`,
      '--user=root',
      `--innodb-checksum-algorithm=${algorithm}`,
      `--log-error=${datadir}.err`,
    ],
    { env: { ...process.env, LD_LIBRARY_PATH: binary.libraryPath }, timeout: 120_000 },
  );
  const out = new Map<string, Buffer>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (isPagedTablespace(p.slice(datadir.length + 1))) out.set(p.slice(datadir.length + 1), readFileSync(p));
    }
  };
  walk(datadir);
  return out;
}

/** Runs the streaming verifier over files, in pieces of `piece` bytes. */
function verifyFiles(
  files: Map<string, Buffer>,
  piece = 1 << 20,
): ReturnType<ReturnType<typeof createPageVerifier>['end']> {
  const v = createPageVerifier();
  for (const [path, data] of files) {
    for (let at = 0; at < data.length; at += piece) v.add(path, at, data.subarray(at, at + piece));
  }
  return v.end();
}

function firstDataPage(data: Buffer): number {
  for (let p = 1; (p + 1) * PAGE <= data.length; p++) if (verifyPage(data, p * PAGE, PAGE).kind === 'valid') return p;
  throw new Error('no data page');
}

describe('InnoDB page checksums on pages real servers wrote', () => {
  const dir = mkdtempSync(join(tmpdir(), 'innodb-pages-'));
  const datadirs = new Map<string, Map<string, Buffer>>();
  beforeAll(async () => {
    const made = await Promise.all([
      initialisedDatadir('8.0', 'crc32', dir),
      initialisedDatadir('5.7', 'crc32', dir),
      initialisedDatadir('5.7', 'innodb', dir),
      initialisedDatadir('5.7', 'none', dir),
    ]);
    ['8.0 crc32', '5.7 crc32', '5.7 innodb', '5.7 none'].forEach((k, i) => datadirs.set(k, made[i]!));
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('computes CRC-32C as specified (the check value of "123456789")', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it.each([
    ['8.0 crc32', 'crc32'],
    ['5.7 crc32', 'crc32'],
    ['5.7 innodb', 'innodb'],
    ['5.7 none', 'none'],
  ] as const)('verifies every page of a MySQL %s datadir with the algorithm the server wrote', (key, algorithm) => {
    const summary = verifyFiles(datadirs.get(key)!);
    expect(summary.issues).toEqual([]);
    expect(summary.pagesChecked).toBeGreaterThan(300);
    expect(summary.algorithms[algorithm]).toBe(summary.pagesChecked);
    expect(summary.pagesEmpty).toBeGreaterThan(0);
  });

  it('verifies every page of the real XtraBackup 2.4 backup', async () => {
    const files = await loadRealXtrabackup24();
    if (!files) return console.warn('Skipped: the real 2.4 backup is not in this checkout.');
    const summary = verifyFiles(new Map(files.filter((f) => isPagedTablespace(f.path)).map((f) => [f.path, f.data])));
    expect(summary).toMatchObject({ issues: [], skipped: [] });
    expect(summary.algorithms.crc32).toBeGreaterThan(900);
  });

  it.each(['8.0 crc32', '5.7 innodb'])(
    'finds one flipped byte in a %s page, by file and page number, whatever the piece boundaries',
    (key) => {
      const files = datadirs.get(key)!;
      const path = [...files.keys()].find((p) => p.endsWith('.ibd'))!;
      const data = Buffer.from(files.get(path)!);
      const page = firstDataPage(data);
      data.writeUInt8(data.readUInt8(page * PAGE + 5000) ^ 0x04, page * PAGE + 5000);
      for (const piece of [PAGE, 1000, 1 << 20]) {
        const summary = verifyFiles(new Map([[path, data]]), piece);
        expect(summary.issues).toEqual([expect.objectContaining({ path, page, defect: 'checksum' })]);
        expect(summary.issues[0]?.what).toMatch(/match no InnoDB algorithm/);
      }
    },
  );

  it('finds a page whose trailer LSN disagrees with its header', () => {
    const files = datadirs.get('5.7 crc32')!;
    const data = Buffer.from(files.get('ibdata1')!);
    const page = firstDataPage(data);
    data.writeUInt32BE((data.readUInt32BE(page * PAGE + PAGE - 4) + 1) >>> 0, page * PAGE + PAGE - 4);
    const summary = verifyFiles(new Map([['ibdata1', data]]));
    expect(summary.issues).toEqual([expect.objectContaining({ path: 'ibdata1', page, defect: 'lsn' })]);
  });

  it('accepts the legacy big-endian CRC-32C variant: each aligned 8-byte word fed in reverse byte order', () => {
    const page = tablespaceBytes(PAGE, 7).subarray(0, PAGE);
    // The ranges [4, 26) and [38, PAGE - 8) start mid-word: bytes before the first aligned address go one by one.
    const legacy = pageCrc32(page, 0, PAGE, true);
    expect(legacy).not.toBe(pageCrc32(page, 0, PAGE));
    page.writeUInt32BE(legacy, 0);
    page.writeUInt32BE(legacy, PAGE - 8);
    expect(verifyPage(page, 0, PAGE)).toEqual({ kind: 'valid', algorithm: 'crc32-legacy-big-endian' });
    page.writeUInt8(page.readUInt8(100) ^ 1, 100);
    expect(verifyPage(page, 0, PAGE).kind).toBe('corrupt');
  });

  it('skips ROW_FORMAT=COMPRESSED tablespaces with the reason and reports a tablespace cut mid-page', () => {
    const compressed = tablespaceBytes(4 * PAGE, 3, FSP_COMPRESSED);
    const cut = tablespaceBytes(4 * PAGE, 4).subarray(0, 3 * PAGE + 100);
    const summary = verifyFiles(
      new Map([
        ['shop/zip.ibd', compressed],
        ['shop/cut.ibd', cut],
      ]),
    );
    expect(summary.skipped.map((x) => x.path)).toEqual(['shop/zip.ibd']);
    expect(summary.skipped[0]?.reason).toMatch(/ROW_FORMAT=COMPRESSED/);
    expect(summary.issues).toEqual([expect.objectContaining({ path: 'shop/cut.ibd', page: 3, defect: 'truncated' })]);
    expect(summary.pagesChecked).toBe(3);
  });
});
