/**
 * What the catch-up and cutover tests share: a real source, a real-data backup of it in S3, an emulator whose
 * clusters are real mysqld servers, a worker reading secrets from moto, the replication user's password in a
 * Secrets Manager secret, and ways to look at both ends from outside.
 */
import { DescribeDBClustersCommand, type RDSClient } from '@aws-sdk/client-rds';
import { CreateSecretCommand } from '@aws-sdk/client-secrets-manager';
import type { WorkflowHandle } from '@temporalio/client';
import { createConnection, type Connection } from 'mysql2/promise';
import type { MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import type { RunningEmulator } from '../../emulator/server';
import { writeRealDataBackup, type RealDataBackup } from '../../scripts/fixtures/real-data';
import type { SourceMysql } from '../../scripts/stack/source-mysql';
import { Messages } from '../../workflows/ids';
import type { MigrationInput, MigrationProgress, ReplicationSpec } from '../../workflows/types';
import { masterCredentials, startRealServerEmulator } from '../emulator/real-cluster-fixture';
import { sampleSpec, startTestWorker, type TestWorker } from '../helpers/migration';
import { testRdsClient, testS3Client, testSecretsClient, testStack, uniqueName } from '../helpers/stack';

/** The Aurora version each source major restores into. */
export const TARGET: Record<MysqlMajor, string> = {
  '8.0': '8.0.mysql_aurora.3.04.0',
  '5.7': '5.7.mysql_aurora.2.12.0',
};

/** The running pieces of one test file. */
export interface CatchUpRig {
  emulator: RunningEmulator;
  rds: RDSClient;
  worker: TestWorker;
  backup: RealDataBackup;
  /** ARN of the secret holding the source admin's password (the replication user of these tests). */
  passwordSecretArn: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator (its lifecycle `timings` overridden, e.g. a slow instance to act during the restore) and
 * the worker, writes the source's backup, and stores the admin password in moto.
 */
export async function startCatchUpRig(
  source: SourceMysql,
  timings: Parameters<typeof startRealServerEmulator>[0] = {},
): Promise<CatchUpRig> {
  const s3 = testS3Client();
  const emulator = await startRealServerEmulator(timings);
  const rds = testRdsClient(emulator.endpoint);
  const worker = await startTestWorker({
    emulatorEndpoint: emulator.endpoint,
    env: { AURORA_MIGRATE_SECRETS_ENDPOINT: testStack().moto.endpoint },
  });
  const backup = await writeRealDataBackup({
    source,
    s3,
    bucket: uniqueName(`catch-up-${source.major.replace('.', '')}`),
    targets: [{ layout: 'xbstream', prefix: 'backup/' }],
  });
  const secrets = testSecretsClient();
  const created = await secrets.send(
    new CreateSecretCommand({
      Name: uniqueName('repl'),
      SecretString: JSON.stringify({ username: source.admin.user, password: source.admin.password }),
    }),
  );
  secrets.destroy();
  return {
    emulator,
    rds,
    worker,
    backup,
    passwordSecretArn: created.ARN!,
    async close() {
      await worker.stop();
      rds.destroy();
      s3.destroy();
      await emulator.close();
    },
  };
}

/**
 * Registers beforeAll/afterAll hooks that start the file's rig for its source (see startCatchUpRig) and close it;
 * the returned function gives the rig inside tests.
 */
export function useCatchUpRig(
  source: () => SourceMysql,
  timings: Parameters<typeof startRealServerEmulator>[0] = {},
): () => CatchUpRig {
  let rig: CatchUpRig | undefined;
  beforeAll(async () => {
    rig = await startCatchUpRig(source(), timings);
  }, 300_000);
  afterAll(async () => {
    await rig?.close();
  }, 120_000);
  return () => {
    if (!rig) throw new Error('the catch-up rig is not running: use it inside a test, after beforeAll');
    return rig;
  };
}

/** The source's `read_only` and `super_read_only` (0 or 1), read as its admin. */
export async function sourceReadOnlyFlags(source: SourceMysql): Promise<{ ro: number; sro: number }> {
  const admin = await source.adminConnection();
  try {
    const [flags] = await rows<{ ro: number; sro: number }>(
      admin,
      'SELECT @@read_only AS ro, @@super_read_only AS sro',
    );
    return flags!;
  } finally {
    await admin.end();
  }
}

/** A spec of the backup with a replication section from the source (as its admin user, password in the secret). */
export function replicationSpec(rig: CatchUpRig, source: SourceMysql, replication: Partial<ReplicationSpec>) {
  const spec: MigrationInput = sampleSpec({
    bucket: rig.backup.bucket,
    prefix: 'backup',
    sourceEngineVersion: rig.backup.serverVersion.replace(/-.*$/, ''),
  });
  spec.restore.EngineVersion = TARGET[source.major];
  spec.replication = {
    source: { host: source.host, port: source.port, user: source.admin.user, passwordSecretArn: rig.passwordSecretArn },
    statusInterval: '1s',
    freezeTimeout: '2m',
    ...replication,
  };
  return spec;
}

/** Polls the progress query until `done` holds (or the migration closes, or `timeoutMs` passes). */
export async function waitForProgress(
  handle: WorkflowHandle,
  done: (p: MigrationProgress) => boolean,
  timeoutMs = 240_000,
): Promise<MigrationProgress> {
  const deadline = Date.now() + timeoutMs;
  let last: MigrationProgress | undefined;
  while (Date.now() < deadline) {
    last = await handle.query<MigrationProgress>(Messages.progressQuery);
    if (done(last)) return last;
    if (['completed', 'failed', 'cancelled'].includes(last.step)) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the migration never got there; last progress: ${JSON.stringify(last)}`);
}

/** A connection to the cluster's writer as the master user (from the cluster's managed secret). */
export async function connectCluster(rds: RDSClient, clusterId: string): Promise<Connection> {
  const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: clusterId }));
  const cluster = out.DBClusters![0]!;
  const { username, password } = await masterCredentials(cluster.MasterUserSecret!.SecretArn!);
  return createConnection({ host: cluster.Endpoint, port: cluster.Port, user: username, password });
}

/** Rows of one query. */
export async function rows<T>(connection: Connection, sql: string, values?: unknown[]): Promise<T[]> {
  const [result] = await connection.query(sql, values);
  return result as T[];
}

/** Polls `check` until it holds (at most `timeoutMs`). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the condition never held');
}
