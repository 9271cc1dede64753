import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DBClusterNotFoundFault,
  DescribeDBClustersCommand,
  DescribeDBInstancesCommand,
  DescribeEventsCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  RestoreDBClusterFromS3Command,
} from '@aws-sdk/client-rds';
import { uniqueName } from '../helpers/stack';
import { caught, control, rdsClient, restoreInput, waitFor } from './fixture';
import { useTestEmulator } from './use-emulator';

const env = useTestEmulator();
afterEach(async () => {
  await control(env.emulator, 'DELETE', 'rules');
});

const clusterStatus = async (id: string) =>
  (await env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status;

describe('outcome rules', () => {
  it.each([
    ['migration-failed', /^Failed to migrate from mysql-8\.0 to aurora-mysql\. Reason: bad page size$/],
    ['incompatible-restore', /incompatible resources\. bad page size$/],
    ['failed', /unable to create credentials to access your Amazon S3 Bucket.*bad page size$/],
    ['inaccessible-encryption-credentials', /KMS key.*bad page size$/],
    ['incompatible-parameters', /incompatible parameters\. bad page size$/],
    ['restore-failed', /restore failed\. bad page size$/],
    ['incompatible-network', /incompatible network\. bad page size$/],
  ])('makes a matching restore end %s with a DescribeEvents message explaining it', async (finalStatus, message) => {
    const id = uniqueName('outcome');
    const { status } = await control(env.emulator, 'POST', 'rules', {
      match: { clusterId: `${id.toUpperCase()}*` },
      outcome: { finalStatus, eventMessage: 'bad page size' },
    });
    expect(status).toBe(201);
    await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: id })));
    await waitFor(
      () => clusterStatus(id),
      (s) => s === finalStatus,
    );
    const { Events } = await env.rds.send(
      new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: id, Duration: 60 }),
    );
    expect(Events?.map((e) => e.Message)).toEqual(['DB cluster created.', expect.stringMatching(message)]);
    expect(Events?.[1]).toMatchObject({
      SourceType: 'db-cluster',
      SourceArn: `arn:aws:rds:us-east-1:123456789012:cluster:${id}`,
    });
    expect(Events?.[1]?.Date).toBeInstanceOf(Date);
  });

  it('makes a matching instance end in its final status', async () => {
    const clusterId = uniqueName('oi');
    await env.rds.send(new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: clusterId })));
    await waitFor(
      () => clusterStatus(clusterId),
      (s) => s === 'available',
    );
    const instanceId = `${clusterId}-w`;
    await control(env.emulator, 'POST', 'rules', {
      match: { instanceId },
      outcome: { finalStatus: 'incompatible-parameters' },
    });
    await env.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: instanceId,
        DBInstanceClass: 'db.r6g.large',
        Engine: 'aurora-mysql',
        DBClusterIdentifier: clusterId,
      }),
    );
    await waitFor(
      async () =>
        (await env.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: instanceId }))).DBInstances?.[0]
          ?.DBInstanceStatus,
      (s) => s === 'incompatible-parameters',
    );
  });
});

