/**
 * What the cutover safety tests share: a real source MySQL 8.0 with its real-data backup in S3, an emulator
 * serving restored clusters from real mysqlds, worker processes that can be SIGKILLed, migrations with a
 * manual-cutover replication section, the write load, and reads of both ends' state.
 */
import {
  DeleteDBClusterCommand,
  DeleteDBInstanceCommand,
  DescribeDBClustersCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { createConnection, type Connection } from 'mysql2/promise';
import { loadConfig, type AppConfig } from '../../config/app-config';
import type { RunningEmulator } from '../../emulator/server';
import { writeRealDataBackup, type RealDataBackup } from '../../scripts/fixtures/real-data';
import { createLoadAccount, type LoadLogin } from '../../scripts/fixtures/write-load';
import type { SourceMysql } from '../../scripts/stack/source-mysql';
import { migrationWorkflowId, WORKFLOW_TYPE } from '../../workflows/ids';
import type { ReplicationSpec } from '../../workflows/replication-types';
import type { MigrationInput, MigrationResult } from '../../workflows/types';
import { masterCredentials, startRealServerEmulator } from '../emulator/real-cluster-fixture';
import { connectTestClient, sampleSpec } from '../helpers/migration';
import { testRdsClient, testS3Client, testStack, uniqueName } from '../helpers/stack';
import { spawnWorkerProcess, type WorkerProcess } from '../helpers/worker-process';

/** The servers and clients of one test file. */
export interface SafetyStack {
  backup: RealDataBackup;
  emulator: RunningEmulator;
  rds: RDSClient;
  client: Client;
  /** The load's account on the source (it replicates to every cluster restored from the backup). */
  login: LoadLogin;
  /** Root on the source, for reading its state. */
  root: Connection;
  workers: WorkerProcess[];
}

/** Writes the backup, starts the emulator and the client, creates the load's account. */
export async function startSafetyStack(source: SourceMysql): Promise<SafetyStack> {
  const s3 = testS3Client();
  try {
    const backup = await writeRealDataBackup({
      source,
      s3,
      bucket: uniqueName('cutover-safety'),
      targets: [{ layout: 'directory', prefix: 'b/' }],
    });
    const emulator = await startRealServerEmulator();
    const root = await source.rootConnection();
    const login = await createLoadAccount(root, source);
    return {
      backup,
      emulator,
      rds: testRdsClient(emulator.endpoint),
      client: await connectTestClient(),
      login,
      root,
      workers: [],
    };
  } finally {
    s3.destroy();
  }
}

/** Stops everything the stack started. */
export async function stopSafetyStack(stack: SafetyStack | undefined): Promise<void> {
  if (!stack) return;
  for (const w of stack.workers) await w.kill();
  await stack.root.end().catch(() => undefined);
  await stack.client.connection.close();
  stack.rds.destroy();
  await stack.emulator.close();
}

/** A task queue of its own and a first worker process on it. */
export async function startWorkerOn(
  stack: SafetyStack,
  config?: AppConfig,
): Promise<{ config: AppConfig; worker: WorkerProcess }> {
  const own = config ?? loadConfig({ AURORA_MIGRATE_TASK_QUEUE: uniqueName('tq-cutover') });
  // The clusters' managed master secrets live in the run's moto, which the shared worker env leaves out.
  const worker = spawnWorkerProcess(own, stack.emulator.endpoint, {
    AURORA_MIGRATE_SECRETS_ENDPOINT: testStack().moto.endpoint,
  });
  stack.workers.push(worker);
  await worker.started;
  return { config: own, worker };
}

/** Starts a migration of the backup with replication from the source and a manual cutover. */
export async function startReplicatingMigration(
  stack: SafetyStack,
  source: SourceMysql,
  taskQueue: string,
  replication: Partial<ReplicationSpec> = {},
): Promise<{ handle: WorkflowHandle<(i: MigrationInput) => Promise<MigrationResult>>; clusterId: string }> {
  const spec = sampleSpec({
    bucket: stack.backup.bucket,
    prefix: 'b',
    sourceEngineVersion: stack.backup.serverVersion.replace(/-.*$/, ''),
    options: { onFailure: 'retain' },
  });
  spec.restore.EngineVersion = '8.0.mysql_aurora.3.04.0';
  // The source's admin can freeze it (SYSTEM_VARIABLES_ADMIN) and arm the guard (EVENT); the literal password
  // travels only over the test run's encrypted payloads.
  spec.replication = {
    source: { host: source.host, port: source.port, user: source.admin.user, password: source.admin.password },
    mode: 'binlog-position',
    cutover: 'manual',
    freezeTimeout: '60s',
    statusInterval: '1s',
    verify: 'checksum',
    ...replication,
  };
  const handle = await stack.client.workflow.start<(i: MigrationInput) => Promise<MigrationResult>>(WORKFLOW_TYPE, {
    taskQueue,
    workflowId: migrationWorkflowId(spec.region, spec.restore.DBClusterIdentifier),
    args: [spec],
  });
  return { handle, clusterId: spec.restore.DBClusterIdentifier.toLowerCase() };
}

/** The source's read-only switches. */
export async function sourceReadOnly(root: Connection): Promise<{ readOnly: boolean; superReadOnly: boolean }> {
  const [rows] = await root.query('SELECT @@GLOBAL.read_only AS r, @@GLOBAL.super_read_only AS s');
  const row = (rows as Array<{ r: number; s: number }>)[0]!;
  return { readOnly: row.r === 1, superReadOnly: row.s === 1 };
}

/** Polls until `check` holds on the source (every 20 ms, so a kill lands right after the moment it marks). */
export async function untilSource(root: Connection, check: (c: Connection) => Promise<boolean>, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check(root))) {
    if (Date.now() > deadline) throw new Error('the source never reached the awaited state');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The number of scheduled events on the source (the freeze guard is the only one the tests create). */
export async function sourceEvents(root: Connection): Promise<number> {
  const [rows] = await root.query('SELECT COUNT(*) AS n FROM information_schema.EVENTS');
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

/** A master connection to the migration's cluster, found through RDS (also when the migration did not end). */
export async function connectClusterOf(stack: SafetyStack, clusterId: string): Promise<Connection> {
  const out = await stack.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  const cluster = out.DBClusters?.[0];
  if (!cluster?.Endpoint || !cluster.Port || !cluster.MasterUserSecret?.SecretArn) {
    throw new Error(`cluster ${clusterId} has no endpoint or master secret yet`);
  }
  const { username, password } = await masterCredentials(cluster.MasterUserSecret.SecretArn);
  return createConnection({ host: cluster.Endpoint, port: cluster.Port, user: username, password });
}

/** Deletes a test's cluster (its mysqld stops), so the next test does not share the machine with it. */
export async function deleteCluster(stack: SafetyStack, clusterId: string): Promise<void> {
  const out = await stack.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  for (const m of out.DBClusters?.[0]?.DBClusterMembers ?? []) {
    await stack.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: m.DBInstanceIdentifier }));
  }
  await stack.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: clusterId, SkipFinalSnapshot: true }));
}
