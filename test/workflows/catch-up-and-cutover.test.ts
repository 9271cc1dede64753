/**
 * Catch-up and cutover end to end on real servers: a real source MySQL, its real-data backup in S3, a migration
 * through Temporal into an emulated cluster that is a real mysqld, replication from the source, then the cutover.
 * Rows written on the source after the backup reach the cluster while it catches up, and a steady write load (a
 * generator inserting and updating, as an application without SUPER) runs from before the restore until after
 * the cutover: after it every write the load saw committed is on the cluster, every table's checksum is equal,
 * the source is read-only and the cluster no longer replicates.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { Connection } from 'mysql2/promise';
import { MigrationStateError } from '../../client/errors';
import type { MigrationStatus } from '../../client/progress';
import { cutover } from '../../client/temporal';
import type { MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import { SAMPLE_SCHEMA, SAMPLE_TABLES } from '../../scripts/fixtures/real-data';
import {
  committedCount,
  createLoadAccount,
  startWriteLoad,
  verifyLoadArrived,
  type LoadRecord,
  type WriteLoad,
} from '../../scripts/fixtures/write-load';
import type { SourceMysql } from '../../scripts/stack/source-mysql';
import { SearchAttributeKeys } from '../../workflows/ids';
import type { CutoverMode, MigrationResult, ReplicationMode } from '../../workflows/types';
import { startMigration } from '../helpers/migration';
import { useSourceMysql } from '../helpers/source-mysql';
import { cliEnv, runCli } from '../client/cli-helpers';
import {
  connectCluster,
  eventually,
  replicationSpec,
  rows,
  startCatchUpRig,
  waitForProgress,
  type CatchUpRig,
} from './catch-up-helpers';

interface Case {
  major: MysqlMajor;
  mode: ReplicationMode;
  trigger: CutoverMode;
}

const CASES: Case[] = [
  { major: '8.0', mode: 'binlog-position', trigger: 'manual' },
  { major: '5.7', mode: 'gtid', trigger: 'automatic' },
  { major: '8.0', mode: 'gtid', trigger: 'automatic' },
  { major: '5.7', mode: 'binlog-position', trigger: 'manual' },
];

/** Rows the tests write on the source after the backup: ids far above the sample's. */
const FIRST_NEW_ID = 900_001;

