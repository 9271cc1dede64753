import type { Connection } from 'mysql2/promise';
import { installAuroraProcedures, replicationSpellingOf } from '../../emulator/cluster-server/aurora-procedures';
import type { MysqlMajor } from '../../emulator/mysql/mysqld-binaries';
import { useSourceMysql } from '../helpers/source-mysql';

/** The procedure names of each Aurora major version, as AWS documents them (facts §1). */
const NAMES: Record<MysqlMajor, { set: string; setAuto: string; reset: string; expected: string[] }> = {
  '5.7': {
    set: 'rds_set_external_master',
    setAuto: 'rds_set_external_master_with_auto_position',
    reset: 'rds_reset_external_master',
    expected: [
      'rds_reset_external_master',
      'rds_set_external_master',
      'rds_set_external_master_with_auto_position',
      'rds_set_master_auto_position',
      'rds_skip_repl_error',
      'rds_start_replication',
      'rds_stop_replication',
    ],
  },
  '8.0': {
    set: 'rds_set_external_source',
    setAuto: 'rds_set_external_source_with_auto_position',
    reset: 'rds_reset_external_source',
    expected: [
      'rds_gtid_purged',
      'rds_reset_external_master',
      'rds_reset_external_source',
      'rds_set_external_master',
      'rds_set_external_master_with_auto_position',
      'rds_set_external_source',
      'rds_set_external_source_with_auto_position',
      'rds_set_master_auto_position',
      'rds_set_source_auto_position',
      'rds_skip_repl_error',
      'rds_start_replication',
      'rds_stop_replication',
    ],
  },
};

type Row = Record<string, unknown>;

