/**
 * The source pre-flight against real MySQL servers: a good 8.0 source passes; a source without a binary log, one
 * in MIXED or STATEMENT format, one with GTIDs off under mode gtid, a purged backup binlog file or GTID set,
 * users without the replication or the freeze privileges, a short retention, an unreachable port, a wrong
 * password and an unreadable secret each give their code on the spec field to fix.
 */
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSourceActivities } from '../../../activities/mysql/source-activities';
import { SourceCodes } from '../../../activities/preflight/source-codes';
import { freePort } from '../../../scripts/stack/ports';
import type { SourceMysql } from '../../../scripts/stack/source-mysql';
import type { ReplicationSpec, ValidationFinding } from '../../../workflows/types';
import { validSpec } from '../../client/spec-fixtures';
import { useSourceMysql } from '../../helpers/source-mysql';
import { testSecretsClient } from '../../helpers/stack';

const good = useSourceMysql('8.0');
const noBinlog = useSourceMysql('8.0', { binlog: false, gtid: false });
const mixed57 = useSourceMysql('5.7', { binlogFormat: 'MIXED', gtid: false, eventScheduler: false });

let secrets: SecretsManagerClient;
let activities: ReturnType<typeof createSourceActivities>;

beforeAll(() => {
  secrets = testSecretsClient();
  activities = createSourceActivities({ secrets: () => secrets });
});

afterAll(() => secrets?.destroy());

type Account = { user: string; password: string };

function spec(server: SourceMysql, account: Account, replication: Partial<ReplicationSpec> = {}) {
  return validSpec('orders-aurora', {
    replication: { source: { host: server.host, port: server.port, ...account }, ...replication },
  });
}

async function currentFile(server: SourceMysql): Promise<{ file: string; position: number; gtidSet: string }> {
  const root = await server.rootConnection();
  try {
    const [rows] = await root.query('SHOW MASTER STATUS');
    const row = (rows as Array<{ File: string; Position: number; Executed_Gtid_Set: string }>)[0]!;
    return { file: row.File, position: Number(row.Position), gtidSet: row.Executed_Gtid_Set.replace(/\s+/g, '') };
  } finally {
    await root.end();
  }
}

async function createUser(server: SourceMysql, name: string, grants: string): Promise<Account> {
  const account = { user: name, password: `${name}-Pa55` };
  const root = await server.rootConnection();
  try {
    await root.query("CREATE USER IF NOT EXISTS ?@'127.0.0.1' IDENTIFIED BY ?", [account.user, account.password]);
    await root.query(`GRANT ${grants} TO ?@'127.0.0.1'`, [account.user]);
  } finally {
    await root.end();
  }
  return account;
}

const codesOf = (findings: ValidationFinding[]) => findings.map((f) => `${f.severity} ${f.code} ${f.path}`);

