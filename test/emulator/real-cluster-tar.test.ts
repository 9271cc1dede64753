/**
 * The third layout the validator reads, a `.tar.gz` of the backup directory (as `tar -czf` packs it), is served
 * by a real cluster server too: the real 5.7 backup repacked, restored, and its tables digested on the endpoint;
 * and an emulator with no mysqld 5.7 keeps the same restore metadata-only and says why.
 */
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command, type RDSClient } from '@aws-sdk/client-rds';
import { createConnection } from 'mysql2/promise';
import type { BackupFile } from '../../scripts/fixtures/encode';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import {
  SAMPLE_SCHEMA,
  SAMPLE_TABLES,
  tableDigests,
  writeRealDataBackup,
  type RealDataBackup,
} from '../../scripts/fixtures/real-data';
import { uploadBackup } from '../../scripts/fixtures/upload';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../helpers/stack';
import { clusterEventMessages, settledStatus, startRealServerEmulator } from './real-cluster-fixture';

const PASSWORD = 'Tar-Passw0rd-57';

describe('a real MySQL 5.7 backup packed as one .tar.gz', () => {
  const source = useSourceMysql('5.7');
  const s3 = testS3Client();
  let backup: RealDataBackup;
  beforeAll(async () => {
    backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-tar'),
      targets: [{ layout: 'directory', prefix: 'dir/' }],
    });
    const files = await download(s3, backup.bucket, 'dir/');
    await uploadBackup(s3, backup.bucket, 'tgz/', { layout: 'tar.gz', files, order: 'name' });
  }, 240_000);
  afterAll(() => s3.destroy());

  function restore(rds: RDSClient, id: string) {
    return rds.send(
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
  }

  it('stays metadata-only, with an event naming the missing mysqld, when no mysqld 5.7 is installed', async () => {
    const saved = process.env.AURORA_MIGRATE_MYSQLD57_BIN;
    // An explicit path wins over the cache: one that does not exist means no mysqld 5.7 for this emulator.
    process.env.AURORA_MIGRATE_MYSQLD57_BIN = '/nonexistent/bin/mysqld';
    const emulator = await startRealServerEmulator().finally(() => {
      if (saved === undefined) delete process.env.AURORA_MIGRATE_MYSQLD57_BIN;
      else process.env.AURORA_MIGRATE_MYSQLD57_BIN = saved;
    });
    const rds = testRdsClient(emulator.endpoint);
    try {
      const id = uniqueName('no57');
      await restore(rds, id);
      expect(await settledStatus(rds, id)).toBe('available');
      expect(await clusterEventMessages(rds, id)).toContainEqual(
        expect.stringMatching(
          /serves no data: no mysqld 5\.7 is installed \(run scripts\/bootstrap\.sh, or set AURORA_MIGRATE_MYSQLD57_BIN\)/,
        ),
      );
    } finally {
      rds.destroy();
      await emulator.close();
    }
  });

  it('is served by a real mysqld with the same rows, checksums and row digests', async () => {
    const emulator = await startRealServerEmulator();
    const rds = testRdsClient(emulator.endpoint);
    try {
      const id = uniqueName('tar');
      await restore(rds, id);
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
  }, 120_000);
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