async function rows(connection: Connection, sql: string, values: unknown[] = []): Promise<Row[]> {
  const [result] = await connection.query(sql, values);
  return result as Row[];
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // A probe may fail until the data arrives (an unknown database): that is "not yet".
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const replicaStatus = async (replica: Connection): Promise<Row | undefined> =>
  (await rows(replica, 'SHOW SLAVE STATUS'))[0];

describe.each(['8.0', '5.7'] as const)("Aurora's procedures on a real MySQL %s", (major) => {
  const source = useSourceMysql(major);
  const target = useSourceMysql(major);
  const names = NAMES[major];
  let src: Connection;
  let replica: Connection;

  beforeAll(async () => {
    src = await source().rootConnection();
    replica = await target().rootConnection();
    // A cluster's server runs ON_PERMISSIVE (see cluster-mysqld.ts): GTIDs kept, a skip counter allowed.
    await replica.query("SET GLOBAL gtid_mode = 'ON_PERMISSIVE'");
    expect(await installAuroraProcedures(replica)).toBe(major);
    await src.query('CREATE DATABASE app');
    await src.query('CREATE TABLE app.t (id INT PRIMARY KEY, note VARCHAR(40))');
  }, 120_000);
  afterAll(async () => {
    await src?.end();
    await replica?.end();
  });

  const count = async (id: number): Promise<number> =>
    Number((await rows(replica, 'SELECT COUNT(*) AS n FROM app.t WHERE id = ?', [id]))[0]?.n ?? 0);
  const arrived = (id: number) =>
    eventually(`row ${id} on the replica`, async () => ((await count(id)) ? true : undefined));

  it('installs exactly the names of that Aurora version in the mysql schema', async () => {
    const found = await rows(
      replica,
      "SELECT ROUTINE_NAME AS name FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'mysql' ORDER BY 1",
    );
    expect(found.map((r) => r.name)).toEqual(names.expected);
    expect(replicationSpellingOf(String((await rows(replica, 'SELECT VERSION() AS v'))[0]?.v))).toBe('legacy');
  });

  it('replicates with GTID auto-position, and stops and resets on request', async () => {
    const { host, port, replication } = source();
    await replica.query(`CALL mysql.${names.setAuto}(?, ?, ?, ?, 0)`, [
      host,
      port,
      replication.user,
      replication.password,
    ]);
    await replica.query('CALL mysql.rds_start_replication');
    await src.query("INSERT INTO app.t VALUES (1, 'auto-position')");
    await arrived(1);
    expect((await replicaStatus(replica))?.Auto_Position).toBe(1);
    await replica.query('CALL mysql.rds_stop_replication');
    expect((await replicaStatus(replica))?.Slave_IO_Running).toBe('No');
    await replica.query(`CALL mysql.${names.reset}`);
    expect(await replicaStatus(replica)).toBeUndefined();
  });

  it('replicates from a binlog file and position, starting exactly there', async () => {
    const [status] = await rows(src, 'SHOW MASTER STATUS');
    await src.query("INSERT INTO app.t VALUES (2, 'after the position')");
    const { host, port, replication } = source();
    const file = String(status?.File);
    const position = Number(status?.Position);
    await replica.query(`CALL mysql.${names.set}(?, ?, ?, ?, ?, ?, 0)`, [
      host,
      port,
      replication.user,
      replication.password,
      file,
      position,
    ]);
    await replica.query('CALL mysql.rds_start_replication');
    await arrived(2);
    const after = await replicaStatus(replica);
    expect(after?.Master_Host).toBe(host);
    expect(after?.Auto_Position).toBe(0);
    expect(after?.Slave_SQL_Running).toBe('Yes');
  });

  it('skips the one failing transaction with rds_skip_repl_error', async () => {
    // A row written on the replica first makes the source's insert of the same key fail there (1062).
    await replica.query("INSERT INTO app.t VALUES (3, 'replica only')");
    await src.query("INSERT INTO app.t VALUES (3, 'conflicts')");
    const failed = await eventually('the duplicate-key error', async () => {
      const s = await replicaStatus(replica);
      return s?.Slave_SQL_Running === 'No' ? s : undefined;
    });
    expect(failed.Last_SQL_Errno).toBe(1062);
    await replica.query('CALL mysql.rds_skip_repl_error');
    await src.query("INSERT INTO app.t VALUES (4, 'after the skip')");
    await arrived(4);
    expect((await rows(replica, 'SELECT note FROM app.t WHERE id = 3'))[0]?.note).toBe('replica only');
    expect((await replicaStatus(replica))?.Slave_SQL_Running).toBe('Yes');
  });

  it('refuses a NULL argument instead of pointing replication nowhere', async () => {
    await expect(replica.query(`CALL mysql.${names.set}(NULL, 3306, 'u', 'p', 'f', 4, 0)`)).rejects.toThrow(
      /Invalid arguments/,
    );
  });

  (major === '8.0' ? it : it.skip)(
    "sets gtid_purged with rds_gtid_purged by AWS's rules: a superset, or + a set disjoint from gtid_executed",
    async () => {
      const other = '4f1a0b5e-1111-4222-8333-944445555666';
      const gtid = async () => (await rows(replica, 'SELECT @@GLOBAL.gtid_purged AS p'))[0]?.p as string;
      const before = await gtid();
      await replica.query('CALL mysql.rds_gtid_purged(?)', [`+${other}:1-5`]);
      expect((await gtid()).replace(/\s+/g, '')).toContain(`${other}:1-5`);
      // Overlapping what the server already executed is refused by MySQL itself (ERROR 3546).
      await expect(replica.query('CALL mysql.rds_gtid_purged(?)', [`+${other}:3-7`])).rejects.toThrow(/overlap/i);
      await expect(replica.query('CALL mysql.rds_gtid_purged(?)', [''])).rejects.toThrow(/Invalid arguments/);
      expect(before).not.toContain(other);
    },
  );

  it('removes the configuration with the _master reset alias too', async () => {
    await replica.query('CALL mysql.rds_stop_replication');
    await replica.query('CALL mysql.rds_reset_external_master');
    expect(await replicaStatus(replica)).toBeUndefined();
  });
});
