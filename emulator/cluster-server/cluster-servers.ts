/**
 * The real MySQL servers behind emulated clusters: on RestoreDBClusterFromS3 the backup is read from S3 into the
 * cluster's volume (`<dataDir>/c/<hash>/volume`) and a mysqld started on it; DeleteDBCluster stops it and removes
 * the volume; a restarted emulator starts the serving ones again. No mysqld outlives the emulator: `close` stops
 * them, a process exit kills them, and `resume` kills any left by an emulator that was SIGKILLed (by pid file).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { clusterSettlesAt } from '../lifecycle';
import type { MysqldBinary, MysqlMajor } from '../mysql/mysqld-binaries';
import type { MysqldServer } from '../mysql/mysqld-server';
import type { ClusterRecord } from '../records';
import type { S3CheckOptions } from '../s3-check';
import type { EmulatorStore } from '../state';
import { planBringUp } from './bringup-plan';
import { recoveredPositionFromLog, startClusterMysqld } from './cluster-mysqld';
import { metadataOnlyEvent, recoveredEvents } from './server-events';
import { freePort, isFree, killQuietly, killStale } from './processes';
import { layOutVolume } from './volume';

/** How the emulator runs cluster servers. */
export interface ClusterServerOptions {
  /** Volumes and run folders live here. */
  dataDir: string;
  s3: S3CheckOptions;
  /** The mysqld of each major version, or undefined when none is installed. */
  binaries: Record<MysqlMajor, MysqldBinary | undefined>;
}

/** Longest unix socket path (sun_path is 108 bytes on Linux, with room to spare). */
const MAX_SOCKET_PATH = 100;

/** Starts, tracks and stops the mysqld of every cluster. */
export class ClusterServers {
  private readonly running = new Map<string, MysqldServer>();
  private readonly restoring = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private readonly s3: S3Client;
  private readonly killOnExit = (): void => {
    for (const server of this.running.values()) killQuietly(server.pid, 'SIGKILL');
  };

  constructor(
    private readonly options: ClusterServerOptions,
    private readonly store: EmulatorStore,
  ) {
    const { endpoint, region, accessKeyId, secretAccessKey } = options.s3;
    this.s3 = new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
    process.on('exit', this.killOnExit);
  }