describe('fault rules', () => {
  it('throttles twice, which the SDK retries to success, and counts both in /_emulator/calls', async () => {
    await control(env.emulator, 'DELETE', 'calls');
    await control(env.emulator, 'POST', 'rules', {
      match: { action: 'DescribeDBClusters' },
      fault: { type: 'throttle', count: 2 },
    });
    const retrying = rdsClient(env.emulator, 3);
    const result = await retrying.send(new DescribeDBClustersCommand({}));
    retrying.destroy();
    expect(result.$metadata.attempts).toBe(3);
    const { body } = await control<{ counts: Record<string, number>; faults: Record<string, number>; log: unknown[] }>(
      env.emulator,
      'GET',
      'calls?action=DescribeDBClusters',
    );
    expect(body.counts.DescribeDBClusters).toBe(3);
    expect(body.faults.throttle).toBe(2);
    expect(body.log).toEqual([
      expect.objectContaining({ action: 'DescribeDBClusters', status: 400, fault: 'throttle' }),
      expect.objectContaining({ action: 'DescribeDBClusters', status: 400, fault: 'throttle' }),
      expect.objectContaining({ action: 'DescribeDBClusters', status: 200 }),
    ]);
  });

  it('surfaces Throttling and InternalFailure by name once retries run out', async () => {
    await control(env.emulator, 'POST', 'rules', {
      match: { action: 'DescribeDBClusters' },
      fault: { type: 'throttle' },
    });
    const throttled = await caught(() => env.rds.send(new DescribeDBClustersCommand({})));
    expect(throttled.name).toBe('Throttling');
    expect(throttled.message).toBe('Rate exceeded');
    await control(env.emulator, 'DELETE', 'rules');
    await control(env.emulator, 'POST', 'rules', {
      match: { action: 'DescribeDBClusters' },
      fault: { type: 'internal', count: 2 },
    });
    const internal = await caught(() => env.rds.send(new DescribeDBClustersCommand({})));
    expect(internal.name).toBe('InternalFailure');
    expect((internal.$metadata as { httpStatusCode?: number }).httpStatusCode).toBe(500);
    const retrying = rdsClient(env.emulator, 3);
    await expect(retrying.send(new DescribeDBClustersCommand({}))).resolves.toBeDefined();
    retrying.destroy();
  });

  it('returns an arbitrary error a set number of times, then clears', async () => {
    const message =
      'Files from the specified Amazon S3 bucket cannot be downloaded. Make sure that you have created an IAM role.';
    await control(env.emulator, 'POST', 'rules', {
      match: { action: 'RestoreDBClusterFromS3' },
      fault: { type: 'error', code: 'InvalidParameterValue', httpStatus: 400, message, count: 1 },
    });
    const input = restoreInput(env.seeded);
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(input)));
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.message).toBe(message);
    await expect(env.rds.send(new RestoreDBClusterFromS3Command(input))).resolves.toBeDefined();
  });

  it('drops the connection without applying the action', async () => {
    const input = restoreInput(env.seeded);
    await control(env.emulator, 'POST', 'rules', {
      match: { clusterId: input.DBClusterIdentifier },
      fault: { type: 'drop' },
    });
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(input)));
    expect(err.name).not.toMatch(/Fault$/);
    await control(env.emulator, 'DELETE', 'rules');
    const missing = await caught(() =>
      env.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: input.DBClusterIdentifier })),
    );
    expect(missing).toBeInstanceOf(DBClusterNotFoundFault);
  });

  it('applies the action and then loses the response (apply-then-drop)', async () => {
    const input = restoreInput(env.seeded);
    const { body } = await control<{ id: string }>(env.emulator, 'POST', 'rules', {
      match: { action: 'RestoreDBClusterFromS3', clusterId: input.DBClusterIdentifier },
      fault: { type: 'apply-then-drop' },
    });
    const err = await caught(() => env.rds.send(new RestoreDBClusterFromS3Command(input)));
    expect(err.name).not.toMatch(/Fault$/);
    expect((await control(env.emulator, 'DELETE', `rules/${body.id}`)).status).toBe(200);
    expect(await clusterStatus(input.DBClusterIdentifier!)).toBe('creating');
    const { body: calls } = await control<{ faults: Record<string, number> }>(env.emulator, 'GET', 'calls');
    expect(calls.faults['apply-then-drop']).toBeGreaterThanOrEqual(1);
  });

  it('delays responses by the latency a rule sets', async () => {
    await control(env.emulator, 'POST', 'rules', {
      match: { action: 'DescribeDBClusters' },
      fault: { type: 'latency', latencyMs: 400 },
    });
    const started = Date.now();
    await env.rds.send(new DescribeDBClustersCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(380);
  });

  it('rejects malformed control JSON with a 400 naming the field', async () => {
    const badType = await control<{ error: string }>(env.emulator, 'POST', 'rules', { fault: { type: 'explode' } });
    expect(badType.status).toBe(400);
    expect(badType.body.error).toMatch(/fault\.type/);
    const badStatus = await control<{ error: string }>(env.emulator, 'POST', 'rules', {
      outcome: { finalStatus: 'ok' },
    });
    expect(badStatus.body.error).toMatch(/outcome\.finalStatus/);
    const badTimings = await control<{ error: string }>(env.emulator, 'PUT', 'timings', { clusterCreatingMs: -1 });
    expect(badTimings.status).toBe(400);
    expect(badTimings.body.error).toMatch(/clusterCreatingMs/);
    expect((await control(env.emulator, 'POST', 'rules', '{not json')).status).toBe(400);
  });
});