describe.each(CASES)('a migration of a real MySQL $major source with $mode replication and $trigger cutover', (c) => {
  const source = useSourceMysql(c.major);
  let rig: CatchUpRig;
  let handle: WorkflowHandle<() => Promise<MigrationResult>>;
  let result: MigrationResult;
  let clusterId: string;
  let load: WriteLoad | undefined;
  let loadRecord: LoadRecord | undefined;
  const writeOnSource = (firstId: number, count: number) => insertCustomers(source(), firstId, count);

  beforeAll(async () => {
    rig = await startCatchUpRig(source());
    const spec = replicationSpec(rig, source(), {
      mode: c.mode,
      cutover: c.trigger,
      ...(c.trigger === 'automatic' ? { maxLagSeconds: 2 } : {}),
    });
    clusterId = spec.restore.DBClusterIdentifier;
    // Written after the backup, before the cluster exists: only replication can bring them.
    await writeOnSource(FIRST_NEW_ID, 20);
    // The application's steady writes, from before the restore until after the cutover.
    const root = await source().rootConnection();
    try {
      load = await startWriteLoad({ login: await createLoadAccount(root, source()), ratePerSecond: 60, writers: 3 });
    } finally {
      await root.end();
    }
    await load.untilCommitted(20);
    handle = await startMigration(rig.worker, spec);
  }, 300_000);

  afterAll(async () => {
    await load?.stop();
    await rig?.close();
  }, 120_000);

  const catchUpTitle =
    c.trigger === 'manual'
      ? 'catches up: rows written on the source after the backup, and during catch-up, arrive on the cluster'
      : "catches up and decides the cutover itself after consecutive low-lag reads, refusing a person's meanwhile";
  it(
    catchUpTitle,
    async () => {
      if (c.trigger === 'automatic') {
        // The cutover follows on its own once caught up: its decision records the reads that allowed it, and the
        // last test finds the rows on the cluster.
        // While it catches up (at least three reads a second apart), a person's cutover is refused.
        await waitForProgress(handle, (p) => p.step === 'catching-up');
        const refusal = await cutover(rig.worker.client, handle.workflowId, { by: 'alice' }).catch((e: unknown) => e);
        expect(refusal).toBeInstanceOf(MigrationStateError);
        expect((refusal as Error).message).toContain('cuts over automatically');
        const progress = await waitForProgress(handle, (p) => p.replication?.cutover !== undefined);
        expect(progress.replication?.start).toMatchObject({ mode: c.mode, alreadyConfigured: false });
        expect(progress.replication?.cutover).toMatchObject({ by: 'aurora-migrate', trigger: 'automatic' });
        expect(progress.replication?.cutover?.reason).toContain('3 consecutive reads');
        return;
      }
      const progress = await waitForProgress(handle, (p) => p.step === 'awaiting-cutover');
      expect(progress.replication?.start).toMatchObject({ mode: c.mode, alreadyConfigured: false });
      expect(progress.replication?.lag).toMatchObject({ ioRunning: 'Yes', sqlRunning: 'Yes' });
      expect(progress.replication?.ends).toEqual({ source: 'writable', target: 'replicating' });
      await writeOnSource(FIRST_NEW_ID + 20, 5);
      const cluster = await connectCluster(rig.rds, clusterId);
      try {
        await eventually(async () => (await countNew(cluster)) === 25);
      } finally {
        await cluster.end();
      }
    },
    300_000,
  );

  // An automatic cutover has no waiting step to look at.
  const manualIt = c.trigger === 'manual' ? it : it.skip;

  manualIt(
    'shows the lag and the cutover command in status, status --json, the Web UI details and the step attribute',
    async () => {
      const id = handle.workflowId;
      const env = cliEnv(rig.worker.config.taskQueue);
      const text = await runCli(['status', id], env);
      expect(text.code).toBe(0);
      expect(text.stdout).toMatch(/Step\s+awaiting-cutover/);
      expect(text.stdout).toMatch(/Replica\s+lag \d+s/);
      expect(text.stdout).toContain(`aurora-migrate cutover ${id} --by <name>`);
      const json = JSON.parse((await runCli(['status', id, '--json'], env)).stdout) as MigrationStatus;
      expect(json.step).toBe('awaiting-cutover');
      expect(typeof json.replication?.lag?.secondsBehind).toBe('number');
      const { currentDetails } = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
      expect(currentDetails).toContain('**Caught up: waiting for the cutover decision**');
      expect(currentDetails).toMatch(/- replica: lag \d+s/);
      expect(currentDetails).toContain(`\`aurora-migrate cutover ${id} --by <name> --reason <text>\``);
      const attributes = (await handle.describe()).typedSearchAttributes;
      expect(attributes.get(SearchAttributeKeys.step)).toBe('awaiting-cutover');
    },
    60_000,
  );

  manualIt('refuses a cutover request without a name, and leaves the migration waiting', async () => {
    const refusal = await cutover(rig.worker.client, handle.workflowId, { by: '  ' }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(MigrationStateError);
    expect((refusal as Error).message).toContain('"by" must name who decides');
    const progress = await waitForProgress(handle, () => true);
    expect(progress.step).toBe('awaiting-cutover');
    expect(progress.replication?.cutover).toBeUndefined();
  });

  it('cuts over: the report has the read-only window, the final position, equal checksums and the endpoint', async () => {
    if (c.trigger === 'manual') {
      const decision = await cutover(rig.worker.client, handle.workflowId, { by: 'alice', reason: 'window' });
      expect(decision).toMatchObject({ by: 'alice', reason: 'window', trigger: 'manual' });
      const again = await cutover(rig.worker.client, handle.workflowId, { by: 'bob' }).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(MigrationStateError);
      expect((again as Error).message).toMatch(/already decided by alice|is COMPLETED/);
    }
    result = await handle.result();
    loadRecord = await load!.stop();
    const report = result.cutover!;
    expect(report.decision.trigger).toBe(c.trigger);
    expect(report.ends).toEqual({ source: 'read-only', target: 'detached' });
    expect(report.readOnlyMs).toBeGreaterThan(0);
    expect(report.readOnlyMs).toBeLessThan(120_000);
    expect(report.endpoint).toBe(`${result.cluster.Endpoint}:${result.cluster.Port}`);
    expect(report.verification.map((v) => v.table).sort()).toEqual(
      [...SAMPLE_TABLES.map((t) => `${SAMPLE_SCHEMA}.${t}`), loadRecord.table.replace(/`/g, '')].sort(),
    );
    for (const table of report.verification) {
      expect(table).toMatchObject({ method: 'checksum', equal: true });
      expect(table.source).toBe(table.target);
    }
    const { currentDetails } = await handle.query<{ currentDetails?: string }>('__temporal_workflow_metadata');
    expect(currentDetails).toContain(`- cutover: read-only for ${(report.readOnlyMs / 1000).toFixed(1)}s`);
    expect(currentDetails).toContain(`point the application at ${report.endpoint}`);
    const admin = await source().adminConnection();
    try {
      const [status] = await rows<{ File: string; Position: string }>(admin, 'SHOW MASTER STATUS');
      expect(report.finalPosition).toMatchObject({ file: status!.File, position: Number(status!.Position) });
    } finally {
      await admin.end();
    }
  }, 300_000);

  it('leaves the source read-only, the cluster with every row and no replication configured', async () => {
    const admin = await source().adminConnection(SAMPLE_SCHEMA);
    try {
      const [flags] = await rows<{ ro: number; sro: number }>(
        admin,
        'SELECT @@read_only AS ro, @@super_read_only AS sro',
      );
      expect(flags).toEqual({ ro: 1, sro: 1 });
      await expect(admin.query("UPDATE customers SET city = 'x' WHERE id = 1")).rejects.toMatchObject({
        errno: 1290,
      });
    } finally {
      await admin.end();
    }
    const cluster = await connectCluster(rig.rds, clusterId);
    try {
      expect(await countNew(cluster)).toBe(c.trigger === 'manual' ? 25 : 20);
      expect(await rows(cluster, 'SHOW SLAVE STATUS')).toEqual([]);
      // Every write the application saw committed on the source (all before the freeze) is on the cluster.
      const arrival = await verifyLoadArrived(cluster, loadRecord!);
      expect(committedCount(loadRecord!)).toBeGreaterThan(20);
      expect(arrival).toMatchObject({ lostWrites: 0, missing: [], stale: [], extra: [], ok: true });
      expect(loadRecord!.failures).toEqual([]);
    } finally {
      await cluster.end();
    }
  });
});

/** Inserts `count` customers from `firstId` on, as the source's admin (as an application would write). */
async function insertCustomers(source: SourceMysql, firstId: number, count: number): Promise<void> {
  const admin = await source.adminConnection(SAMPLE_SCHEMA);
  try {
    for (let id = firstId; id < firstId + count; id++) {
      await admin.query('INSERT INTO customers (id, name, email, city, created_at) VALUES (?, ?, ?, ?, NOW())', [
        id,
        `Après ${id}`,
        `after-${id}@example.com`,
        'Zürich',
      ]);
    }
  } finally {
    await admin.end();
  }
}

/** How many of the rows written after the backup a server holds. */
async function countNew(connection: Connection): Promise<number> {
  const [row] = await rows<{ n: number }>(
    connection,
    `SELECT COUNT(*) AS n FROM ${SAMPLE_SCHEMA}.customers WHERE id >= ?`,
    [FIRST_NEW_ID],
  );
  return Number(row!.n);
}
