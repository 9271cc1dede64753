import { DescribeDBClustersCommand, RestoreDBClusterFromS3Command, type DBCluster } from '@aws-sdk/client-rds';
import { StatusBatcher, describeClusters, describeInstances } from '../../../activities/rds/status-batcher';
import { EmulatorControl } from '../../../emulator/control-client';
import { uniqueName } from '../../helpers/stack';
import { restoreInput } from '../../emulator/fixture';
import { useTestEmulator } from '../../emulator/use-emulator';

const env = useTestEmulator();
const control = () => new EmulatorControl(env.emulator.endpoint);

describe('coalesced status reads', () => {
  const ids: string[] = [];
  beforeAll(async () => {
    await control().setRateLimit({ enabled: false });
    for (let i = 0; i < 5; i += 1) {
      const id = uniqueName('batch');
      ids.push(id);
      await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: id })));
    }
  });
  afterAll(async () => {
    await control().setRateLimit({ enabled: true });
  });

  it('serves 150 concurrent reads with two DescribeDBClusters calls, and each read gets its own cluster', async () => {
    const batcher = new StatusBatcher(describeClusters(env.rds));
    const absent = Array.from({ length: 145 }, (_, i) => `absent-${i}`);
    const before = (await control().calls('DescribeDBClusters')).counts.DescribeDBClusters ?? 0;
    const results = await Promise.all([...ids, ...absent].map((id) => batcher.read(id)));
    const after = (await control().calls('DescribeDBClusters')).counts.DescribeDBClusters ?? 0;
    expect(after - before).toBe(2);
    expect(results.slice(0, 5).map((c) => c?.DBClusterIdentifier)).toEqual(ids);
    expect(results.slice(5).every((c) => c === undefined)).toBe(true);
  });

  it('reads identifiers case-insensitively, as RDS names them', async () => {
    const batcher = new StatusBatcher(describeClusters(env.rds));
    const cluster = await batcher.read(ids[0]!.toUpperCase());
    expect(cluster?.DBClusterIdentifier).toBe(ids[0]);
  });

  it('fails every read of a batch whose call failed, with the RDS error', async () => {
    const rule = await control().addRule({ match: { action: 'DescribeDBClusters' }, fault: { type: 'internal' } });
    try {
      const batcher = new StatusBatcher(describeClusters(env.rds));
      const outcomes = await Promise.allSettled(ids.map((id) => batcher.read(id)));
      expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
      expect((outcomes[0] as PromiseRejectedResult).reason).toMatchObject({ name: 'InternalFailure' });
    } finally {
      await fetch(`${env.emulator.endpoint}/_emulator/rules/${rule}`, { method: 'DELETE' });
    }
  });

  it('reads instances with a db-instance-id filter and reports the missing ones as undefined', async () => {
    const batcher = new StatusBatcher(describeInstances(env.rds));
    const before = (await control().calls('DescribeDBInstances')).counts.DescribeDBInstances ?? 0;
    const results = await Promise.all(['nope-1', 'nope-2', 'nope-3'].map((id) => batcher.read(id)));
    expect(results).toEqual([undefined, undefined, undefined]);
    expect(((await control().calls('DescribeDBInstances')).counts.DescribeDBInstances ?? 0) - before).toBe(1);
  });

  it('reads the same status a single DescribeDBClusters returns', async () => {
    const batcher = new StatusBatcher(describeClusters(env.rds));
    const batched: DBCluster | undefined = await batcher.read(ids[1]!);
    const single = (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: ids[1] }))).DBClusters?.[0];
    expect(batched?.DBClusterArn).toBe(single?.DBClusterArn);
    expect(batched?.Status).toBeDefined();
  });
});
