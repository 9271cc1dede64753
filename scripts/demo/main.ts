/**
 * The demo: one real migration, end to end, on the embedded stack. Starts (or reuses) a persistent Temporal dev
 * server with its Web UI, an S3 server, the RDS emulator and a source MySQL 8.0; loads sample data into the source
 * and writes a real-data backup of it; runs a worker; migrates it into a cluster with a writer and a reader while
 * printing progress; prints the endpoints, then connects to the Aurora writer (a real mysqld the emulator started
 * from the backup) and prints each table's rows, CHECKSUM TABLE and row digest on the source and on Aurora.
 *
 * Temporal and the source MySQL stay up afterwards so the migration can be browsed in the Web UI and with
 * `temporal workflow list`, and so do the emulator (with the cluster's mysqld) and moto (with its master secret),
 * so the cluster can be queried; `npm run demo -- stop` stops them all. S3 stops when the demo ends. With
 * `--no-keep` (or CI=true) everything stops.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { join } from 'node:path';
import { getProgress, startMigration, getResult } from '../../client';
import { loadConfig } from '../../config/app-config';
import { connectClient, loadTemporalTarget, workflowUiUrl } from '../../config/temporal-connection';
import { runWorker } from '../../worker/run';
import type { MigrationResult } from '../../workflows/types';
import { sampleSpec } from '../fixtures/sample-spec';
import { writeRealDataBackup, type RealDataBackup } from '../fixtures/real-data';
import type { SourceMysql } from '../stack/source-mysql';
import { startEmulatorProcess } from '../stack/emulator-process';
import { seedSampleIngestionRole } from '../stack/ingestion-role';
import { startMotoServer } from '../stack/moto-server';
import { localS3Client, startS3Server, type S3ServerAddress } from '../stack/s3-server';
import { printDataArrival } from './aurora-side';
import { clearDemoEmulatorState, demoEmulatorPaths, recordKeptAuroraSide, stopKeptAuroraSide } from './emulator-state';
import { recordDemoSourcePid, startDemoSource, stopDemoSource } from './source';
import { ensureDemoTemporal, stopDemoTemporal } from './temporal';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const DATA_DIR = join(REPO_ROOT, '.data');

/** Long enough to watch each status change, short enough for the whole demo to take about two minutes. */
const DEMO_TIMINGS = {
  clusterCreatingMs: 15_000,
  clusterMigratingMs: 30_000,
  instanceCreatingMs: 12_000,
  instanceConfiguringMs: 5_000,
  instanceBackingUpMs: 6_000,
  deletingMs: 5_000,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'stop') {
    console.log((await stopDemoTemporal(DATA_DIR)) ? 'Stopped the demo Temporal server.' : 'No demo server running.');
    console.log((await stopDemoSource(DATA_DIR)) ? 'Stopped the demo source MySQL.' : 'No demo source MySQL running.');
    const aurora = await stopKeptAuroraSide(DATA_DIR);
    console.log(
      aurora ? 'Stopped the RDS emulator (and its cluster mysqld) and moto.' : 'No demo RDS emulator running.',
    );
    return;
  }
  const keep = !args.includes('--no-keep') && process.env.CI !== 'true';
  // The demo prints its own progress; the worker's INFO lines would drown it.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const started = Date.now();
  const temporal = await ensureDemoTemporal(DATA_DIR, { keep });
  step(`Temporal dev server ${temporal.reused ? 'already running' : 'started'} at ${temporal.address}`);
  step(`Temporal Web UI: ${temporal.uiUrl}`);
  const s3 = await startS3Server({ dataDir: DATA_DIR, repoRoot: REPO_ROOT });
  step(`S3 server (${s3.kind}) at ${s3.endpoint}`);
  await stopKeptAuroraSide(DATA_DIR);
  const moto = await startMotoServer({ dataDir: DATA_DIR, repoRoot: REPO_ROOT, detached: keep });
  step(`moto (Secrets Manager, IAM, KMS) at ${moto.endpoint}`);
  // The migration's pre-flight checks the spec's ingestion role: moto has it as a real account would.
  await seedSampleIngestionRole(moto);
  await clearDemoEmulatorState(DATA_DIR);
  const { statePath, volumesDir } = demoEmulatorPaths(DATA_DIR);
  const emulator = await startEmulatorProcess({
    repoRoot: REPO_ROOT,
    dataDir: DATA_DIR,
    s3,
    timings: DEMO_TIMINGS,
    statePath,
    clusterServers: { dataDir: volumesDir, secrets: moto },
    detached: keep,
  });
  if (keep) recordKeptAuroraSide(DATA_DIR, [emulator.pid, moto.pid]);
  step(`RDS emulator at ${emulator.endpoint}`);
  const source = await startDemoSource(DATA_DIR, { keep });
  step(`Source MySQL ${source.major} at 127.0.0.1:${source.port} (binlog ROW, GTID ON, server-id ${source.serverId})`);
  const abort = new AbortController();
  let worker: Promise<void> | undefined;
  try {
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: 'default',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: s3.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
      AURORA_MIGRATE_RDS_ENDPOINT: emulator.endpoint,
      AURORA_MIGRATE_S3_ENDPOINT: s3.endpoint,
      AURORA_MIGRATE_SECRETS_ENDPOINT: moto.endpoint,
      AURORA_MIGRATE_IAM_ENDPOINT: moto.endpoint,
      AURORA_MIGRATE_KMS_ENDPOINT: moto.endpoint,
      AURORA_MIGRATE_WEB_UI_URL: temporal.uiUrl,
      // The ETA's model until a restore completes: the demo emulator's restore (15 s + 30 s), not AWS's default.
      AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '45',
    };
    const bucket = 'demo-backups';
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const prefix = `orders-db/${stamp}`;
    const backup = await writeBackupOfSource(s3, source, bucket, prefix);
    recordDemoSourcePid(DATA_DIR, source);
    const rows = backup.tables.reduce((n, t) => n + t.rows, 0);
    step(
      `Loaded ${rows} rows into the source and wrote a real-data backup of MySQL ${backup.serverVersion}: ` +
        `${backup.copies[0]?.objects} objects, ${(backup.totalBytes / 1e6).toFixed(1)} MB in s3://${bucket}/${prefix}/ ` +
        `(binlog ${backup.binlog.file}:${backup.binlog.position}, GTID ${backup.binlog.gtidSet})`,
    );

    worker = runWorker({ env, signal: abort.signal });
    const config = loadConfig(env);
    const target = loadTemporalTarget(env);
    const client = await connectClient(target, config);
    const spec = sampleSpec({
      clusterId: `orders-${stamp}`,
      bucket,
      prefix,
      sourceEngineVersion: backup.serverVersion.replace(/-.*$/, ''),
      readers: 1,
      tags: [{ Key: 'team', Value: 'platform' }],
      options: { pollInterval: '3s', onFailure: 'retain' },
    });
    const { workflowId } = await startMigration(client, config, spec);
    step(`Started migration ${workflowId}`);
    step(`Watch it: ${workflowUiUrl(config, target, workflowId)}`);

    let last = '';
    for (;;) {
      const progress = await getProgress(client, workflowId);
      const line = describe(progress);
      if (line !== last) step(line);
      last = line;
      if (progress.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const result = await getResult(client, workflowId);
    printResult(result, workflowUiUrl(config, target, workflowId));
    const equal = await printDataArrival(result, source, moto);
    if (!equal) process.exitCode = 1;
    await client.connection.close();
    step(`Demo finished in ${Math.round((Date.now() - started) / 1000)} s.`);
    if (keep) {
      step(
        `Temporal (Web UI ${temporal.uiUrl}), the source MySQL and the Aurora cluster (the emulator, its mysqld and ` +
          'moto) keep running; stop them with: npm run demo -- stop',
      );
      step(`Try: temporal workflow list --address ${temporal.address}`);
    }
  } finally {
    abort.abort();
    await worker?.catch(() => undefined);
    await s3.stop();
    if (!keep) {
      await Promise.allSettled([emulator.stop(), moto.stop()]);
      await Promise.allSettled([temporal.stop(), source.stop(), stopDemoSource(DATA_DIR)]);
    }
  }
}

