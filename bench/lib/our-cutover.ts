/**
 * Our cutover for the cutover benchmark: a real migration with `replication` (manual cutover) run by a worker
 * process against the pair's emulator, the cutover triggered by the library's `cutover()` once the cluster is
 * catching up under the load, the window taken from the result's CutoverReport.
 */
import { DescribeDBClustersCommand } from '@aws-sdk/client-rds';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createConnection } from 'mysql2/promise';
import { cutover, getResult, startMigration } from '../../client/temporal';
import { sampleSpec } from '../../scripts/fixtures/sample-spec';
import { commitRate, startWriteLoad, verifyLoadArrived, type LoadLogin } from '../../scripts/fixtures/write-load';
import { Messages } from '../../workflows/ids';
import type { MigrationProgress } from '../../workflows/types';
import { configFor, type BenchStack } from './bench-stack';
import type { ReplicationPair } from './replication-pair';
import { sleepMs } from './settings';
import { startWorkerProcess } from './worker-process';

/** One of our cutovers, measured. */
export interface OurRun {
  windowMs: number;
  lostWrites: number;
  committed: number;
  rate: number;
  failures: number;
  note: string;
}

/** Runs one migration with replication to its cutover under the load and measures it. */
export async function runOurCutover(
  stack: BenchStack,
  pair: ReplicationPair,
  login: LoadLogin,
  n: number,
  load: { rate: number; warmupMs: number },
): Promise<OurRun> {
  const taskQueue = `bench-cutover-${n}`;
  const workerStack: BenchStack = {
    ...stack,
    workerEnv: {
      ...stack.workerEnv,
      AURORA_MIGRATE_RDS_ENDPOINT: pair.emulator.endpoint,
      AURORA_MIGRATE_SECRETS_ENDPOINT: stack.stack.moto.endpoint,
    },
  };
  const worker = await startWorkerProcess(workerStack, taskQueue, `cutover-worker-${n}`);
  const root = await pair.source.rootConnection();
  try {
    await root.query('SET GLOBAL super_read_only = OFF, GLOBAL read_only = OFF');
    const clusterId = `bench-cutover-ours-${n}`;
    const spec = sampleSpec({
      clusterId,
      bucket: pair.backup.bucket,
      prefix: 'backup',
      sourceEngineVersion: pair.backup.serverVersion.replace(/-.*$/, ''),
      // The spec's floor: the benchmark measures the cutover, not how soon the instances are noticed.
      options: { onFailure: 'retain', pollInterval: 1000, maxPollInterval: 2000 },
    });
    spec.restore.EngineVersion = '8.0.mysql_aurora.3.04.0';
    const { source } = pair;
    spec.replication = {
      source: { host: source.host, port: source.port, user: source.admin.user, password: source.admin.password },
      cutover: 'manual',
      freezeTimeout: '60s',
      statusInterval: '1s',
      verify: 'checksum',
    };
    const { workflowId } = await startMigration(stack.client, configFor(stack, taskQueue), spec);
    const handle = stack.client.workflow.getHandle(workflowId);
    for (const deadline = Date.now() + 240_000; ;) {
      const p = await handle.query<MigrationProgress>(Messages.progressQuery);
      if (p.step === 'awaiting-cutover' || p.step === 'catching-up') break;
      if (Date.now() > deadline) throw new Error(`migration ${workflowId} stuck at ${p.step}`);
      await sleepMs(300);
    }
    const running = await startWriteLoad({ login, ratePerSecond: load.rate });
    await sleepMs(load.warmupMs);
    const askedAt = Date.now();
    await cutover(stack.client, workflowId, { by: 'bench', reason: 'cutover benchmark' });
    const result = await getResult(stack.client, workflowId);
    const record = await running.stop();
    const report = result.cutover!;
    const cluster = await connectMaster(stack, pair, clusterId);
    try {
      const arrival = await verifyLoadArrived(cluster, record);
      return {
        windowMs: report.readOnlyMs,
        lostWrites: arrival.lostWrites,
        committed: arrival.committedTransactions,
        rate: commitRate(record, record.startedAt, askedAt),
        failures: record.failures.length,
        note: `${report.verification.length} tables checksummed, all equal: ${report.verification.every((v) => v.equal)}; cutover() → completed ${Date.now() - askedAt} ms`,
      };
    } finally {
      await cluster.end();
    }
  } finally {
    await root.query('SET GLOBAL super_read_only = OFF, GLOBAL read_only = OFF');
    await root.end();
    await worker.stop();
  }
}

async function connectMaster(stack: BenchStack, pair: ReplicationPair, clusterId: string) {
  const out = await pair.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  const c = out.DBClusters?.[0];
  const secrets = new SecretsManagerClient({
    endpoint: stack.stack.moto.endpoint,
    region: stack.stack.moto.region,
    credentials: { accessKeyId: stack.stack.moto.accessKeyId, secretAccessKey: stack.stack.moto.secretAccessKey },
  });
  try {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: c?.MasterUserSecret?.SecretArn }));
    const { username, password } = JSON.parse(secret.SecretString ?? '{}') as { username: string; password: string };
    return createConnection({ host: c?.Endpoint, port: c?.Port, user: username, password });
  } finally {
    secrets.destroy();
  }
}
