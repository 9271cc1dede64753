/**
 * The hand-run cutover AWS documents (replication-cutover-facts §4: stop writes on the source, watch
 * `Seconds_Behind_Master` in SHOW SLAVE/REPLICA STATUS reach 0, `CALL mysql.rds_stop_replication`), scripted
 * as faithfully as a careful operator would run it, plus the replication setup it starts from (the cluster's
 * own `mysql.rds_set_external_source` / `rds_start_replication`).
 */
import type { Connection } from 'mysql2/promise';
import { readReplicaPosition, sourceBinlogPosition, untilExecuted } from '../../scripts/fixtures/replica-position';
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
      const status = await readReplicaPosition(c);
      if (!status) throw new Error('replication is not configured on the cluster');
      if (status.secondsBehind === 0) break;
      if (status.io !== 'Yes' || status.sql !== 'Yes')
        throw new Error(`replication not running: ${JSON.stringify(status)}`);
      await new Promise((r) => setTimeout(r, RECIPE_POLL_MS));
    }
    await c.query('CALL mysql.rds_stop_replication()');
    const cutAt = Date.now();
    const final = await sourceBinlogPosition(sourceRoot);
    const stopped = await readReplicaPosition(c);
    if (!stopped || stopped.file !== final.file || stopped.readFile !== final.file) {
      throw new Error(`the source rotated its binary log during the cutover (${stopped?.file} → ${final.file})`);
    }
    return {
      frozenAt,
      cutAt,
      statusReads,
      atCut: { unexecutedBytes: final.position - stopped.position, unfetchedBytes: final.position - stopped.read },
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
