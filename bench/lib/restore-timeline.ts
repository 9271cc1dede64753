/**
 * One timed restore on the cluster-server emulator: RestoreDBClusterFromS3 through the real AWS SDK, then
 * DescribeDBClusters until `available`, then mysql2 on the returned Endpoint/Port until `SELECT COUNT(*)` of a
 * sample table succeeds. The phases in between are read from what the emulator already exposes, with no timing
 * hook of its own: the cluster's ClusterCreateTime (the emulator creates the record, and begins the bring-up, once
 * its S3 check of the prefix is done), the cluster's mysqld error log (the server's first line, i.e. the layout
 * from S3 is done and mysqld spawned, and its "ready for connections"), and the
 * "Recovered from Binary log" RDS event, which the emulator dates when the server is provisioned and serving.
 * All clocks are this machine's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteDBClusterCommand,
  DescribeDBClustersCommand,
  DescribeEventsCommand,
  RestoreDBClusterFromS3Command,
} from '@aws-sdk/client-rds';
import { createConnection } from 'mysql2/promise';
import { clusterDirs } from '../../emulator/cluster-server/bring-up';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import type { ClusterServerEmulator } from './cluster-server-emulator';
import { sleepMs } from './settings';

/** What to restore. */
export interface TimedRestoreInput {
  clusterId: string;
  bucket: string;
  prefix: string;
  /** e.g. `8.0.15` (the backup's server version). */
  sourceEngineVersion: string;
  /** `schema.table` to count. */
  table: string;
  password: string;
}

/** Milliseconds after the RestoreDBClusterFromS3 call was sent; undefined where the source did not say. */
export interface RestoreTimeline {
  /** ClusterCreateTime: the restore call's S3 check is done, the cluster exists and its bring-up begins. */
  created?: number;
  /** First line of the cluster's mysqld error log: the volume is laid out and mysqld was spawned. */
  mysqldStarted?: number;
  /** mysqld's "ready for connections" line (InnoDB started, init file run). */
  mysqldReady?: number;
  /** The "Recovered from Binary log" event's date: master user and procedures provisioned, the cluster serves. */
  serving?: number;
  /** The first DescribeDBClusters answer with `available`. */
  availableSeen: number;
  /** `SELECT COUNT(*)` answered on Endpoint:Port. */
  firstQuery: number;
  /** Connections tried before the query succeeded (1 when the first worked). */
  connectAttempts: number;
  /** The count it answered. */
  rows: number;
}

const POLL_MS = 50;
const TIMEOUT_MS = 10 * 60_000;

/** Restores, times, then deletes the cluster (which stops its mysqld and removes its volume). */
export async function timeRestore(emu: ClusterServerEmulator, input: TimedRestoreInput): Promise<RestoreTimeline> {
  const t0 = Date.now();
  const restored = await emu.rds.send(
    new RestoreDBClusterFromS3Command({
      DBClusterIdentifier: input.clusterId,
      Engine: 'aurora-mysql',
      EngineVersion: input.sourceEngineVersion.startsWith('5.7')
        ? '5.7.mysql_aurora.2.12.0'
        : '8.0.mysql_aurora.3.04.0',
      MasterUsername: 'admin',
      MasterUserPassword: input.password,
      SourceEngine: 'mysql',
      SourceEngineVersion: input.sourceEngineVersion,
      S3BucketName: input.bucket,
      S3Prefix: input.prefix.replace(/\/$/, ''),
      S3IngestionRoleArn: SAMPLE_ROLE_ARN,
    }),
  );
  try {
    const cluster = await availableCluster(emu, input.clusterId, t0);
    const availableSeen = Date.now() - t0;
    let connectAttempts = 0;
    let rows = NaN;
    for (;;) {
      connectAttempts += 1;
      try {
        rows = await countRows(cluster.endpoint, cluster.port, input.password, input.table);
        break;
      } catch (err) {
        if (Date.now() - t0 > TIMEOUT_MS)
          throw new Error(`no answer on ${cluster.endpoint}:${cluster.port}: ${(err as Error).message}`);
        await sleepMs(POLL_MS);
      }
    }
    const firstQuery = Date.now() - t0;
    const arn = restored.DBCluster?.DBClusterArn ?? '';
    const resourceId = restored.DBCluster?.DbClusterResourceId ?? '';
    const errorLog = join(clusterDirs(emu.volumesDir, { arn, resourceId }).runDir, 'mysqld.err');
    const mysqld = mysqldTimes(errorLog);
    const since = (at: number | undefined): number | undefined => (at === undefined ? undefined : at - t0);
    return {
      created: since(restored.DBCluster?.ClusterCreateTime?.getTime()),
      mysqldStarted: since(mysqld.started),
      mysqldReady: since(mysqld.ready),
      serving: since(await servingAt(emu, input.clusterId)),
      availableSeen,
      firstQuery,
      connectAttempts,
      rows,
    };
  } finally {
    await emu.rds.send(new DeleteDBClusterCommand({ DBClusterIdentifier: input.clusterId, SkipFinalSnapshot: true }));
  }
}

async function availableCluster(
  emu: ClusterServerEmulator,
  id: string,
  t0: number,
): Promise<{ endpoint: string; port: number }> {
  for (;;) {
    const out = await emu.rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }));
    const cluster = out.DBClusters?.[0];
    if (cluster?.Status === 'available' && cluster.Endpoint && cluster.Port) {
      return { endpoint: cluster.Endpoint, port: cluster.Port };
    }
    if (cluster?.Status !== 'creating' && cluster?.Status !== 'migrating' && cluster?.Status !== 'available') {
      throw new Error(`cluster ${id} reached ${cluster?.Status}; see the emulator's log`);
    }
    if (Date.now() - t0 > TIMEOUT_MS) throw new Error(`cluster ${id} still ${cluster.Status} after 10 min`);
    await sleepMs(POLL_MS);
  }
}

async function countRows(host: string, port: number, password: string, table: string): Promise<number> {
  const connection = await createConnection({ host, port, user: 'admin', password, connectTimeout: 5000 });
  try {
    const [result] = await connection.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number((result as { n: number }[])[0]?.n);
  } finally {
    await connection.end();
  }
}

/** The date the emulator gave the cluster's "Recovered from Binary log" event (see server-events.ts). */
async function servingAt(emu: ClusterServerEmulator, id: string): Promise<number | undefined> {
  const out = await emu.rds.send(
    new DescribeEventsCommand({
      SourceType: 'db-cluster',
      SourceIdentifier: id,
      StartTime: new Date(Date.now() - 3_600_000),
    }),
  );
  const event = (out.Events ?? []).find((e) => e.Message?.startsWith('Recovered from Binary log'));
  return event?.Date?.getTime();
}

/** The first timestamp of the error log and that of its "ready for connections" line (UTC, both versions). */
export function mysqldTimes(errorLog: string): { started?: number; ready?: number } {
  if (!existsSync(errorLog)) return {};
  const stamp = (line: string | undefined): number | undefined => {
    const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?)(Z|[+-]\d\d:?\d\d)?/.exec(line ?? '');
    return m ? Date.parse(`${m[1]}${m[2] ?? 'Z'}`) : undefined;
  };
  const lines = readFileSync(errorLog, 'utf8').split('\n');
  return {
    started: stamp(lines.find((l) => stamp(l) !== undefined)),
    ready: stamp(lines.find((l) => l.includes('ready for connections'))),
  };
}
