/**
 * One cluster's bring-up, in order: lay the backup out as the volume (the validator's readers), decide from its
 * own files whether and how it can start (bringup-plan), read the source binlog position InnoDB recorded in it,
 * start mysqld with the master user and Aurora's procedures, and take the GTID set the server now holds.
 */
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { createConnection } from 'mysql2/promise';
import type { MysqldBinary, MysqlMajor } from '../mysql/mysqld-binaries';
import type { MysqldServer } from '../mysql/mysqld-server';
import type { ClusterRecord, ClusterServerRecord } from '../records';
import { planBringUp } from './bringup-plan';
import { positionInErrorLog, positionInSystemTablespace } from './recovered-position';
import { layOutVolume } from './volume';

/**
 * The emulator cannot serve this backup's data (no mysqld of its major version, or redo only XtraBackup can
 * apply): the cluster becomes available as metadata only, and its event says why. Any other error fails it.
 */
export class NotServable extends Error {
  override readonly name = 'NotServable';
}

/** Longest unix socket path (sun_path is 108 bytes on Linux, with room to spare). */
const MAX_SOCKET_PATH = 100;

/** The cluster's folder (`<dataDir>/c/<hash of its ARN>`) and run folder (short enough for a unix socket). */
export function clusterDirs(
  dataDir: string,
  cluster: Pick<ClusterRecord, 'arn' | 'resourceId'>,
): { dir: string; runDir: string } {
  const dir = join(dataDir, 'c', createHash('sha256').update(cluster.arn).digest('hex').slice(0, 12));
  const long = join(dir, 'run', 'mysqld.sock.lock').length > MAX_SOCKET_PATH;
  return { dir, runDir: long ? join(tmpdir(), `aurora-emu-${cluster.resourceId}`) : join(dir, 'run') };
}

/** What bringUpCluster needs. */
export interface BringUpInput {
  cluster: ClusterRecord;
  s3: S3Client;
  binaries: Record<MysqlMajor, MysqldBinary | undefined>;
  master: { username: string; password: string };
  signal: AbortSignal;
  /** Starts the cluster's mysqld as `cluster.server` describes it (ClusterServers tracks the process). */
  start(cluster: ClusterRecord, master: { username: string; password: string }): Promise<MysqldServer>;
}

/** A server that accepts connections, the position it recovered to, and a summary for the log. */
export interface BroughtUp {
  server: MysqldServer;
  recovered?: ClusterServerRecord['recovered'];
  summary: string;
}

/** Brings the cluster up; throws NotServable, a VolumeError, a ClusterStartError, or an S3 error. */
export async function bringUpCluster(input: BringUpInput): Promise<BroughtUp> {
  const { cluster, signal } = input;
  const record = cluster.server;
  if (!record?.dir || !record.runDir) throw new Error('the cluster has no folder for its volume');
  rmSync(record.dir, { recursive: true, force: true });
  const volumeDir = join(record.dir, 'volume');
  const laidOut = await layOutVolume({
    s3: input.s3,
    bucket: cluster.s3BucketName,
    prefix: cluster.s3Prefix ?? '',
    volumeDir,
    signal,
  });
  const plan = planBringUp(volumeDir, cluster.sourceEngineVersion);
  if (!plan.ok) throw new NotServable(plan.reason);
  if (!input.binaries[plan.major]) {
    const variable = plan.major === '8.0' ? 'AURORA_MIGRATE_MYSQLD_BIN' : 'AURORA_MIGRATE_MYSQLD57_BIN';
    throw new NotServable(`no mysqld ${plan.major} is installed (run scripts/bootstrap.sh, or set ${variable})`);
  }
  signal.throwIfAborted();
  // Read before the first start: the server's own commits (the master user, the procedures) overwrite it.
  const inVolume = positionInSystemTablespace(volumeDir, plan.innodbArgs);
  Object.assign(record, { major: plan.major, innodbArgs: plan.innodbArgs });
  const server = await input.start(cluster, input.master);
  const position = positionInErrorLog(server.errorLog) ?? inVolume;
  const gtidSet = await gtidExecuted(server, input.master);
  const recovered = position ? { ...position, ...(gtidSet ? { gtidSet } : {}) } : undefined;
  const where = position ? `recovered to ${position.file}:${position.position}` : 'no binlog position recorded';
  return {
    server,
    recovered,
    summary: `mysqld ${plan.major}, ${laidOut.files.length} files, ${laidOut.bytesRead} bytes from ${laidOut.format}, ${where}`,
  };
}

/** The server's @@GLOBAL.gtid_executed (the source's set, kept in mysql.gtid_executed), or '' without GTIDs. */
async function gtidExecuted(server: MysqldServer, master: { username: string; password: string }): Promise<string> {
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: master.username,
    password: master.password,
  });
  try {
    const [rows] = await connection.query('SELECT @@GLOBAL.gtid_executed AS g');
    return String((rows as { g: string | null }[])[0]?.g ?? '').replace(/\s+/g, '');
  } finally {
    await connection.end();
  }
}
