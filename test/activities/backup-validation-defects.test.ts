import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ValidateBackupInput } from '../../activities/backup-validation';
import {
  buildBackup,
  encodeTar,
  encodeXbstream,
  ensureBucket,
  FSP_COMPRESSED,
  FSP_ENCRYPTED,
  uploadBackup,
  type UploadOptions,
} from '../../scripts/fixtures';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-defects');

/** One defect: how to put it in S3 and the code the validator must report. */
interface DefectCase {
  code: string;
  severity?: 'error' | 'warning';
  version?: '5.7' | '8.0';
  upload?: Partial<UploadOptions>;
  /** Custom upload instead of `upload` (several backups, raw objects). */
  setup?: (s3: S3Client, prefix: string) => Promise<void>;
  input?: Partial<ValidateBackupInput>;
}

const put = (key: string, body: Buffer | string) =>
  s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const flipAt = (offset: number) => (b: Buffer) => {
  const c = Buffer.from(b);
  c[offset] = (c[offset] ?? 0) ^ 0x40;
  return c;
};

const cases: Record<string, DefectCase> = {
  'an empty prefix': { code: 'PREFIX_EMPTY', setup: async () => ensureBucket(s3, bucket) },
  'xbcloud chunk objects': {
    code: 'XBCLOUD_LAYOUT',
    setup: async (_, p) => {
      await put(
        `${p}full/xtrabackup_info.00000000000000000000`,
        encodeXbstream([{ path: 'xtrabackup_info', data: Buffer.from('x') }]),
      );
      await put(`${p}full/ibdata1.00000000000000000000`, encodeXbstream([{ path: 'ibdata1', data: Buffer.from('x') }]));
    },
  },
  'two streams with different names': {
    code: 'MULTIPLE_BACKUPS',
    upload: {
      layout: 'xbstream',
      extraObjects: [{ key: 'other.xbstream', body: encodeXbstream(buildBackup({ version: '8.0' })) }],
    },
  },
  'two full backups in sub-folders': {
    code: 'MULTIPLE_BACKUPS',
    setup: async (_, p) => {
      await uploadBackup(s3, bucket, `${p}a/`, { version: '8.0', layout: 'directory' });
      await uploadBackup(s3, bucket, `${p}b/`, { version: '8.0', layout: 'directory' });
    },
  },
  'a stray object next to the backup': {
    code: 'STRAY_OBJECT',
    upload: { layout: 'directory', extraObjects: [{ key: 'notes.txt', body: Buffer.from('hi') }] },
  },
  'a stream with loose files beside it': {
    code: 'MIXED_LAYOUT',
    upload: { layout: 'xbstream', extraObjects: [{ key: 'mysql/user.frm', body: Buffer.alloc(10) }] },
  },
  'a zip archive': {
    code: 'UNSUPPORTED_CONTAINER',
    setup: async (_, p) => void (await put(`${p}backup.zip`, Buffer.from('PK\u0003\u0004'))),
  },
  'a gzipped xbstream': {
    code: 'UNSUPPORTED_CONTAINER',
    setup: async (_, p) => void (await put(`${p}backup.xbstream.gz`, Buffer.from([0x1f, 0x8b]))),
  },
  'a missing split part': {
    code: 'SPLIT_PART_GAP',
    setup: async (_, p) => {
      const stream = encodeXbstream(buildBackup({ version: '8.0' }));
      const third = Math.ceil(stream.length / 3);
      await put(`${p}backup.xbstream.00`, stream.subarray(0, third));
      await put(`${p}backup.xbstream.02`, stream.subarray(2 * third));
    },
  },
  'a tar named .xbstream': {
    code: 'CONTAINER_MAGIC_MISMATCH',
    setup: async (_, p) => void (await put(`${p}backup.xbstream`, encodeTar(buildBackup({ version: '8.0' })))),
  },
  'a .tar.gz that is not gzip': {
    code: 'CONTAINER_MAGIC_MISMATCH',
    version: '5.7',
    setup: async (_, p) => void (await put(`${p}backup.tar.gz`, encodeTar(buildBackup({ version: '5.7' })))),
  },
  'an xbstream nested in a tar.gz': {
    code: 'NESTED_ARCHIVE',
    version: '5.7',
    upload: {
      layout: 'tar.gz',
      version: '5.7',
      extraFiles: [{ path: 'inner.xbstream', data: Buffer.from('XBSTCK01') }],
    },
  },
  'a MySQL 8.0 backup in a tar stream': { code: 'TAR_STREAM_FOR_MYSQL80', upload: { layout: 'tar' } },
  'a bucket in another Region than the cluster': {
    code: 'BUCKET_REGION_MISMATCH',
    upload: { layout: 'directory' },
    input: { region: 'eu-west-1' },
  },
  'a prefix without a trailing slash that matches two folders': {
    code: 'PREFIX_AMBIGUOUS',
    severity: 'warning',
    setup: async (_, p) => {
      await uploadBackup(s3, bucket, `${p}b1/`, { version: '8.0', layout: 'directory' });
      await uploadBackup(s3, bucket, `${p}b10/`, { version: '8.0', layout: 'directory' });
    },
    input: {},
  },
  'a missing xtrabackup_checkpoints': {
    code: 'CHECKPOINTS_MISSING',
    upload: { layout: 'directory', omit: ['xtrabackup_checkpoints'] },
  },
  'an unreadable xtrabackup_checkpoints': {
    code: 'CHECKPOINTS_INVALID',
    upload: { layout: 'directory', checkpoints: { backup_type: 'compact' } },
  },
  'a missing xtrabackup_info': {
    code: 'XTRABACKUP_INFO_MISSING',
    upload: { layout: 'xbstream', omit: ['xtrabackup_info'] },
  },
  'a missing backup-my.cnf': {
    code: 'BACKUP_MY_CNF_MISSING',
    severity: 'warning',
    upload: { layout: 'directory', omit: ['backup-my.cnf'] },
  },
  'a missing xtrabackup_logfile': {
    code: 'XTRABACKUP_LOGFILE_MISSING',
    upload: { layout: 'directory', omit: ['xtrabackup_logfile'] },
  },
  'a missing ibdata1': { code: 'IBDATA1_MISSING', upload: { layout: 'directory', omit: ['ibdata1'] } },
  'a missing mysql schema': {
    code: 'MYSQL_SCHEMA_MISSING',
    version: '5.7',
    upload: { layout: 'directory', version: '5.7', omit: ['mysql/'] },
  },
  'a MariaDB backup': {
    code: 'MARIADB_SOURCE',
    upload: {
      layout: 'xbstream',
      serverVersion: '10.6.16-MariaDB-log',
      toolName: 'mariabackup',
      toolVersion: '10.6.16-MariaDB',
    },
  },
  'a MySQL 8.4 source': {
    code: 'SOURCE_VERSION_TOO_NEW',
    upload: { layout: 'directory', serverVersion: '8.4.3', toolVersion: '8.4.0-1' },
    input: { sourceEngineVersion: '8.4.3' },
  },
  'a MySQL 5.6 source': {
    code: 'SOURCE_VERSION_TOO_OLD',
    version: '5.7',
    upload: { layout: 'directory', version: '5.7', serverVersion: '5.6.51-log' },
  },
  'a server_version that is not a version': {
    code: 'SERVER_VERSION_UNKNOWN',
    upload: { layout: 'directory', info: { server_version: 'unknown' } },
  },
  'a Percona Server source': {
    code: 'PERCONA_SERVER_SOURCE',
    severity: 'warning',
    upload: { layout: 'directory', serverVersion: '8.0.35-27' },
  },
  'a SourceEngineVersion of another major': {
    code: 'SOURCE_ENGINE_VERSION_MISMATCH',
    upload: { layout: 'directory' },
    input: { sourceEngineVersion: '5.7.44' },
  },
  'a SourceEngineVersion of another minor': {
    code: 'SOURCE_ENGINE_MINOR_MISMATCH',
    upload: { layout: 'directory' },
    input: { sourceEngineVersion: '8.0.28' },
  },
  'an Aurora target of another major': {
    code: 'TARGET_ENGINE_MAJOR_MISMATCH',
    upload: { layout: 'directory' },
    input: { engineVersion: '5.7.mysql_aurora.2.12.0' },
  },
  'an Aurora target older than the source minor': {
    code: 'TARGET_ENGINE_TOO_OLD',
    upload: { layout: 'directory' },
    input: { engineVersion: '8.0.mysql_aurora.3.04.0' },
  },
  'an unknown Aurora target': {
    code: 'TARGET_ENGINE_UNKNOWN',
    severity: 'warning',
    upload: { layout: 'directory' },
    input: { engineVersion: '8.0.mysql_aurora.3.99.0' },
  },
  'XtraBackup 8.0 on a MySQL 5.7 source': {
    code: 'TOOL_VERSION_MISMATCH',
    version: '5.7',
    upload: { layout: 'directory', version: '5.7', toolVersion: '8.0.35-31' },
  },
  'XtraBackup older than the 8.0 server': {
    code: 'TOOL_OLDER_THAN_SERVER',
    upload: { layout: 'directory', toolVersion: '8.0.27-19' },
  },
  'a lone incremental': {
    code: 'INCREMENTAL_WITHOUT_FULL',
    upload: { layout: 'directory', backupType: 'incremental' },
  },
  'an incremental chain with a gap': {
    code: 'INCREMENTAL_CHAIN_BROKEN',
    setup: async (_, p) => {
      await uploadBackup(s3, bucket, `${p}full/`, { version: '8.0', layout: 'directory', toLsn: 1000n });
      await uploadBackup(s3, bucket, `${p}inc2/`, {
        version: '8.0',
        layout: 'directory',
        backupType: 'incremental',
        fromLsn: 2000n,
        toLsn: 3000n,
      });
    },
  },
  'incrementals on a fully prepared base': {
    code: 'INCREMENTAL_BASE_PREPARED',
    setup: async (_, p) => {
      await uploadBackup(s3, bucket, `${p}full/`, {
        version: '8.0',
        layout: 'directory',
        backupType: 'full-prepared',
        toLsn: 1000n,
      });
      await uploadBackup(s3, bucket, `${p}inc1/`, {
        version: '8.0',
        layout: 'directory',
        backupType: 'incremental',
        fromLsn: 1000n,
        toLsn: 2000n,
      });
    },
  },
  'a partial backup': { code: 'PARTIAL_BACKUP', upload: { layout: 'xbstream', info: { partial: 'Y' } } },
  'a prepared backup': {
    code: 'BACKUP_PREPARED',
    severity: 'warning',
    upload: { layout: 'directory', backupType: 'full-prepared', omit: ['xtrabackup_logfile'] },
  },
  'a compact backup': {
    code: 'COMPACT_BACKUP',
    version: '5.7',
    upload: { layout: 'directory', version: '5.7', checkpoints: { compact: '1' }, info: { compact: 'Y' } },
  },
  'compressed = compressed in xtrabackup_info': {
    code: 'XTRABACKUP_COMPRESSED',
    upload: { layout: 'xbstream', info: { compressed: 'compressed' } },
  },
  'qpress-compressed files': {
    code: 'XTRABACKUP_COMPRESSED',
    upload: { layout: 'directory', extraFiles: [{ path: 'shop/items.ibd.qp', data: Buffer.from('qpress10') }] },
  },
  'an XtraBackup-encrypted backup': {
    code: 'XTRABACKUP_ENCRYPTED',
    upload: {
      layout: 'directory',
      info: { encrypted: 'Y' },
      extraFiles: [{ path: 'shop/items.ibd.xbcrypt', data: Buffer.from('XBCRYP03') }],
    },
  },
  'a 64 KiB innodb_page_size': {
    code: 'INNODB_PAGE_SIZE_UNSUPPORTED',
    upload: { layout: 'directory', cnf: { innodb_page_size: '65536' } },
  },
  'two system data files': {
    code: 'INNODB_DATA_FILE_PATH_UNSUPPORTED',
    upload: { layout: 'xbstream', cnf: { innodb_data_file_path: 'ibdata1:50M;ibdata2:50M:autoextend' } },
  },
  'three redo log files': {
    code: 'INNODB_LOG_FILES_IN_GROUP_UNSUPPORTED',
    version: '5.7',
    upload: { layout: 'tar', version: '5.7', cnf: { innodb_log_files_in_group: '3' } },
  },
  'an encrypted redo log': {
    code: 'SOURCE_ENCRYPTED',
    upload: { layout: 'directory', cnf: { innodb_redo_log_encrypt: 'ON' } },
  },
  'a tablespace outside the data directory': {
    code: 'EXTERNAL_TABLESPACE',
    upload: {
      layout: 'split-xbstream',
      tablespacesJson:
        '{"version":2,"external_tablespaces":[{"file_name":"/data2/shop/big.ibd","tablespace_name":"shop/big","tablespace_type":"TABLESPACE"}]}',
    },
  },
  'a user MyISAM table': {
    code: 'MYISAM_TABLES',
    severity: 'warning',
    version: '5.7',
    upload: { layout: 'directory', version: '5.7', extraFiles: [{ path: 'shop/log.MYD', data: Buffer.alloc(10) }] },
  },
  'a stream cut in the middle (quick)': {
    code: 'CHECKPOINTS_MISSING',
    upload: { layout: 'xbstream', damage: (b) => b.subarray(0, b.length - 300) },
  },
  'a ROW_FORMAT=COMPRESSED table (deep)': {
    code: 'COMPRESSED_TABLE',
    upload: { layout: 'directory', tablespaceFlags: { 'shop/orders.ibd': FSP_COMPRESSED } },
    input: { mode: 'deep' },
  },
  'an encrypted tablespace (deep)': {
    code: 'ENCRYPTED_TABLESPACE',
    upload: { layout: 'xbstream', tablespaceFlags: { 'shop/orders.ibd': FSP_ENCRYPTED } },
    input: { mode: 'deep' },
  },
  'a page-compressed table streamed sparse (deep)': {
    code: 'XBSTREAM_SPARSE_CHUNK',
    upload: { layout: 'xbstream', xbstream: { sparsePaths: ['shop/orders.ibd'] } },
    input: { mode: 'deep' },
  },
  'a single flipped byte in an xbstream (deep)': {
    code: 'XBSTREAM_CRC_MISMATCH',
    upload: { layout: 'split-xbstream', damage: flipAt(5000) },
    input: { mode: 'deep' },
  },
  'a truncated xbstream (deep)': {
    code: 'XBSTREAM_TRUNCATED',
    upload: { layout: 'xbstream', damage: (b) => b.subarray(0, b.length - 300) },
    input: { mode: 'deep' },
  },
  'a file without its end chunk (deep)': {
    code: 'XBSTREAM_FILE_NOT_CLOSED',
    upload: { layout: 'xbstream', xbstream: { unclosedPaths: ['shop/orders.ibd'] } },
    input: { mode: 'deep' },
  },
  'a damaged chunk header (deep)': {
    code: 'XBSTREAM_BAD_MAGIC',
    upload: { layout: 'xbstream', damage: flipAt(0) },
    input: { mode: 'deep' },
  },
  'a damaged tar header (deep)': {
    code: 'TAR_BAD_CHECKSUM',
    version: '5.7',
    upload: { layout: 'tar', version: '5.7', damage: flipAt(3) },
    input: { mode: 'deep' },
  },
  'a truncated tar (deep)': {
    code: 'TAR_TRUNCATED',
    version: '5.7',
    upload: { layout: 'tar', version: '5.7', damage: (b) => b.subarray(0, 70_000) },
    input: { mode: 'deep' },
  },
  'a corrupt gzip stream (deep)': {
    code: 'GZIP_CORRUPT',
    version: '5.7',
    upload: { layout: 'tar.gz', version: '5.7', damage: flipAt(2000) },
    input: { mode: 'deep' },
  },
  'a truncated gzip stream (deep)': {
    code: 'GZIP_CORRUPT',
    version: '5.7',
    upload: { layout: 'split-tar.gz', version: '5.7', damage: (b) => b.subarray(0, b.length - 50) },
    input: { mode: 'deep' },
  },
};