async function writeBackupOfSource(
  server: S3ServerAddress,
  source: SourceMysql,
  bucket: string,
  prefix: string,
): Promise<RealDataBackup> {
  const s3 = localS3Client(server);
  try {
    return await writeRealDataBackup({ source, s3, bucket, targets: [{ layout: 'directory', prefix: `${prefix}/` }] });
  } finally {
    s3.destroy();
  }
}

function describe(p: Awaited<ReturnType<typeof getProgress>>): string {
  const parts = [p.step.padEnd(22)];
  if (p.validationPercent !== undefined && p.step === 'validating') parts.push(`validation ${p.validationPercent}%`);
  if (p.cluster)
    parts.push(`cluster ${p.cluster.status}${p.cluster.percentProgress ? ` ${p.cluster.percentProgress}%` : ''}`);
  for (const [id, s] of Object.entries(p.instances))
    parts.push(`${id.replace(/^.*-(writer|reader-\d+)$/, '$1')} ${s.status}`);
  return parts.join(' | ');
}

function printResult(result: MigrationResult, uiUrl: string | undefined): void {
  const seconds = (ms?: number): string => `${((ms ?? 0) / 1000).toFixed(1)} s`;
  console.log('\nMigration completed:');
  console.log(`  cluster endpoint (writer): ${result.cluster.Endpoint}:${result.cluster.Port ?? 3306}`);
  console.log(`  reader endpoint:           ${result.cluster.ReaderEndpoint}`);
  for (const i of result.instances) {
    console.log(
      `  instance ${i.DBInstanceIdentifier} (${i.IsClusterWriter ? 'writer' : 'reader'}): ${i.Endpoint ?? '-'}`,
    );
  }
  const v = result.validation;
  console.log(
    `  backup: ${v.format}, MySQL ${v.serverVersion}, XtraBackup ${v.toolVersion}, ${v.objectCount} objects, ${v.warnings} warnings`,
  );
  if (result.binlog) {
    console.log(
      `  binlog position for replication: ${result.binlog.file ?? '-'}:${result.binlog.position ?? '-'} ${result.binlog.gtidSet ?? ''}`,
    );
  }
  if (result.recoveredBinlog) {
    console.log(
      `  binlog position the cluster recovered to (its RDS event): ${result.recoveredBinlog.file}:${result.recoveredBinlog.position}`,
    );
  }
  const d = result.stepDurations;
  console.log(
    `  durations: validation ${seconds(d.validating)}, restore call ${seconds(d.restoring)}, cluster wait ` +
      `${seconds(d['waiting-for-cluster'])}, instances ${seconds((d['creating-instances'] ?? 0) + (d['waiting-for-instances'] ?? 0))}`,
  );
  if (uiUrl) console.log(`  Web UI: ${uiUrl}\n`);
}

function step(message: string): void {
  console.log(`[demo] ${message}`);
}

main().catch((err: unknown) => {
  console.error(`[demo] failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
