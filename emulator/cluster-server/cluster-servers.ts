/**
 * The real MySQL servers behind emulated clusters: on RestoreDBClusterFromS3 the backup is read from S3 into the
 * cluster's volume (`<dataDir>/c/<hash>/volume`) and a mysqld started on it; DeleteDBCluster stops it and removes
 * the volume; a restarted emulator starts the serving ones again. No mysqld outlives the emulator: `close` stops
 * them, a process exit kills them, and `resume` kills any left by an emulator that was SIGKILLed (by pid file).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { clusterSettlesAt } from '../lifecycle';
import { failureEvent } from '../event-messages';
import type { MysqldBinary, MysqlMajor } from '../mysql/mysqld-binaries';
import type { MysqldServer } from '../mysql/mysqld-server';
import type { ClusterRecord } from '../records';
import type { S3CheckOptions } from '../s3-check';
import type { EmulatorStore } from '../state';
import { bringUpCluster, clusterDirs, NotServable } from './bring-up';
import { startClusterMysqld } from './cluster-mysqld';
import { freePort, isFree } from '../loopback-ports';
import { killQuietly, killStale } from './processes';
import { metadataOnlyEvent, recoveredEvents } from './server-events';

/** How the emulator runs cluster servers. */
export interface ClusterServerOptions {
  /** Volumes and run folders live here. */
  dataDir: string;
  s3: S3CheckOptions;
  /** The mysqld of each major version, or undefined when none is installed. */
  binaries: Record<MysqlMajor, MysqldBinary | undefined>;
}

/** One running cluster server, as the control endpoint lists it. */
export interface RunningClusterServer {
  clusterId: string;
  pid: number;
  port: number;
  volumeDir: string;
}

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
    cluster.server = { state: 'restoring', ...clusterDirs(resolve(this.options.dataDir), cluster) };
    this.store.changed();
    const abort = new AbortController();
    const done = bringUpCluster({
      cluster,
      s3: this.s3,
      binaries: this.options.binaries,
      master: { username: cluster.masterUsername, password: masterPassword },
      signal: abort.signal,
      start: (c, master) => this.start(c, master),
    })
      .then(({ server, recovered, summary }) => {
        if (abort.signal.aborted) return;
        cluster.server = { ...cluster.server, state: 'serving', ...(recovered ? { recovered } : {}) };
        this.store.changed();
        const date = Math.max(Date.now(), clusterSettlesAt(cluster));
        for (const text of recovered ? recoveredEvents(recovered) : []) this.addEvent(cluster, text, date);
        console.log(`emulator: cluster ${cluster.id} serves its data on 127.0.0.1:${server.port} (${summary})`);
      })
      .catch((err: unknown) => {
        if (abort.signal.aborted) return;
        const reason = err instanceof Error ? (err.message.split('\n')[0] ?? err.name) : String(err);
        if (err instanceof NotServable) this.metadataOnly(cluster, reason);
        else this.failed(cluster, reason);
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
    for (const dir of [cluster.server?.dir, cluster.server?.runDir])
      if (dir) rmSync(dir, { recursive: true, force: true });
    if (cluster.server) cluster.server = { ...cluster.server, state: 'removed' };
  }

  /** Removes the servers and volumes of all these clusters (the control endpoint's reset). */
  async removeAll(clusters: ClusterRecord[]): Promise<void> {
    await Promise.all(clusters.map((c) => this.remove(c)));
  }

  /** The servers running now. */
  list(): RunningClusterServer[] {
    return [...this.running].map(([clusterId, s]) => ({ clusterId, pid: s.pid, port: s.port, volumeDir: s.datadir }));
  }

  /** On emulator start: kills stale mysqlds, then starts the servers of the clusters that were serving. */
  async resume(clusters: ClusterRecord[]): Promise<void> {
    const runDirs = new Set(clusters.flatMap((c) => (c.server?.runDir ? [c.server.runDir] : [])));
    const root = join(resolve(this.options.dataDir), 'c');
    if (existsSync(root)) for (const name of readdirSync(root)) runDirs.add(join(root, name, 'run'));
    await Promise.all([...runDirs].map((dir) => killStale(dir)));
    await Promise.all(
      clusters.map(async (cluster) => {
        const server = cluster.server;
        if (server?.state === 'restoring') {
          this.failed(cluster, 'the emulator restarted during the restore; restore the cluster again');
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

  /** Starts the cluster's mysqld on its volume (a free port, its earlier one when free) and tracks it. */
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

  /** The restore failed as RDS's does: `migration-failed`, with the reason in RDS-EVENT-0076. */
  private failed(cluster: ClusterRecord, reason: string): void {
    const server = this.running.get(cluster.id);
    this.running.delete(cluster.id);
    server?.stop().catch((err: unknown) => console.error(`emulator: stopping mysqld ${server.pid} failed:`, err));
    cluster.server = { ...cluster.server, state: 'failed', reason };
    delete cluster.server.port;
    cluster.failure = { status: 'migration-failed', eventMessage: reason };
    this.store.changed();
    const text = failureEvent('db-cluster', cluster.id, cluster.failure, cluster.sourceEngineVersion);
    this.addEvent(cluster, text, Math.max(Date.now(), clusterSettlesAt(cluster)));
    console.error(`emulator: the restore of cluster ${cluster.id} failed: ${reason}`);
  }

  private addEvent(cluster: ClusterRecord, text: { message: string; categories: string[] }, date: number): void {
    this.store.addEvent({ sourceType: 'db-cluster', sourceId: cluster.id, sourceArn: cluster.arn, ...text, date });
  }
}
