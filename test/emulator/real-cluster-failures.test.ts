/**
 * A backup a real cluster server cannot serve never looks like a success: one mysqld refuses ends the cluster
 * migration-failed with mysqld's own error line and the likely fix; one only XtraBackup could prepare stays
 * metadata-only, and its event says why no data is served.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { RestoreDBClusterFromS3Command, DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { EmulatorControl } from '../../emulator/control-client';
import type { RunningEmulator } from '../../emulator/server';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { writeRealDataBackup, type RealDataBackup } from '../../scripts/fixtures/real-data';
import { useSourceMysql } from '../helpers/source-mysql';
import { testRdsClient, testS3Client, uniqueName } from '../helpers/stack';
import { clusterEventMessages, settledStatus, startRealServerEmulator } from './real-cluster-fixture';

describe('a real-data backup the cluster server cannot serve', () => {
  const source = useSourceMysql('8.0');
  const s3 = testS3Client();
  let emulator: RunningEmulator;
  let rds: RDSClient;
  let backup: RealDataBackup;

  beforeAll(async () => {
    emulator = await startRealServerEmulator();
    rds = testRdsClient(emulator.endpoint);
    backup = await writeRealDataBackup({
      source: source(),
      s3,
      bucket: uniqueName('real-cluster-bad'),
      targets: [
        { layout: 'directory', prefix: 'page-size/' },
        { layout: 'directory', prefix: 'unprepared/' },
      ],
    });
    // backup-my.cnf claims 4 KiB pages for 16 KiB data files: mysqld refuses them.
    const key = 'page-size/backup-my.cnf';
    const cnf = await objectText(s3, backup.bucket, key);
    const body = cnf.replace(/^innodb_page_size=.*$/m, 'innodb_page_size=4096');
    expect(body).not.toBe(cnf);
    await s3.send(new PutObjectCommand({ Bucket: backup.bucket, Key: key, Body: body }));
    // Without its redo log the copy is what `xtrabackup --backup` leaves before --prepare.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: backup.bucket, Prefix: 'unprepared/ib_logfile' }));
    expect(listed.Contents?.length).toBeGreaterThan(0);
    for (const o of listed.Contents ?? [])
      await s3.send(new DeleteObjectCommand({ Bucket: backup.bucket, Key: o.Key }));
  }, 240_000);

  afterAll(async () => {
    rds?.destroy();
    s3.destroy();
    await emulator?.close();
  }, 60_000);

  async function restore(prefix: string): Promise<string> {
    const id = uniqueName('bad');
    await rds.send(
      new RestoreDBClusterFromS3Command({
        DBClusterIdentifier: id,
        Engine: 'aurora-mysql',
        EngineVersion: '8.0.mysql_aurora.3.04.0',
        MasterUsername: 'admin',
        MasterUserPassword: 'a-Secret-Passw0rd',
        SourceEngine: 'mysql',
        SourceEngineVersion: backup.serverVersion,
        S3BucketName: backup.bucket,
        S3Prefix: prefix,
        S3IngestionRoleArn: SAMPLE_ROLE_ARN,
      }),
    );
    return id;
  }

  it("ends migration-failed with mysqld's own error line and the likely fix, and leaves no mysqld", async () => {
    const id = await restore('page-size');
    expect(await settledStatus(rds, id)).toBe('migration-failed');
    const failure = (await clusterEventMessages(rds, id)).find((m) => m.startsWith('Failed to migrate'));
    expect(failure).toMatch(
      /^Failed to migrate from mysql-8\.0 to aurora-mysql\. Reason: mysqld refused the restored data: /,
    );
    expect(failure).toMatch(/\[ERROR\].*page size/i);
    expect(failure).toContain("likely fix: backup-my.cnf's innodb_page_size must be the page size of the data files");
    expect((await new EmulatorControl(emulator.endpoint).clusterServers()).servers).toEqual([]);
  });

  it('stays metadata-only when its redo must first be applied by XtraBackup, and its event says why', async () => {
    const id = await restore('unprepared');
    expect(await settledStatus(rds, id)).toBe('available');
    const messages = await clusterEventMessages(rds, id);
    expect(messages).toContainEqual(
      expect.stringMatching(/serves no data: the backup is unprepared .*xtrabackup --prepare/),
    );
    expect(messages.some((m) => m.startsWith('Recovered from Binary log'))).toBe(false);
    const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    expect(out.DBClusters?.[0]?.Endpoint).toMatch(/\.cluster-[a-z0-9]+\.us-east-1\.rds\.amazonaws\.com$/);
    expect((await new EmulatorControl(emulator.endpoint).clusterServers()).servers).toEqual([]);
  });
});

async function objectText(s3: S3Client, bucket: string, key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf8')) ?? '';
}
