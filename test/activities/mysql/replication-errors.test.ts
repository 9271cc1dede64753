import { parseReplicaStatus } from '../../../activities/mysql/replica-status';
import { explainReplicationStop, ReplicationStopKinds } from '../../../activities/mysql/replication-errors';
import { useSourceMysql } from '../../helpers/source-mysql';

const source = useSourceMysql('8.0');
const replica = useSourceMysql('8.0');

async function statusUntil<T>(read: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for the replica to report');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('replication stops on real MySQL 8.0 servers', () => {
  test('a replica started at a binary log the source does not have stops with 1236, explained as purged', async () => {
    const root = await replica().rootConnection();
    try {
      const { host, port, replication } = source();
      await root.query('STOP SLAVE');
      await root.query(
        'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, ' +
          "MASTER_LOG_FILE = 'mysql-bin.999999', MASTER_LOG_POS = 4",
        [host, port, replication.user, replication.password],
      );
      await root.query('START SLAVE');
      const stop = await statusUntil(async () => {
        const [rows] = await root.query('SHOW SLAVE STATUS');
        const status = parseReplicaStatus((rows as Record<string, unknown>[])[0]);
        return status && status.ioErrno !== 0 ? explainReplicationStop(status) : undefined;
      });
      expect(stop).toMatchObject({
        kind: ReplicationStopKinds.BinlogPurged,
        thread: 'io',
        errno: 1236,
        permanent: true,
      });
      expect(stop.error).toContain('1236');
      expect(stop.fix).toContain('binlog retention');
      await root.query('STOP SLAVE');
      await root.query('RESET SLAVE ALL');
    } finally {
      await root.end();
    }
  }, 60_000);

  test('a replica whose table already holds a row the source inserts stops with 1062, explained as diverged', async () => {
    const src = await source().rootConnection();
    const root = await replica().rootConnection();
    try {
      await src.query('CREATE DATABASE IF NOT EXISTS repl_test');
      await src.query('CREATE TABLE IF NOT EXISTS repl_test.t (id INT PRIMARY KEY, v VARCHAR(20))');
      const [master] = await src.query('SHOW MASTER STATUS');
      const { File, Position } = (master as Array<{ File: string; Position: number }>)[0]!;
      // The replica gets the same table and, unlike the source, already a row 1: a write on the target.
      await root.query('CREATE DATABASE IF NOT EXISTS repl_test');
      await root.query('CREATE TABLE IF NOT EXISTS repl_test.t (id INT PRIMARY KEY, v VARCHAR(20))');
      await root.query("INSERT INTO repl_test.t VALUES (1, 'written on target')");
      const { host, port, replication } = source();
      await root.query('STOP SLAVE');
      await root.query(
        'CHANGE MASTER TO MASTER_HOST = ?, MASTER_PORT = ?, MASTER_USER = ?, MASTER_PASSWORD = ?, ' +
          'MASTER_LOG_FILE = ?, MASTER_LOG_POS = ?, MASTER_AUTO_POSITION = 0',
        [host, port, replication.user, replication.password, File, Position],
      );
      await root.query('START SLAVE');
      await src.query("INSERT INTO repl_test.t VALUES (1, 'from source')");
      const stop = await statusUntil(async () => {
        const [rows] = await root.query('SHOW SLAVE STATUS');
        const status = parseReplicaStatus((rows as Record<string, unknown>[])[0]);
        return status && status.sqlErrno !== 0 ? explainReplicationStop(status) : undefined;
      });
      expect(stop).toMatchObject({ kind: ReplicationStopKinds.TargetDiverged, thread: 'sql', errno: 1062 });
      expect(stop.fix).toContain('diverged');
      const [kept] = await src.query('SELECT v FROM repl_test.t WHERE id = 1');
      expect(kept).toEqual([{ v: 'from source' }]);
      await root.query('STOP SLAVE');
      await root.query('RESET SLAVE ALL');
    } finally {
      await src.end();
      await root.end();
    }
  }, 60_000);

  test('a status row in the 8.0.22+ spelling reads the same as the 5.7 one', () => {
    const modern = parseReplicaStatus({
      Replica_IO_Running: 'Yes',
      Replica_SQL_Running: 'Yes',
      Seconds_Behind_Source: 3,
      Source_Log_File: 'mysql-bin.000002',
      Read_Source_Log_Pos: 900,
      Relay_Source_Log_File: 'mysql-bin.000002',
      Exec_Source_Log_Pos: 800,
      Executed_Gtid_Set: 'a:1-5,\nb:1-2',
      Last_IO_Errno: 0,
      Last_SQL_Errno: 0,
    });
    expect(modern).toMatchObject({ ioRunning: 'Yes', secondsBehind: 3, readPosition: 900, executedPosition: 800 });
    expect(modern?.executedGtidSet).toBe('a:1-5,b:1-2');
    expect(explainReplicationStop(modern!)).toBeUndefined();
    expect(parseReplicaStatus(undefined)).toBeUndefined();
  });
});
