/**
 * The cutover's freeze on real MySQL 8.0 and 5.7 sources: super_read_only refuses every writer, the final
 * position is read after writes stopped, the guard event puts the source back by itself at the deadline (no
 * worker), disarming keeps it read-only for good, unfreezing is idempotent, and nothing of it reaches the binary
 * log. The admin account (SUPER) plays `replication.source.user`, its password read from Secrets Manager (moto).
 */
import { CreateSecretCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mysql2/promise';
import { createConnection } from 'mysql2/promise';
import { guardEventName } from '../../../activities/mysql/freeze-guard';
import { missingTransactions } from '../../../activities/mysql/gtid-sets';
import { createSourceActivities } from '../../../activities/mysql/source-activities';
import { FailureTypes } from '../../../workflows/errors';
import type { ReplicationSource } from '../../../workflows/replication-types';
import { useSourceMysql } from '../../helpers/source-mysql';
import { testSecretsClient, uniqueName } from '../../helpers/stack';

async function failureOf(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(err)}`);
  return err;
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not true within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return Date.now() - started;
}

describe.each(['8.0', '5.7'] as const)('the freeze of a real MySQL %s source', (major) => {
  const server = useSourceMysql(major);
  /** Replicates from the source throughout (GTID auto-position), as the cluster will: the guard must never reach it. */
  const replica = useSourceMysql(major);
  let secrets: SecretsManagerClient;
  let activities: ReturnType<typeof createSourceActivities>;
  let source: ReplicationSource;
  let root: Connection;
  const app = { user: 'app', password: 'App-pass-1' };

  beforeAll(async () => {
    secrets = testSecretsClient();
    activities = createSourceActivities({ secrets: () => secrets });
    const { ARN } = await secrets.send(
      new CreateSecretCommand({ Name: uniqueName('source-admin'), SecretString: server().admin.password }),
    );
    source = { host: server().host, port: server().port, user: server().admin.user, passwordSecretArn: ARN! };
    root = await server().rootConnection();
    const replicaRoot = await replica().rootConnection();
    await replicaRoot.query(
      'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, MASTER_AUTO_POSITION = 1',
      [server().host, server().port, server().replication.user, server().replication.password],
    );
    await replicaRoot.query('START SLAVE');
    await replicaRoot.end();
    await root.query('CREATE DATABASE IF NOT EXISTS shop');
    await root.query('CREATE TABLE IF NOT EXISTS shop.notes (id INT AUTO_INCREMENT PRIMARY KEY, body TEXT)');
    await root.query("CREATE USER IF NOT EXISTS ?@'127.0.0.1' IDENTIFIED BY ?", [app.user, app.password]);
    await root.query("GRANT SELECT, INSERT ON shop.* TO ?@'127.0.0.1'", [app.user]);
  });

  afterEach(async () => {
    await root.query('SET GLOBAL super_read_only = OFF');
    await root.query('SET GLOBAL read_only = OFF');
    await root.query('SET GLOBAL event_scheduler = ON');
  });

  afterAll(async () => {
    await root?.end();
    secrets?.destroy();
  });

  async function insertAs(account: { user: string; password: string }): Promise<number | undefined> {
    const connection = await createConnection({ host: server().host, port: server().port, ...account });
    try {
      await connection.query("INSERT INTO shop.notes (body) VALUES ('a write')");
      return undefined;
    } catch (err) {
      return (err as { errno?: number }).errno;
    } finally {
      await connection.end();
    }
  }

  async function rootRow<T>(sql: string, values?: unknown[]): Promise<T | undefined> {
    const [rows] = await root.query(sql, values);
    return (rows as T[])[0];
  }

  const masterStatus = () => rootRow<{ File: string; Position: string | number }>('SHOW MASTER STATUS');
  const readOnlyNow = async () => Number((await rootRow<{ ro: number }>('SELECT @@GLOBAL.read_only AS ro'))?.ro);
  const guardOf = (workflowId: string) =>
    rootRow<{ status: string }>(
      "SELECT STATUS AS status FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'aurora_migrate' AND EVENT_NAME = ?",
      [guardEventName(workflowId)],
    );

  test('refuses writes of a non-SUPER user and of the SUPER admin, and returns the position after the last write', async () => {
    const workflowId = uniqueName('freeze');
    expect(await insertAs(app)).toBeUndefined();
    expect(await insertAs(server().admin)).toBeUndefined();
    const lastWrite = await masterStatus();

    const frozen = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 300_000 });

    expect(frozen.guard).toBe('event');
    // The guard's schema and event went past the binary log: the final position is the last write's.
    expect(frozen.position).toMatchObject({ file: lastWrite!.File, position: Number(lastWrite!.Position) });
    expect(frozen.position.gtidExecuted).toMatch(/^[0-9a-f-]{36}:1-\d+$/);
    expect(await guardOf(workflowId)).toEqual({ status: 'ENABLED' });
    expect(await insertAs(app)).toBe(1290);
    expect(await insertAs(server().admin)).toBe(1290);
    const state = await activities.readSourceState({ source });
    expect(state).toEqual({ position: frozen.position, readOnly: true, superReadOnly: true });

    // A retry while frozen: same moment of the freeze (from the guard), same position, still one guard.
    const again = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 300_000 });
    expect(again.position).toEqual(frozen.position);
    expect(Date.parse(again.frozenAt)).toBeLessThanOrEqual(Date.parse(frozen.frozenAt));
    expect(Date.parse(frozen.frozenAt) - Date.parse(again.frozenAt)).toBeLessThan(2_000);

    const unfrozen = await activities.unfreezeSource({ workflowId, source });
    expect(unfrozen.wasReadOnly).toBe(true);
    expect(await guardOf(workflowId)).toBeUndefined();
    expect(await insertAs(app)).toBeUndefined();
    // Idempotent: a second call finds the source writable and no guard.
    await expect(activities.unfreezeSource({ workflowId, source })).resolves.toMatchObject({ wasReadOnly: false });
  });

  test('under a write load, every acknowledged write is before the final position and none after it', async () => {
    const workflowId = uniqueName('load');
    const before = (await activities.readSourceState({ source })).position;
    const writer = await createConnection({ host: server().host, port: server().port, ...app });
    let acknowledged = 0;
    let refused = 0;
    let stop = false;
    const load = (async () => {
      while (!stop) {
        try {
          await writer.query("INSERT INTO shop.notes (body) VALUES ('under load')");
          acknowledged += 1;
        } catch (err) {
          if ((err as { errno?: number }).errno !== 1290) throw err;
          refused += 1;
        }
      }
    })();
    await new Promise((r) => setTimeout(r, 300));
    const frozen = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 300));
    stop = true;
    await load;
    await writer.end();

    expect(acknowledged).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
    // One GTID per autocommitted insert: the final position holds exactly the acknowledged ones, and the
    // binary log did not move after it.
    expect(missingTransactions(before.gtidExecuted, frozen.position.gtidExecuted)).toBe(acknowledged);
    expect((await activities.readSourceState({ source })).position).toEqual(frozen.position);
    await activities.unfreezeSource({ workflowId, source });
  });

  test('the guard event makes the source writable by itself at the deadline, with no worker, logging nothing', async () => {
    const workflowId = uniqueName('deadline');
    const frozen = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 3_000 });
    expect(await insertAs(app)).toBe(1290);

    const waited = await until(async () => (await readOnlyNow()) === 0, 15_000);
    expect(waited).toBeLessThan(15_000);
    const state = await activities.readSourceState({ source });
    expect(state).toMatchObject({ readOnly: false, superReadOnly: false, position: frozen.position });
    expect(await insertAs(app)).toBeUndefined();

    // The window is over: freezing again would outlast freezeTimeout, and committing must be refused.
    const refreeze = await failureOf(activities.freezeSource({ workflowId, source, freezeTimeoutMs: 3_000 }));
    expect(refreeze.type).toBe(FailureTypes.CutoverAborted);
    expect(refreeze.nonRetryable).toBe(true);
    expect(await readOnlyNow()).toBe(0);
    await root.query('SET GLOBAL super_read_only = ON');
    const commit = await failureOf(activities.disarmFreezeGuard({ workflowId, source }));
    expect(commit.type).toBe(FailureTypes.CutoverAborted);
    expect(commit.message).toContain('guard is due');

    await activities.unfreezeSource({ workflowId, source });
    expect(await guardOf(workflowId)).toBeUndefined();
    // After an unfreeze the next cutover attempt arms a fresh guard.
    await expect(activities.freezeSource({ workflowId, source, freezeTimeoutMs: 60_000 })).resolves.toMatchObject({
      guard: 'event',
    });
    await activities.unfreezeSource({ workflowId, source });
  }, 60_000);

  test('disarming removes the guard and keeps the source read-only past the deadline; a retry changes nothing', async () => {
    const workflowId = uniqueName('disarm');
    const frozen = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 3_000 });
    await activities.disarmFreezeGuard({ workflowId, source });
    await activities.disarmFreezeGuard({ workflowId, source });
    expect(await guardOf(workflowId)).toBeUndefined();

    await new Promise((r) => setTimeout(r, 5_000));
    const state = await activities.readSourceState({ source });
    expect(state).toEqual({ position: frozen.position, readOnly: true, superReadOnly: true });
    expect(await insertAs(server().admin)).toBe(1290);
  }, 30_000);

  test('a commit is refused when the source was made writable before the guard was disarmed', async () => {
    const workflowId = uniqueName('commit-writable');
    await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 300_000 });
    await root.query('SET GLOBAL super_read_only = OFF');
    await root.query('SET GLOBAL read_only = OFF');
    const commit = await failureOf(activities.disarmFreezeGuard({ workflowId, source }));
    expect(commit.type).toBe(FailureTypes.CutoverAborted);
    expect(commit.nonRetryable).toBe(true);
    await activities.unfreezeSource({ workflowId, source });
  });

  test('with the event scheduler off the freeze says only the workflow guards it', async () => {
    const workflowId = uniqueName('no-scheduler');
    await root.query('SET GLOBAL event_scheduler = OFF');
    const frozen = await activities.freezeSource({ workflowId, source, freezeTimeoutMs: 300_000 });
    expect(frozen.guard).toBe('workflow');
    expect(await insertAs(app)).toBe(1290);
    await expect(activities.unfreezeSource({ workflowId, source })).resolves.toMatchObject({ wasReadOnly: true });
    expect(await insertAs(app)).toBeUndefined();
  });

  test('the privileges the TSDoc states are enough: a user with only those freezes, is guarded, disarms', async () => {
    // Out of the binary log, as the guard's own statements: the replica must see nothing of the schema.
    await root.query('SET SESSION sql_log_bin = 0');
    await root.query('DROP DATABASE IF EXISTS aurora_migrate');
    await root.query('SET SESSION sql_log_bin = 1');
    const cutover = { user: 'cutover', password: 'Cutover-pass-1' };
    await root.query("CREATE USER IF NOT EXISTS ?@'127.0.0.1' IDENTIFIED BY ?", [cutover.user, cutover.password]);
    await root.query("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ?@'127.0.0.1'", [cutover.user]);
    await root.query(
      `GRANT ${major === '5.7' ? 'SUPER' : 'SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN'} ON *.* TO ?@'127.0.0.1'`,
      [cutover.user],
    );
    await root.query("GRANT CREATE, EVENT ON aurora_migrate.* TO ?@'127.0.0.1'", [cutover.user]);
    const minimal = { host: server().host, port: server().port, ...cutover };

    // The guard fires as its definer, this user, and needs nothing more.
    const fired = uniqueName('minimal-fires');
    await expect(
      activities.freezeSource({ workflowId: fired, source: minimal, freezeTimeoutMs: 2_000 }),
    ).resolves.toMatchObject({ guard: 'event' });
    expect(await insertAs(server().admin)).toBe(1290);
    await until(async () => (await readOnlyNow()) === 0, 15_000);
    await activities.unfreezeSource({ workflowId: fired, source: minimal });

    const committed = uniqueName('minimal-commits');
    await activities.freezeSource({ workflowId: committed, source: minimal, freezeTimeoutMs: 60_000 });
    await activities.disarmFreezeGuard({ workflowId: committed, source: minimal });
    expect(await activities.readSourceState({ source: minimal })).toMatchObject({
      readOnly: true,
      superReadOnly: true,
    });
    await expect(activities.unfreezeSource({ workflowId: committed, source: minimal })).resolves.toMatchObject({
      wasReadOnly: true,
    });

    // Once the schema exists, EVENT on it is enough (what the pre-flight asks for then).
    await root.query("REVOKE CREATE ON aurora_migrate.* FROM ?@'127.0.0.1'", [cutover.user]);
    const again = uniqueName('minimal-event-only');
    await activities.freezeSource({ workflowId: again, source: minimal, freezeTimeoutMs: 60_000 });
    await expect(activities.unfreezeSource({ workflowId: again, source: minimal })).resolves.toMatchObject({
      wasReadOnly: true,
    });
  }, 60_000);

  test('the replication user without the freeze privileges is refused, and the source stays writable', async () => {
    const workflowId = uniqueName('repl');
    const repl = { host: server().host, port: server().port, ...server().replication };
    const refused = await failureOf(activities.freezeSource({ workflowId, source: repl, freezeTimeoutMs: 60_000 }));
    expect(refused.type).toBe(FailureTypes.MysqlRejected);
    expect(refused.nonRetryable).toBe(true);
    // The statement that needs the privilege, and MySQL's naming of it, reach the message; the field, details.
    expect(refused.message).toMatch(/sql_log_bin.*SUPER/);
    expect(refused.details?.[0]).toMatchObject({ role: 'source', field: 'replication.source', errno: 1227 });
    expect(await readOnlyNow()).toBe(0);
    expect(await guardOf(workflowId)).toBeUndefined();
  });
  test('nothing of the freeze reached the replica: it followed every write without an error, and has no guard', async () => {
    const replicaRoot = await replica().rootConnection();
    try {
      const sourceSet = (await activities.readSourceState({ source })).position.gtidExecuted;
      let status: Record<string, unknown> = {};
      await until(async () => {
        const [rows] = await replicaRoot.query('SHOW SLAVE STATUS');
        status = (rows as Array<Record<string, unknown>>)[0] ?? {};
        const executed = ((status.Executed_Gtid_Set as string | undefined) ?? '').replace(/\s+/g, '');
        return missingTransactions(executed, sourceSet) === 0 || status.Last_SQL_Errno !== 0;
      }, 30_000);
      expect(status).toMatchObject({ Slave_IO_Running: 'Yes', Slave_SQL_Running: 'Yes', Last_SQL_Errno: 0 });
      const [schemas] = await replicaRoot.query(
        "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'aurora_migrate'",
      );
      expect(schemas).toEqual([]);
      const [events] = await replicaRoot.query('SELECT EVENT_NAME FROM information_schema.EVENTS');
      expect(events).toEqual([]);
      const [notes] = await replicaRoot.query('SELECT COUNT(*) AS n FROM shop.notes');
      const [sourceNotes] = await root.query('SELECT COUNT(*) AS n FROM shop.notes');
      expect(notes).toEqual(sourceNotes);
    } finally {
      await replicaRoot.end();
    }
  }, 60_000);
});
