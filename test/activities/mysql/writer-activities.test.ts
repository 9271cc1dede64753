/**
 * The cluster side of catch-up and cutover on real servers: a real source MySQL, a cluster restored from its
 * real-data backup (the emulator's real mysqld), the activities run through a real worker on the dev server.
 * The tests of one major version share one cluster and run in order: each leaves replication as the next needs.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { gtidSetContains } from '../../../activities/mysql/gtid-sets';
import type { ReplicationStop } from '../../../activities/mysql/replication-errors';
import { worthReporting } from '../../../activities/mysql/replication-lag';
import { readSourcePosition } from '../../../activities/mysql/source-position';
import { FailureTypes } from '../../../workflows/errors';
import { CUTOVER_CONSECUTIVE_READS, type ReplicationLag } from '../../../workflows/replication-types';
import { eventually, rows, slaveStatus, useRestoredCluster } from './restored-cluster';
import { startWriterWorker, type WriterWorker } from './writer-worker';
import { observedQuery } from './workflows/writer-activity';

const PROCEDURES = {
  '8.0': { set: 'mysql.rds_set_external_source', auto: 'mysql.rds_set_external_source_with_auto_position' },
  '5.7': { set: 'mysql.rds_set_external_master', auto: 'mysql.rds_set_external_master_with_auto_position' },
} as const;

describe.each(['8.0', '5.7'] as const)(
  'the writer activities on a cluster restored from a MySQL %s backup',
  (major) => {
    const cluster = useRestoredCluster(major);
    let worker: WriterWorker;
    beforeAll(async () => {
      worker = await startWriterWorker();
    }, 60_000);
    afterAll(async () => worker?.stop(), 30_000);

    const watchInput = (
      until: 'caught-up' | 'cancelled',
      mode: 'binlog-position' | 'gtid',
      statusIntervalMs = 200,
    ) => ({
      workflowId: '',
      writer: cluster().writer,
      source: cluster().replicationSource,
      mode,
      until,
      maxLagSeconds: 0,
      statusIntervalMs,
    });
    const sourcePosition = () =>
      readSourcePosition({
        connection: cluster().sourceAdmin,
        role: 'source',
        address: 'source',
        field: 'replication.source',
      });
    const targetCount = async (table: string) =>
      Number((await rows(cluster().target, `SELECT COUNT(*) AS n FROM ${table}`))[0]?.n);
    const failureOf = (err: Error) => {
      expect(err).toBeInstanceOf(ApplicationFailure);
      return err as ApplicationFailure;
    };

    it("starts in binlog-position mode at the backup's coordinates, which the cluster's RDS event confirms", async () => {
      const { backup, recovered } = cluster();
      expect(recovered).toEqual({ file: backup.binlog.file, position: backup.binlog.position });
      const { result } = await worker.run('startReplication', {
        workflowId: '',
        writer: cluster().writer,
        source: cluster().replicationSource,
        mode: 'binlog-position',
        backupBinlog: backup.binlog,
        recoveredBinlog: recovered,
      });
      expect(result).toMatchObject({
        mode: 'binlog-position',
        procedure: PROCEDURES[major].set,
        file: backup.binlog.file,
        position: backup.binlog.position,
        from: 'backup',
        alreadyConfigured: false,
      });
      expect(result.mismatch).toBeUndefined();
      expect(JSON.stringify(result)).not.toContain(cluster().replicationSource.password!);
      const status = await eventually('both threads running', async () => {
        const s = await slaveStatus(cluster().target);
        return s?.Slave_IO_Running === 'Yes' && s.Slave_SQL_Running === 'Yes' ? s : undefined;
      });
      expect(status).toMatchObject({ Master_Host: '127.0.0.1', Master_Port: cluster().source.port, Auto_Position: 0 });
    });

    it('a retried start finds replication configured from the same source and leaves it as it is', async () => {
      const { result } = await worker.run('startReplication', {
        workflowId: '',
        writer: cluster().writer,
        source: cluster().replicationSource,
        mode: 'binlog-position',
        backupBinlog: cluster().backup.binlog,
      });
      expect(result.alreadyConfigured).toBe(true);
      expect((await slaveStatus(cluster().target))?.Slave_SQL_Running).toBe('Yes');
      // From another login it is not "the same replication": refused, naming the way out, and left running.
      const elsewhere = failureOf(
        await worker.fails({
          name: 'startReplication',
          input: {
            workflowId: '',
            writer: cluster().writer,
            source: { ...cluster().replicationSource, user: 'someone_else' },
            mode: 'binlog-position',
            backupBinlog: cluster().backup.binlog,
          },
        }),
      );
      expect(elsewhere).toMatchObject({ type: FailureTypes.MysqlRejected, nonRetryable: true });
      expect(elsewhere.message).toMatch(/already replicates from repl@127\.0\.0\.1.*rds_reset_external_/);
      expect((await slaveStatus(cluster().target))?.Master_User).toBe('repl');
    });

    it('rows written on the source after the backup arrive; the watch reports lag in bytes and returns once caught up', async () => {
      const { sourceAdmin, target } = cluster();
      await sourceAdmin.query('CREATE TABLE shop.after_backup (id INT PRIMARY KEY, note VARCHAR(60))');
      await eventually('the new table on the cluster', () =>
        targetCount('shop.after_backup').then((n) => (n === 0 ? n : undefined)),
      );
      // A table lock on the cluster holds the SQL thread back, so the source's writes wait there: a real lag, in
      // bytes at once and in seconds after a moment (before the watch starts, so it cannot count lag 0 reads).
      await target.query('LOCK TABLES shop.after_backup WRITE');
      for (let id = 1; id <= 50; id++)
        await sourceAdmin.query('INSERT INTO shop.after_backup VALUES (?, ?)', [id, `row ${id}`]);
      await new Promise((r) => setTimeout(r, 2000));
      const handle = await worker.start({
        name: 'watchReplication',
        input: watchInput('caught-up', 'binlog-position', 100),
      });
      const behind = await eventually('a read showing the lag', async () =>
        (await handle.query(observedQuery)).find((lag) => (lag.bytesBehind ?? 0) > 0 && (lag.secondsBehind ?? 0) >= 1),
      );
      expect(behind).toMatchObject({ ioRunning: 'Yes', sqlRunning: 'Yes', consecutiveUnderMax: 0 });
      await target.query('UNLOCK TABLES');
      const { result, observed } = await handle.result();
      const last = result as ReplicationLag;
      expect(last.consecutiveUnderMax).toBe(CUTOVER_CONSECUTIVE_READS);
      expect(last).toMatchObject({ ioRunning: 'Yes', sqlRunning: 'Yes', secondsBehind: 0, bytesBehind: 0 });
      expect(last.caughtUpEta).toBe(last.at);
      expect(last.executed).toEqual({ file: last.source?.file, position: last.source?.position });
      expect(await targetCount('shop.after_backup')).toBe(50);
      // One signal per read at most, and only when something changed (the minute's report aside).
      expect(observed.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < observed.length; i++) {
        const [a, b] = [observed[i - 1]!, observed[i]!];
        expect(worthReporting(b, { lag: a, atMs: Date.parse(a.at) }, Date.parse(b.at))).toBe(true);
      }
    });

    it('awaitExecuted returns only once the writer has executed up to a freshly read source position', async () => {
      const { sourceAdmin, target } = cluster();
      await target.query('LOCK TABLES shop.after_backup WRITE');
      for (let id = 51; id <= 60; id++)
        await sourceAdmin.query('INSERT INTO shop.after_backup VALUES (?, ?)', [id, 'late']);
      const position = await sourcePosition();
      const handle = await worker.start({
        name: 'awaitExecuted',
        input: { workflowId: '', writer: cluster().writer, mode: 'binlog-position', target: position },
      });
      await new Promise((r) => setTimeout(r, 1500));
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await target.query('UNLOCK TABLES');
      const lag = (await handle.result()).result as ReplicationLag;
      expect(lag.executed).toEqual({ file: position.file, position: position.position });
      expect(await targetCount('shop.after_backup')).toBe(60);
    });

    it('a watch until cancelled ends within moments of its workflow cancelling it, whatever its interval', async () => {
      const handle = await worker.start({
        name: 'watchReplication',
        input: watchInput('cancelled', 'binlog-position', 30_000),
      });
      await eventually('a first read', async () => ((await handle.query(observedQuery)).length ? true : undefined));
      const cancelledAt = Date.now();
      await handle.cancel();
      const error = await handle.result().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(Date.now() - cancelledAt).toBeLessThan(3000);
      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
      expect((await handle.describe()).raw.pendingActivities ?? []).toEqual([]);
    });

    it('verifyTables needs SELECT for the replication user, then finds every table equal, and unequal after a target-only change', async () => {
      const { sourceRoot, target, replicationSource } = cluster();
      const input = { writer: cluster().writer, source: replicationSource, method: 'checksum' as const };
      const denied = failureOf(await worker.fails({ name: 'verifyTables', input }));
      expect(denied).toMatchObject({ type: FailureTypes.MysqlRejected, nonRetryable: true });
      expect(denied.message).toMatch(/GRANT SELECT/);
      await sourceRoot.query("GRANT SELECT ON shop.* TO 'repl'@'127.0.0.1'");
      const { result: equal } = await worker.run('verifyTables', input);
      expect(equal.map((t) => t.table)).toEqual([
        'shop.after_backup',
        'shop.customers',
        'shop.order_items',
        'shop.orders',
        'shop.products',
      ]);
      expect(equal.filter((t) => !t.equal)).toEqual([]);
      // MySQL 5.7's CHECKSUM TABLE of a table with JSON varies from call to call (Bug #87847): a row digest there.
      for (const t of equal) {
        const digest = major === '5.7' && t.table === 'shop.products';
        expect(t.source).toMatch(digest ? /^row-digest:[0-9a-f]{16}$/ : /^\d+$/);
      }
      const { result: counts } = await worker.run('verifyTables', { ...input, method: 'counts' });
      expect(counts.find((t) => t.table === 'shop.after_backup')).toMatchObject({
        source: '60',
        target: '60',
        equal: true,
      });
      await target.query("UPDATE shop.customers SET city = 'changed on Aurora only' WHERE id = 1");
      const { result: after } = await worker.run('verifyTables', input);
      expect(after.filter((t) => !t.equal).map((t) => t.table)).toEqual(['shop.customers']);
    });

    it('stopReplication stops the threads and keeps the configuration; detachReplication removes it; both are idempotent', async () => {
      const { target, writer } = cluster();
      await worker.run('stopReplication', { writer });
      expect(await slaveStatus(target)).toMatchObject({ Slave_IO_Running: 'No', Slave_SQL_Running: 'No' });
      // A start retried after a stop finds its configuration and starts the threads again.
      const { result } = await worker.run('startReplication', {
        workflowId: '',
        writer,
        source: cluster().replicationSource,
        mode: 'binlog-position',
        backupBinlog: cluster().backup.binlog,
      });
      expect(result.alreadyConfigured).toBe(true);
      await eventually('the threads running again', async () =>
        (await slaveStatus(target))?.Slave_SQL_Running === 'Yes' ? true : undefined,
      );
      await worker.run('stopReplication', { writer });
      await worker.run('detachReplication', { writer });
      expect(await slaveStatus(target)).toBeUndefined();
      await worker.run('detachReplication', { writer });
      await worker.run('stopReplication', { writer });
      expect(await slaveStatus(target)).toBeUndefined();
    });

    it("starts in GTID mode from the backup's set, which the restored cluster holds, and catches up by GTID sets", async () => {
      const { target, backup, sourceAdmin } = cluster();
      const [held] = await rows(target, 'SELECT @@GLOBAL.gtid_executed AS e, @@GLOBAL.gtid_purged AS p');
      // The restored server's binlog is its own, so what it recovered counts as purged: auto-positioning asks
      // the source only for what came after the backup.
      expect(gtidSetContains(String(held?.e), backup.binlog.gtidSet)).toBe(true);
      expect(gtidSetContains(String(held?.p), backup.binlog.gtidSet)).toBe(true);
      const input = {
        workflowId: '',
        writer: cluster().writer,
        source: cluster().replicationSource,
        mode: 'gtid' as const,
        backupBinlog: backup.binlog,
      };
      const { result } = await worker.run('startReplication', input);
      expect(result).toMatchObject({
        mode: 'gtid',
        procedure: PROCEDURES[major].auto,
        gtidSet: backup.binlog.gtidSet,
        from: 'backup',
      });
      expect((await slaveStatus(target))?.Auto_Position).toBe(1);
      const otherMode = failureOf(
        await worker.fails({
          name: 'startReplication',
          input: { ...input, mode: 'binlog-position' },
        }),
      );
      expect(otherMode).toMatchObject({ type: FailureTypes.MysqlRejected, nonRetryable: true });
      expect(otherMode.message).toMatch(/by GTID auto-positioning, not as replication\.mode asks/);
      await sourceAdmin.query("INSERT INTO shop.after_backup VALUES (61, 'by gtid')");
      const position = await sourcePosition();
      const { result: lag } = await worker.run('awaitExecuted', {
        workflowId: '',
        writer: cluster().writer,
        mode: 'gtid',
        target: position,
      });
      expect(lag.transactionsBehind).toBe(0);
      expect(await targetCount('shop.after_backup')).toBe(61);
    });

    it('a row written on the cluster first stops replication with 1062, explained as target-diverged', async () => {
      const { target, sourceAdmin } = cluster();
      await target.query("INSERT INTO shop.after_backup VALUES (62, 'on Aurora first')");
      await sourceAdmin.query("INSERT INTO shop.after_backup VALUES (62, 'on the source')");
      const failure = failureOf(
        await worker.fails({ name: 'watchReplication', input: watchInput('caught-up', 'gtid') }),
      );
      expect(failure).toMatchObject({ type: FailureTypes.ReplicationStopped, nonRetryable: true });
      const stop = (failure.details as ReplicationStop[])[0];
      expect(stop).toMatchObject({ kind: 'target-diverged', thread: 'sql', errno: 1062, permanent: true });
      expect(failure.message).toMatch(/diverged/);
    });

    it('binlogs purged on the source before the start stop replication with 1236, explained as binlog-purged', async () => {
      const { sourceRoot, writer, backup } = cluster();
      await worker.run('detachReplication', { writer });
      await sourceRoot.query('FLUSH BINARY LOGS');
      const [current] = await rows(sourceRoot, 'SHOW MASTER STATUS');
      await sourceRoot.query('PURGE BINARY LOGS TO ?', [current?.File]);
      await worker.run('startReplication', {
        workflowId: '',
        writer,
        source: cluster().replicationSource,
        mode: 'binlog-position',
        backupBinlog: backup.binlog,
      });
      const failure = failureOf(
        await worker.fails({ name: 'watchReplication', input: watchInput('caught-up', 'binlog-position') }),
      );
      expect(failure.type).toBe(FailureTypes.ReplicationStopped);
      expect((failure.details as ReplicationStop[])[0]).toMatchObject({
        kind: 'binlog-purged',
        thread: 'io',
        errno: 1236,
      });
      expect(failure.message).toMatch(/new backup/);
    });

    it(
      major === '8.0'
        ? 'a cluster that lacks the GTID set gets it through mysql.rds_gtid_purged, then auto-positions from there'
        : 'on Aurora v2 a cluster that lacks the GTID set is refused in GTID mode, naming binlog-position as the fix',
      async () => {
        const { target, writer, sourceAdmin } = cluster();
        await worker.run('detachReplication', { writer });
        await target.query('RESET MASTER');
        const wanted = (await sourcePosition()).gtidExecuted;
        const call = {
          name: 'startReplication' as const,
          input: {
            workflowId: '',
            writer,
            source: cluster().replicationSource,
            mode: 'gtid' as const,
            backupBinlog: { gtidSet: wanted },
          },
        };
        if (major === '5.7') {
          const refused = failureOf(await worker.fails(call));
          expect(refused).toMatchObject({ type: FailureTypes.MysqlRejected, nonRetryable: true });
          expect(refused.message).toMatch(/Aurora MySQL 2 has no procedure to set gtid_purged.*binlog-position/);
          expect(await slaveStatus(target)).toBeUndefined();
          return;
        }
        await worker.run(call.name, call.input);
        const [held] = await rows(target, 'SELECT @@GLOBAL.gtid_purged AS p');
        expect(gtidSetContains(String(held?.p), wanted)).toBe(true);
        await sourceAdmin.query("INSERT INTO shop.after_backup VALUES (63, 'after the seed')");
        await eventually('row 63 on the cluster', async () =>
          (await rows(target, 'SELECT 1 FROM shop.after_backup WHERE id = 63')).length ? true : undefined,
        );
      },
    );

    it('a wrong replication password stops replication as authentication-failed, and no message quotes it', async () => {
      const { writer } = cluster();
      await worker.run('detachReplication', { writer });
      const wrong = 'Wrong-Secret-4711';
      const { result } = await worker.run('startReplication', {
        workflowId: '',
        writer,
        source: { ...cluster().replicationSource, password: wrong },
        mode: 'binlog-position',
        backupBinlog: await sourcePosition(),
      });
      expect(JSON.stringify(result)).not.toContain(wrong);
      const failure = failureOf(
        await worker.fails({ name: 'watchReplication', input: watchInput('caught-up', 'binlog-position') }),
      );
      expect(failure.type).toBe(FailureTypes.ReplicationStopped);
      expect((failure.details as ReplicationStop[])[0]).toMatchObject({ kind: 'authentication-failed', thread: 'io' });
      expect(JSON.stringify({ message: failure.message, details: failure.details })).not.toContain(wrong);
      await worker.run('detachReplication', { writer });
    });

    it(
      major === '8.0'
        ? 'replicates over TLS when replication.source.tls is set (the procedure’s ssl_encryption = 1)'
        : 'TLS asked of a source that offers none (this 5.7.22 has have_ssl DISABLED) stops replication with the TLS fix',
      async () => {
        const { writer, target, sourceAdmin } = cluster();
        await worker.run('startReplication', {
          workflowId: '',
          writer,
          source: { ...cluster().replicationSource, tls: true },
          mode: 'binlog-position',
          backupBinlog: await sourcePosition(),
        });
        const [ssl] = await rows(sourceAdmin, "SHOW VARIABLES LIKE 'have_ssl'");
        if (major === '8.0') {
          expect(ssl?.Value).toBe('YES');
          await sourceAdmin.query("INSERT INTO shop.after_backup VALUES (64, 'over TLS')");
          await eventually('row 64 on the cluster', async () =>
            (await rows(target, 'SELECT 1 FROM shop.after_backup WHERE id = 64')).length ? true : undefined,
          );
          expect(await slaveStatus(target)).toMatchObject({ Master_SSL_Allowed: 'Yes', Slave_IO_Running: 'Yes' });
        } else {
          expect(ssl?.Value).toBe('DISABLED');
          const failure = failureOf(
            await worker.fails({ name: 'watchReplication', input: watchInput('caught-up', 'binlog-position') }),
          );
          expect(failure.type).toBe(FailureTypes.ReplicationStopped);
          expect((failure.details as ReplicationStop[])[0]).toMatchObject({
            thread: 'io',
            errno: 2026,
            permanent: true,
          });
          expect(failure.message).toMatch(/replication\.source\.tls/);
        }
        await worker.run('detachReplication', { writer });
      },
    );
  },
);