  /** Begins bringing up a restored cluster; it stays `migrating` until this settles. */
  restore(cluster: ClusterRecord, masterPassword: string): void {
    cluster.server = { state: 'restoring' };
    this.store.changed();
    const abort = new AbortController();
    const done = this.bringUp(cluster, masterPassword, abort.signal)
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
        this.metadataOnly(cluster, reason ?? 'unknown error');
      })
      .finally(() => this.restoring.delete(cluster.id));
    this.restoring.set(cluster.id, { abort, done });
  }

  /** Stops the cluster's mysqld (aborting a restore in progress) and removes its volume. */
  async remove(cluster: ClusterRecord): Promise<void> {
    const pending = this.restoring.get(cluster.id);
    pending?.abort.abort();
    await pending?.done;
    await this.running.get(cluster.id)?.stop();
    this.running.delete(cluster.id);
    for (const dir of [cluster.server?.dir, cluster.server?.runDir]) if (dir) rmSync(dir, { recursive: true, force: true });
  }

  /** Removes the servers and volumes of all these clusters (the control endpoint's reset). */
  async removeAll(clusters: ClusterRecord[]): Promise<void> {
    await Promise.all(clusters.map((c) => this.remove(c)));
  }

  /** On emulator start: kills stale mysqlds, then starts the servers of the clusters that were serving. */
  async resume(clusters: ClusterRecord[]): Promise<void> {
    const runDirs = new Set(clusters.flatMap((c) => (c.server?.runDir ? [c.server.runDir] : [])));
    const root = join(this.options.dataDir, 'c');
    if (existsSync(root)) for (const name of readdirSync(root)) runDirs.add(join(root, name, 'run'));
    await Promise.all([...runDirs].map((dir) => killStale(dir)));
    await Promise.all(
      clusters.map(async (cluster) => {
        const server = cluster.server;
        if (server?.state === 'restoring') {
          this.metadataOnly(cluster, 'the emulator restarted during the restore, and the master password is not kept');
        } else if (server?.state === 'serving') {
          try {
            await this.start(cluster, undefined);
          } catch (err) {
            this.metadataOnly(cluster, `its mysqld did not start again: ${String(err).split('\n')[0]}`);
          }
        }
      }),
    );
  }

  /** Stops every mysqld (SIGTERM, mysqld's clean shutdown) and every restore in progress. */
  async close(): Promise<void> {
    for (const pending of this.restoring.values()) pending.abort.abort();
    await Promise.all([...this.restoring.values()].map((p) => p.done));
    await Promise.all([...this.running.values()].map((s) => s.stop()));
    this.running.clear();
    process.off('exit', this.killOnExit);
    this.s3.destroy();
  }

  private async bringUp(cluster: ClusterRecord, masterPassword: string, signal: AbortSignal): Promise<void> {
    const dir = join(this.options.dataDir, 'c', createHash('sha256').update(cluster.arn).digest('hex').slice(0, 12));
    const runDir = join(dir, 'run').length + 12 > MAX_SOCKET_PATH ? join(tmpdir(), `aurora-emu-${cluster.resourceId}`) : join(dir, 'run');
    rmSync(dir, { recursive: true, force: true });
    cluster.server = { state: 'restoring', dir, runDir };
    const volumeDir = join(dir, 'volume');
    const laidOut = await layOutVolume({
      s3: this.s3,
      bucket: cluster.s3BucketName,
      prefix: cluster.s3Prefix ?? '',
      volumeDir,
      signal,
    });
    const plan = planBringUp(volumeDir, cluster.sourceEngineVersion);
    if (!plan.ok) throw new Error(plan.reason);
    const binary = this.options.binaries[plan.major];
    if (!binary) {
      const variable = plan.major === '8.0' ? 'AURORA_MIGRATE_MYSQLD_BIN' : 'AURORA_MIGRATE_MYSQLD57_BIN';
      throw new Error(`no mysqld ${plan.major} is installed (run scripts/bootstrap.sh, or set ${variable})`);
    }
    signal.throwIfAborted();
    Object.assign(cluster.server, { major: plan.major, innodbArgs: plan.innodbArgs });
    const server = await this.start(cluster, { username: cluster.masterUsername, password: masterPassword });
    if (signal.aborted) return;
    const recovered = plan.binlog ?? recoveredPositionFromLog(server.errorLog);
    cluster.server = { ...cluster.server, state: 'serving', ...(recovered ? { recovered } : {}) };
    this.store.changed();
    const date = Math.max(Date.now(), clusterSettlesAt(cluster));
    for (const text of recovered ? recoveredEvents(recovered) : []) this.addEvent(cluster, text, date);
    console.log(
      `emulator: cluster ${cluster.id} serves its data on 127.0.0.1:${server.port} (mysqld ${plan.major}, ` +
        `${laidOut.files.length} files, ${laidOut.bytesRead} bytes from ${laidOut.format})`,
    );
  }

  private async start(
    cluster: ClusterRecord,
    master: { username: string; password: string } | undefined,
  ): Promise<MysqldServer> {
    const record = cluster.server;
    const binary = record?.major ? this.options.binaries[record.major] : undefined;
    if (!record?.dir || !record.runDir || !binary) throw new Error('the cluster has no volume or no mysqld');
    mkdirSync(record.runDir, { recursive: true });
    const port = record.port !== undefined && (await isFree(record.port)) ? record.port : await freePort();
    const server = await startClusterMysqld({
      binary,
      volumeDir: join(record.dir, 'volume'),
      runDir: record.runDir,
      port,
      innodbArgs: record.innodbArgs ?? [],
      master,
    });
    record.port = server.port;
    this.running.set(cluster.id, server);
    this.store.changed();
    return server;
  }

  private metadataOnly(cluster: ClusterRecord, reason: string): void {
    cluster.server = { ...cluster.server, state: 'metadata-only', reason };
    delete cluster.server.port;
    this.store.changed();
    this.addEvent(cluster, metadataOnlyEvent(reason), Math.max(Date.now(), clusterSettlesAt(cluster)));
    console.error(`emulator: cluster ${cluster.id} is metadata-only and serves no data: ${reason}`);
  }

  private addEvent(cluster: ClusterRecord, text: { message: string; categories: string[] }, date: number): void {
    this.store.addEvent({ sourceType: 'db-cluster', sourceId: cluster.id, sourceArn: cluster.arn, ...text, date });
  }
}