describe('events, tags and control views', () => {
  it('honours SourceIdentifier/SourceType, categories and time windows in DescribeEvents', async () => {
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const id = input.DBClusterIdentifier!;
    const noType = await caught(() => env.rds.send(new DescribeEventsCommand({ SourceIdentifier: id })));
    expect(noType.name).toBe('InvalidParameterCombination');
    const creation = await env.rds.send(
      new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: id, EventCategories: ['creation'] }),
    );
    expect(creation.Events).toHaveLength(1);
    const failures = await env.rds.send(
      new DescribeEventsCommand({ SourceType: 'db-cluster', SourceIdentifier: id, EventCategories: ['failure'] }),
    );
    expect(failures.Events).toEqual([]);
    const past = await env.rds.send(
      new DescribeEventsCommand({
        SourceType: 'db-cluster',
        SourceIdentifier: id,
        StartTime: new Date(Date.now() - 3_600_000),
        EndTime: new Date(Date.now() - 1_800_000),
      }),
    );
    expect(past.Events).toEqual([]);
  });

  it('adds, lists and removes tags by ARN, and reports unknown ARNs as NotFound', async () => {
    const input = restoreInput(env.seeded, { Tags: [{ Key: 'a', Value: '1' }] });
    const { DBCluster } = await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const arn = DBCluster!.DBClusterArn!;
    await env.rds.send(
      new AddTagsToResourceCommand({
        ResourceName: arn,
        Tags: [
          { Key: 'a', Value: '2' },
          { Key: 'b', Value: '3' },
        ],
      }),
    );
    await env.rds.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ['b'] }));
    const { TagList } = await env.rds.send(new ListTagsForResourceCommand({ ResourceName: arn }));
    expect(TagList).toEqual([{ Key: 'a', Value: '2' }]);
    const missing = await caught(() =>
      env.rds.send(new ListTagsForResourceCommand({ ResourceName: 'arn:aws:rds:us-east-1:123456789012:cluster:gone' })),
    );
    expect(missing).toBeInstanceOf(DBClusterNotFoundFault);
    const missingDb = await caught(() =>
      env.rds.send(new ListTagsForResourceCommand({ ResourceName: 'arn:aws:rds:us-east-1:123456789012:db:gone' })),
    );
    expect(missingDb.name).toBe('DBInstanceNotFoundFault');
  });

  it('lists clusters in the inventory with tags and no password', async () => {
    const input = restoreInput(env.seeded, { Tags: [{ Key: 'aurora-migrate:workflow-id', Value: 'wf-1' }] });
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    const { body, status } = await control<{
      clusters: { id: string; status: string; tags: Record<string, string> }[];
    }>(env.emulator, 'GET', 'inventory');
    expect(status).toBe(200);
    expect(body.clusters.find((c) => c.id === input.DBClusterIdentifier)).toMatchObject({
      status: 'creating',
      tags: { 'aurora-migrate:workflow-id': 'wf-1' },
    });
    expect(JSON.stringify(body)).not.toContain(input.MasterUserPassword);
  });

  it('applies PUT timings to resources created afterwards', async () => {
    const { body } = await control<{ clusterCreatingMs: number }>(env.emulator, 'PUT', 'timings', {
      clusterCreatingMs: 60_000,
    });
    expect(body.clusterCreatingMs).toBe(60_000);
    const input = restoreInput(env.seeded);
    await env.rds.send(new RestoreDBClusterFromS3Command(input));
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(await clusterStatus(input.DBClusterIdentifier!)).toBe('creating');
    await control(env.emulator, 'PUT', 'timings', { clusterCreatingMs: 300 });
  });
});
