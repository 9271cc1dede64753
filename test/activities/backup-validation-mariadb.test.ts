import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { uploadBackup } from '../../scripts/fixtures';
import { testS3Client, uniqueName } from '../helpers/stack';
import { inputFor, run } from './validation-helpers';

const s3 = testS3Client();
const bucket = uniqueName('validator-mariadb');

// A real stream made on this machine by Debian's mariadb-backup 10.11 (`--backup --stream=xbstream`) from a
// throw-away MariaDB 10.11.19 server with one InnoDB table: real xbstream bytes and real MariaDB metadata.
const stream = gunzipSync(readFileSync(join(__dirname, '..', 'fixtures', 'mariadb-10.11.xbstream.gz')));

describe('validateBackup on a real mariadb-backup stream (real S3 server)', () => {
  afterAll(() => s3.destroy());

  it('parses every chunk and CRC of the real stream and rejects it as MariaDB, quick and deep', async () => {
    await uploadBackup(s3, bucket, 'maria/', {
      layout: 'directory',
      files: [],
      extraObjects: [{ key: 'backup.xbstream', body: stream }],
    });
    for (const mode of ['quick', 'deep'] as const) {
      const { report, errors } = await run(
        s3,
        inputFor('8.0', bucket, 'maria/', { mode, sourceEngineVersion: '10.11' }),
      );
      expect(errors).toContain('MARIADB_SOURCE');
      expect(report.serverVersion).toMatch(/MariaDB/);
      expect(errors.filter((c) => c.startsWith('XBSTREAM_'))).toEqual([]);
      if (mode === 'deep') expect(report.bytesVerified).toBe(stream.length);
    }
  });
});
