import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { EmulatorControl } from '../../emulator/control-client';
import { testS3Client, uniqueName } from '../helpers/stack';
import { caught, restoreInput, waitFor } from './fixture';
import { useTestEmulator } from './use-emulator';

const env = useTestEmulator();
const MiB = 1024 * 1024;

const describe1 = async (id: string) =>
  (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0];

/** Puts a backup of about `mib` MiB under its own prefix of the seeded bucket and returns that prefix. */
async function backupOfSize(mib: number): Promise<string> {
  const prefix = `${uniqueName('sized')}/`;
  const s3 = testS3Client();
  try {
    await s3.send(
      new PutObjectCommand({
        Bucket: env.seeded.bucket,
        Key: `${prefix}backup.xbstream`,
        Body: Buffer.alloc(mib * MiB, 7),
      }),
    );
  } finally {
    s3.destroy();
  }
  return prefix;
}

/** Restores from `prefix` and returns how long (ms) the cluster took to become available. */
async function timeToAvailable(prefix: string): Promise<number> {
  const id = uniqueName('size');
  const started = Date.now();
  await env.rds.send(
    new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: id, S3Prefix: prefix })),
  );
  await waitFor(
    () => describe1(id),
    (c) => c?.Status === 'available',
    30_000,
  );
  return Date.now() - started;
}

describe('restore duration and PercentProgress', () => {
  const control = () => new EmulatorControl(env.emulator.endpoint);
  afterEach(async () => {
    await control().setTimings({ restoreMiBPerSecond: 0, reportPercentProgress: 1 });
  });

  it('makes a restore last longer the bigger the backup, at the configured MiB per second', async () => {
    await control().setTimings({ restoreMiBPerSecond: 8 });
    const [small, large] = [await backupOfSize(1), await backupOfSize(24)];
    const smallMs = await timeToAvailable(small);
    const largeMs = await timeToAvailable(large);
    // 23 MiB more at 8 MiB/s is about 2.9 s more; the fixed phases are under a second.
    expect(largeMs - smallMs).toBeGreaterThan(2_400);
    expect(largeMs - smallMs).toBeLessThan(5_000);
  });

  it('leaves PercentProgress out of a migrating cluster when told to, and reports it rising otherwise', async () => {
    await control().setTimings({ clusterMigratingMs: 3000, reportPercentProgress: 0 });
    const silent = uniqueName('nopct');
    await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: silent })));
    const migrating = await waitFor(
      () => describe1(silent),
      (c) => c?.Status === 'migrating',
    );
    expect(migrating?.PercentProgress).toBeUndefined();

    await control().setTimings({ reportPercentProgress: 1 });
    const loud = uniqueName('pct');
    await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: loud })));
    const reporting = await waitFor(
      () => describe1(loud),
      (c) => c?.Status === 'migrating' && Number(c.PercentProgress) > 0,
    );
    expect(Number(reporting?.PercentProgress)).toBeLessThan(100);
    await control().setTimings({ clusterMigratingMs: 500 });
  });

  it('refuses a timing that is not 0 or 1 for reportPercentProgress, naming it', async () => {
    await expect(control().setTimings({ reportPercentProgress: 2 })).rejects.toThrow(/reportPercentProgress must be 1/);
  });
});

describe('DescribeDBClusters filters', () => {
  it('returns exactly the clusters named by a db-cluster-id filter of up to 100 values', async () => {
    const ids = [uniqueName('f'), uniqueName('f'), uniqueName('f')];
    for (const id of ids) {
      await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: id })));
    }
    const values = [ids[0]!, ids[2]!, ...Array.from({ length: 98 }, (_, i) => `absent-${i}`)];
    const found = await env.rds.send(
      new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: values }] }),
    );
    expect((found.DBClusters ?? []).map((c) => c.DBClusterIdentifier).sort()).toEqual([ids[0], ids[2]].sort());
  });

  it('refuses a filter of more than 100 values with InvalidParameterValue', async () => {
    const values = Array.from({ length: 101 }, (_, i) => `c-${i}`);
    const err = await caught(() =>
      env.rds.send(new DescribeDBClustersCommand({ Filters: [{ Name: 'db-cluster-id', Values: values }] })),
    );
    expect(err).toMatchObject({ name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } });
    expect(err.message).toMatch(/at most 100 values/);
  });
});