describe('preflightSource on real MySQL sources', () => {
  test('a source with binlog ROW, GTIDs, the event scheduler and an admin user passes with no findings', async () => {
    const backupBinlog = await currentFile(good());
    const { findings } = await activities.preflightSource({
      spec: spec(good(), good().admin, { mode: 'gtid' }),
      backupBinlog,
      expectedCatchUpSeconds: 3600,
    });
    expect(findings).toEqual([]);
  });

  test('the repl user, with REPLICATION SLAVE and CLIENT only, lacks what the freeze needs, with the GRANT', async () => {
    const { findings } = await activities.preflightSource({ spec: spec(good(), good().replication) });
    expect(codesOf(findings)).toEqual([`error ${SourceCodes.FreezeGrantMissing} replication.source.user`]);
    expect(findings[0]!.message).toContain('SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN, EVENT, CREATE');
    expect(findings[0]!.fix).toBe(
      "On the source: GRANT SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN ON *.* TO 'repl'@'127.0.0.1'; " +
        "GRANT CREATE, EVENT ON aurora_migrate.* TO 'repl'@'127.0.0.1';",
    );
  });

  test('a user with exactly the grants the findings ask for passes', async () => {
    const cutover = await createUser(
      good(),
      'cutover',
      'REPLICATION SLAVE, REPLICATION CLIENT, SYSTEM_VARIABLES_ADMIN, CONNECTION_ADMIN ON *.*',
    );
    const root = await good().rootConnection();
    await root.query("GRANT CREATE, EVENT ON aurora_migrate.* TO 'cutover'@'127.0.0.1'");
    await root.end();
    const { findings } = await activities.preflightSource({ spec: spec(good(), cutover) });
    expect(findings).toEqual([]);
  });

  test('a user without REPLICATION SLAVE is an error naming the grant to run', async () => {
    const client = await createUser(good(), 'clientonly', 'REPLICATION CLIENT ON *.*');
    const { findings } = await activities.preflightSource({ spec: spec(good(), client) });
    const missing = findings.find((f) => f.code === SourceCodes.ReplicationGrantMissing);
    expect(missing).toMatchObject({ severity: 'error', path: 'replication.source.user' });
    expect(missing!.message).toContain('lacks REPLICATION SLAVE on the source');
    expect(missing!.fix).toContain("GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'clientonly'@'127.0.0.1';");
  });

  test('a backup binlog file purged from the source, and a purged GTID set, are errors on restore.S3Prefix', async () => {
    const root = await good().rootConnection();
    const old = await currentFile(good());
    try {
      await root.query('FLUSH BINARY LOGS');
      const now = await currentFile(good());
      await root.query('PURGE BINARY LOGS TO ?', [now.file]);
    } finally {
      await root.end();
    }
    const { findings } = await activities.preflightSource({
      spec: spec(good(), good().admin, { mode: 'gtid' }),
      backupBinlog: { file: old.file, position: old.position, gtidSet: `${old.gtidSet.split(':')[0]}:1` },
    });
    expect(codesOf(findings)).toEqual([
      `error ${SourceCodes.GtidPurged} restore.S3Prefix`,
      `error ${SourceCodes.BinlogFileMissing} restore.S3Prefix`,
    ]);
    expect(findings[1]!.message).toContain(`the source no longer has ${old.file}`);
  });

  test('a source without a binary log is refused with the my.cnf settings to add', async () => {
    const { findings } = await activities.preflightSource({
      spec: spec(noBinlog(), noBinlog().admin),
      backupBinlog: { file: 'mysql-bin.000001', position: 4 },
    });
    const off = findings.find((f) => f.code === SourceCodes.BinlogOff);
    expect(off).toMatchObject({ severity: 'error', path: 'replication.source.host' });
    expect(off!.fix).toContain('log-bin=mysql-bin');
    // Nothing about files or formats of a binary log that does not exist.
    expect(findings.map((f) => f.code)).not.toContain(SourceCodes.BinlogFileMissing);
    expect(findings.map((f) => f.code)).not.toContain(SourceCodes.BinlogFormat);
  });

  test('on 5.7: MIXED format, GTIDs off under mode gtid, the scheduler off and a short retention are each reported', async () => {
    const root = await mixed57().rootConnection();
    await root.query('SET GLOBAL expire_logs_days = 1');
    await root.end();
    const { findings } = await activities.preflightSource({
      spec: spec(mixed57(), mixed57().admin, { mode: 'gtid' }),
      expectedCatchUpSeconds: 3 * 86_400,
    });
    expect(codesOf(findings)).toEqual([
      `error ${SourceCodes.BinlogFormat} replication.source.host`,
      `error ${SourceCodes.GtidModeOff} replication.mode`,
      `error ${SourceCodes.GtidConsistencyOff} replication.mode`,
      `warning ${SourceCodes.RetentionShort} replication.source.host`,
      `warning ${SourceCodes.EventSchedulerOff} replication.freezeTimeout`,
    ]);
    expect(findings[0]!.message).toContain('binlog_format=MIXED');
    const retention = findings[3]!;
    expect(retention.message).toContain('for 24h 00m 00s (expire_logs_days=1)');
    expect(retention.message).toContain('expected to take 72h 00m 00s');
    expect(retention.fix).toContain('expire_logs_days=6');
  });

  test('on 5.7 the freeze asks for SUPER', async () => {
    const { findings } = await activities.preflightSource({ spec: spec(mixed57(), mixed57().replication) });
    const freeze = findings.find((f) => f.code === SourceCodes.FreezeGrantMissing);
    expect(freeze).toMatchObject({ severity: 'error', path: 'replication.source.user' });
    expect(freeze!.fix).toContain("GRANT SUPER ON *.* TO 'repl'@'127.0.0.1';");
  });

  test('STATEMENT format is refused too', async () => {
    const root = await mixed57().rootConnection();
    try {
      await root.query("SET GLOBAL binlog_format = 'STATEMENT'");
      const { findings } = await activities.preflightSource({ spec: spec(mixed57(), mixed57().admin) });
      expect(findings.find((f) => f.code === SourceCodes.BinlogFormat)?.message).toContain('binlog_format=STATEMENT');
    } finally {
      await root.query("SET GLOBAL binlog_format = 'MIXED'");
      await root.end();
    }
  });

  test('an unreachable port, a wrong password and a missing secret are error findings, not crashes', async () => {
    const port = await freePort();
    const closed = await activities.preflightSource({
      spec: validSpec('orders-aurora', { replication: { source: { host: '127.0.0.1', port, ...good().admin } } }),
    });
    expect(codesOf(closed.findings)).toEqual([`error ${SourceCodes.Unreachable} replication.source.host`]);
    expect(closed.findings[0]!.message).toContain(`127.0.0.1:${port}`);

    const wrong = await activities.preflightSource({
      spec: spec(good(), { user: 'admin', password: 'not-the-password' }),
    });
    expect(codesOf(wrong.findings)).toEqual([`error ${SourceCodes.LoginRefused} replication.source.user`]);
    expect(JSON.stringify(wrong.findings)).not.toContain('not-the-password');

    const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:no-such-secret-AbCdEf';
    const missing = await activities.preflightSource({
      spec: validSpec('orders-aurora', {
        replication: { source: { host: good().host, port: good().port, user: 'admin', passwordSecretArn: arn } },
      }),
    });
    expect(codesOf(missing.findings)).toEqual([
      `error ${SourceCodes.PasswordUnavailable} replication.source.passwordSecretArn`,
    ]);
  });
});
