/**
 * The hand-run cutover AWS documents (replication-cutover-facts §4: stop writes on the source, watch
 * `Seconds_Behind_Master` in SHOW SLAVE/REPLICA STATUS reach 0, `CALL mysql.rds_stop_replication`), scripted
 * as faithfully as a careful operator would run it, plus the replication setup it starts from (the cluster's
 * own `mysql.rds_set_external_source` / `rds_start_replication`).
 */
import type { Connection } from 'mysql2/promise';
import type { SourceMysql } from '../../scripts/stack/source-mysql';
import type { BinlogCoordinates } from '../../workflows/types';
import { connectCluster, type ClusterLogin } from './replication-pair';

/** One run of the recipe: when writes stopped, when the cluster was declared the primary. */
export interface RecipeRun {
  /** `SET GLOBAL read_only = ON` issued (ms since the epoch). */
  frozenAt: number;
  /** `rds_stop_replication` returned: the operator points the application at Aurora now. */
  cutAt: number;
  /** Status reads until Seconds_Behind_Master read 0. */
  statusReads: number;
  /**
   * Bytes of the source's binary log the cluster had not executed when replication was stopped, and of those
   * how many its I/O thread had not even fetched (both 0 when nothing was lost).
   */
  atCut: { unexecutedBytes: number; unfetchedBytes: number };
}

/** How often the scripted operator reads SHOW SLAVE STATUS. */
export const RECIPE_POLL_MS = 500;

/** Points the cluster at the source from the backup's coordinates and starts replication (once per cluster). */
export async function startReplicationByHand(
  cluster: ClusterLogin,
  source: SourceMysql,
  from: BinlogCoordinates,
): Promise<void> {
  const c = await connectCluster(cluster);
  try {
    await c.query('CALL mysql.rds_set_external_source(?, ?, ?, ?, ?, ?, 0)', [
      source.host,
      source.port,
      source.replication.user,
      source.replication.password,
      from.file,
      from.position,
    ]);
    await c.query('CALL mysql.rds_start_replication()');
  } finally {
    await c.end();
  }
}

/** The recipe, on a source under load: read-only, poll until Seconds_Behind_Master = 0, stop replication. */
export async function runAwsRecipe(cluster: ClusterLogin, sourceRoot: Connection): Promise<RecipeRun> {
  const c = await connectCluster(cluster);
  try {
    const frozenAt = Date.now();
    // The recipe's "stop writes": read_only stops every account without SUPER (the load's account has none).
    await sourceRoot.query('SET GLOBAL read_only = ON');
    let statusReads = 0;
    for (;;) {
      statusReads += 1;
      const status = await replicaStatus(c);
      if (status.secondsBehind === 0) break;
      if (status.io !== 'Yes' || status.sql !== 'Yes')
        throw new Error(`replication not running: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, RECIPE_POLL_MS));
    }
    await c.query('CALL mysql.rds_stop_replication()');
    const cutAt = Date.now();
    const [rows] = await sourceRoot.query('SHOW MASTER STATUS');
    const final = (rows as Array<{ File: string; Position: number }>)[0]!;
    const stopped = await replicaStatus(c);
    if (stopped.file !== final.File || stopped.readFile !== final.File) {
      throw new Error(`the source rotated its binary log during the cutover (${stopped.file} → ${final.File})`);
    }
    return {
      frozenAt,
      cutAt,
      statusReads,
      atCut: { unexecutedBytes: final.Position - stopped.position, unfetchedBytes: final.Position - stopped.read },
    };
  } finally {
    await c.end();
  }
}

/** Puts the pair back for the next run: source writable, replication running again and caught up. */
export async function resumeAfterRecipe(cluster: ClusterLogin, sourceRoot: Connection): Promise<void> {
  await sourceRoot.query('SET GLOBAL super_read_only = OFF, GLOBAL read_only = OFF');
  const c = await connectCluster(cluster);
  try {
    await c.query('CALL mysql.rds_start_replication()');
    await untilExecuted(c, sourceRoot);
  } finally {
    await c.end();
  }
}

/** Waits until the cluster has executed the source's current file/position (the exact check, not the lag). */
export async function untilExecuted(cluster: Connection, sourceRoot: Connection, timeoutMs = 120_000): Promise<void> {
  const [rows] = await sourceRoot.query('SHOW MASTER STATUS');
  const target = (rows as Array<{ File: string; Position: number }>)[0];
  if (!target) throw new Error('SHOW MASTER STATUS returned nothing: is binary logging on?');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await replicaStatus(cluster);
    if (s.file === target.File && s.position >= target.Position) return;
    if (Date.now() > deadline)
      throw new Error(`cluster at ${s.file}:${s.position}, source at ${target.File}:${target.Position}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Status {
  io: string;
  sql: string;
  secondsBehind: number | null;
  /** The SQL thread's executed file/position. */
  file: string;
  position: number;
  /** The I/O thread's fetched file/position. */
  readFile: string;
  read: number;
}

/** SHOW SLAVE STATUS (what 8.0.15 and Aurora v2/v3 all answer), both spellings of the fields. */
async function replicaStatus(c: Connection): Promise<Status> {
  const [rows] = await c.query('SHOW SLAVE STATUS');
  const r = (rows as Array<Record<string, unknown>>)[0];
  if (!r) throw new Error('SHOW SLAVE STATUS returned nothing: replication is not configured');
  const pick = (...names: string[]): unknown => names.map((n) => r[n]).find((v) => v !== undefined);
  const behind = pick('Seconds_Behind_Master', 'Seconds_Behind_Source');
  return {
    io: String(pick('Slave_IO_Running', 'Replica_IO_Running')),
    sql: String(pick('Slave_SQL_Running', 'Replica_SQL_Running')),
    secondsBehind: behind === null || behind === undefined ? null : Number(behind),
    file: String(pick('Relay_Master_Log_File', 'Relay_Source_Log_File')),
    position: Number(pick('Exec_Master_Log_Pos', 'Exec_Source_Log_Pos')),
    readFile: String(pick('Master_Log_File', 'Source_Log_File')),
    read: Number(pick('Read_Master_Log_Pos', 'Read_Source_Log_Pos')),
  };
}
