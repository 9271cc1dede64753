/**
 * The third layout the validator reads, a `.tar.gz` of the backup directory (as `tar -czf` packs it), is served
 * by a real cluster server too: the real 5.7 backup repacked, restored, and its tables digested on the endpoint.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { createConnection } from 'mysql2/promise';
import type { BackupFile } from '../../scripts/fixtures/encode';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { SAMPLE_SCHEMA, SAMPLE_TABLES, tableDigests, writeRealDataBackup } from '../../scripts/fixtures/real-data';
import { uploadBackup } from '../../scripts/fixtures/upload';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../helpers/stack';
import { settledStatus, startRealServerEmulator } from './real-cluster-fixture';

const PASSWORD = 'Tar-Passw0rd-57';

describe('a real MySQL 5.7 backup packed as one .tar.gz', () => {
  const source = useSourceMysql('5.7');
  const s3 = testS3Client();
  afterAll(() => s3.destroy());

  it('is served by a real mysqld with the same rows, checksums and row digests', async () => {
    const backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-tar'),
      targets: [{ layout: 'directory', prefix: 'dir/' }],
    });
    const files = await download(s3, backup.bucket, 'dir/');
    await uploadBackup(s3, backup.bucket, 'tgz/', { layout: 'tar.gz', files, order: 'name' });
    const emulator = await startRealServerEmulator();
    const rds = testRdsClient(emulator.endpoint);
    try {
      const id = uniqueName('tar');
      await rds.send(
        new RestoreDBClusterFromS3Command({
          DBClusterIdentifier: id,
          Engine: 'aurora-mysql',
          EngineVersion: '5.7.mysql_aurora.2.12.0',
          MasterUsername: 'admin',
          MasterUserPassword: PASSWORD,
          SourceEngine: 'mysql',
          SourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
          S3BucketName: backup.bucket,
          S3Prefix: 'tgz',
          S3IngestionRoleArn: SAMPLE_ROLE_ARN,
        }),
      );
      expect(await settledStatus(rds, id)).toBe('available');
      const cluster = (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];
      const connection = await createConnection({
        host: cluster?.Endpoint,
        port: cluster?.Port,
        user: 'admin',
        password: PASSWORD,
        charset: 'utf8mb4',
      });
      try {
        const digests = await tableDigests(
          connection,
          SAMPLE_TABLES.map((t) => `${SAMPLE_SCHEMA}.${t}`),
        );
        expect(digests).toEqual(backup.tables);
      } finally {
        await connection.end();
      }
    } finally {
      rds.destroy();
      await emulator.close();
    }
  }, 300_000);
});

/** Every object under the prefix, as backup files (paths relative to it). */
async function download(s3: S3Client, bucket: string, prefix: string): Promise<BackupFile[]> {
  const out: BackupFile[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      out.push({ path: o.Key!.slice(prefix.length), data: Buffer.from(await got.Body!.transformToByteArray()) });
    }
    token = page.NextContinuationToken;
  } while (token);
  return out;
}