describe('validateBackup on defective backups (real S3 server)', () => {
  afterAll(() => s3.destroy());

  it.each(Object.entries(cases))('reports %s with its code', async (name, c) => {
    const prefix = `${name.replace(/[^a-z0-9]+/gi, '-')}/`;
    const version = c.version ?? '8.0';
    if (c.setup) await c.setup(s3, prefix);
    else await uploadBackup(s3, bucket, prefix, { version, layout: 'directory', ...c.upload });
    const input = inputFor(
      version,
      bucket,
      c.code === 'PREFIX_AMBIGUOUS' ? prefix.replace(/\/$/, '/b1') : prefix,
      c.input,
    );
    const { report, codes } = await run(s3, input);
    const hit = report.findings.find((f) => f.code === c.code);
    expect({ codes, hit: hit?.severity }).toEqual({
      codes: expect.arrayContaining([c.code]) as unknown,
      hit: c.severity ?? 'error',
    });
    expect(hit?.message.length).toBeGreaterThan(10);
    expect(hit?.fix.length).toBeGreaterThan(10);
    expect(report.ok).toBe(
      (c.severity ?? 'error') !== 'error' ? report.findings.every((f) => f.severity !== 'error') : false,
    );
  });

  it('has at least 35 defect cases', () => {
    expect(Object.keys(cases).length).toBeGreaterThanOrEqual(35);
  });
});
