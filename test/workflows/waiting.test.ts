import { EmulatorControl } from '../../emulator/control-client';
import { startEmulator, type RunningEmulator } from '../../emulator/server';
import { FailureTypes } from '../../workflows/errors';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress, RdsEventSignal } from '../../workflows/types';
import {
  addEmulatorRule,
  emulatorCallLog,
  failureOf,
  emulatorInventory,
  sampleSpec,
  startMigration,
  startTestWorker,
  uploadDirectoryBackup,
  type TestWorker,
} from '../helpers/migration';
import { useTestWorker } from '../helpers/use-test-worker';
import { testStack } from '../helpers/stack';

describe('waiting for the cluster and instances', () => {
  const tw = useTestWorker();

  test.each([
    ['incompatible-restore', /Failed to migrate|incompatible|backup/i],
    ['failed', /S3|credentials|bucket/i],
    ['inaccessible-encryption-credentials', /KMS|key/i],
  ])('a cluster that ends %s fails at once with the status, the AWS events and a fix', async (status, advice) => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    await addEmulatorRule({ match: { clusterId: spec.restore.DBClusterIdentifier }, outcome: { finalStatus: status } });
    const failure = await failureOf((await startMigration(tw, spec)).result());

    expect(failure.type).toBe(FailureTypes.ClusterFailed);
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(`reached status ${status}`);
    expect(failure.message).toMatch(/AWS events: .*"/);
    expect(failure.message.split('Likely fix:')[1]).toMatch(advice);
  });

  test('IAM propagation errors are retried until RDS can read the bucket, then the migration completes', async () => {
    const spec = sampleSpec(await uploadDirectoryBackup({ version: '5.7' }));
    await addEmulatorRule({
      match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
      fault: {
        type: 'error',
        code: 'InvalidParameterValue',
        httpStatus: 400,
        message:
          'Files from the specified Amazon S3 bucket cannot be downloaded. Make sure that you have created an AWS Identity and Access Management (IAM) role that lets Amazon RDS access Amazon S3 for you.',
        count: 2,
      },
    });
    const handle = await startMigration(tw, spec);
    const result = await handle.result();

    expect(result.cluster.Status).toBe('available');
    const progress = await handle.query<MigrationProgress>(Messages.progressQuery);
    expect(progress.retries).toBeGreaterThanOrEqual(2);
  });

  test('IAM propagation errors that outlast the window fail with advice naming the role and bucket', async () => {
    const spec = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '5.7' })),
      options: { propagationRetryWindow: '3s' },
    });
    await addEmulatorRule({
      match: { action: 'RestoreDBClusterFromS3', clusterId: spec.restore.DBClusterIdentifier },
      fault: { type: 'error', code: 'InvalidParameterValue', httpStatus: 400, message: 'S3_SNAPSHOT_INGESTION failed' },
    });
    const failure = await failureOf((await startMigration(tw, spec)).result());

    expect(failure.type).toBe(FailureTypes.IamPropagationExpired);
    expect(failure.message).toContain('S3IngestionRoleArn');
    expect(failure.message).toContain('iam:PassRole');
  });

  test('a throttling storm on every call slows the migration but it completes with one cluster', async () => {
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), readers: 1 });
    await addEmulatorRule({
      match: { clusterId: spec.restore.DBClusterIdentifier },
      fault: { type: 'throttle', probability: 0.5, count: 30 },
    });
    for (const instance of spec.instances) {
      await addEmulatorRule({
        match: { instanceId: instance.DBInstanceIdentifier },
        fault: { type: 'throttle', probability: 0.5, count: 15 },
      });
    }
    const result = await (await startMigration(tw, spec)).result();

    expect(result.instances).toHaveLength(2);
    const throttled = [
      ...(await emulatorCallLog('RestoreDBClusterFromS3')),
      ...(await emulatorCallLog('DescribeDBClusters')),
      ...(await emulatorCallLog('CreateDBInstance')),
    ].filter((c) => c.clusterId === spec.restore.DBClusterIdentifier && c.fault === 'throttle');
    expect(throttled.length).toBeGreaterThan(0);
    const inventory = await emulatorInventory();
    expect(inventory.clusters.filter((c) => c.id === spec.restore.DBClusterIdentifier)).toHaveLength(1);
  });

  test('an Aurora Serverless v2 cluster gets db.serverless instances', async () => {
    const base = sampleSpec({
      ...(await uploadDirectoryBackup({ version: '8.0' })),
      sourceEngineVersion: '8.0.35',
      readers: 1,
    });
    const spec = {
      ...base,
      restore: { ...base.restore, ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 16 } },
      instances: base.instances.map((i) => ({ ...i, DBInstanceClass: 'db.serverless' })),
    };
    const result = await (await startMigration(tw, spec)).result();

    expect(result.instances.map((i) => i.DBInstanceClass)).toEqual(['db.serverless', 'db.serverless']);
    expect(result.cluster.EngineVersion).toMatch(/^8\.0\.mysql_aurora\.3/);
  });

  test('an rdsEvent signal ends a wait at once, even with an hour between polls', async () => {
    const spec = sampleSpec({ ...(await uploadDirectoryBackup({ version: '5.7' })), options: { pollInterval: '1h' } });
    const handle = await startMigration(tw, spec);
    const started = Date.now();
    const ids = [spec.restore.DBClusterIdentifier, ...spec.instances.map((i) => i.DBInstanceIdentifier)];
    // Stand-in for EventBridge: signal each resource once the emulator reports it available.
    const notify = (async () => {
      const sent = new Set<string>();
      while (sent.size < ids.length && Date.now() - started < 60_000) {
        const inventory = await emulatorInventory();
        for (const r of [...inventory.clusters, ...inventory.instances]) {
          if (ids.includes(r.id) && r.status === 'available' && !sent.has(r.id)) {
            sent.add(r.id);
            const signal: RdsEventSignal = {
              sourceType: r.id === spec.restore.DBClusterIdentifier ? 'db-cluster' : 'db-instance',
              sourceId: r.id,
              eventId: r.id === spec.restore.DBClusterIdentifier ? 'RDS-EVENT-0170' : 'RDS-EVENT-0005',
              message: 'created',
            };
            await handle.signal(Messages.rdsEventSignal, signal);
          }
        }
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const result = await handle.result();
    await notify;

    expect(result.instances[0]?.DBInstanceStatus).toBe('available');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('history size', () => {
  let emulator: RunningEmulator;
  let tw: TestWorker;
  afterAll(async () => {
    await tw?.stop();
    await emulator?.close();
  });

  test('does not grow with how long the restore takes', async () => {
    emulator = await startEmulator({
      s3: testStack().s3,
      timings: {
        clusterCreatingMs: 500,
        clusterMigratingMs: 500,
        instanceCreatingMs: 300,
        instanceConfiguringMs: 100,
        instanceBackingUpMs: 100,
      },
    });
    tw = await startTestWorker({ emulatorEndpoint: emulator.endpoint });
    const control = new EmulatorControl(emulator.endpoint);
    const backup = await uploadDirectoryBackup({ version: '5.7' });
    const countEvents = async (clusterMigratingMs: number) => {
      await control.setTimings({ clusterMigratingMs });
      // A fixed cadence (pollInterval = maxPollInterval): every poll is a retry that must add no event.
      const spec = sampleSpec({ ...backup, options: { pollInterval: '200ms', maxPollInterval: '200ms' } });
      const handle = await startMigration(tw, spec);
      await handle.result();
      const history = await handle.fetchHistory();
      const polls = await control.calls('DescribeDBClusters');
      return {
        events: history.events?.length ?? 0,
        polls: polls.log.filter((c) => c.clusterId === spec.restore.DBClusterIdentifier).length,
      };
    };
    // Both restores last long enough to report every PercentProgress step (ten at most, whatever the duration);
    // beyond that, twice the polls must add no event at all.
    const long = await countEvents(12_000);
    const longer = await countEvents(24_000);

    expect(longer.polls).toBeGreaterThan(long.polls + 8);
    expect(Math.abs(longer.events - long.events)).toBeLessThanOrEqual(4);
  });
});
