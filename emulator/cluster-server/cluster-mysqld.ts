/**
 * Starts the mysqld of one cluster on its volume, as Aurora treats a restored backup: on the first start a new
 * server_uuid (the source's `auto.cnf` removed), its own binary log (`mysql-bin-changelog`, as Aurora names it),
 * the master user created with the given password, and Aurora's procedures in `mysql`. Later starts (an emulator
 * restart) only start the server.
 *
 * GTID mode is ON_PERMISSIVE with enforce_gtid_consistency ON (replication-cutover-facts §2): a permissive mode
 * applies replicated transactions with or without GTIDs, so the cluster can later replicate from a GTID source
 * (auto-position) or a non-GTID one (file and position); ON_PERMISSIVE also gives the cluster's own writes GTIDs,
 * so a cutover can compare GTID sets. (AWS suggests OFF_PERMISSIVE for incoming replication; both accept both.)
 *
 * The master user is created through `--init-file`, which mysqld runs with full privileges before it accepts
 * connections: a file of mode 0600 in the cluster's run folder, removed as soon as the server is up. The
 * password is in no argument, log line or state file. The master user ends up the only account of its name,
 * at `%` (any client host), with ALL PRIVILEGES WITH GRANT OPTION.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, escape } from 'mysql2/promise';
import type { MysqldBinary } from '../mysql/mysqld-binaries';
import { MysqldStartError, startMysqld, type MysqldServer } from '../mysql/mysqld-server';
import { installAuroraProcedures } from './aurora-procedures';
import { explainStartupFailure, type StartupFailure } from './startup-failure';

/** The binary log base name Aurora MySQL uses. */
export const AURORA_BINLOG_BASENAME = 'mysql-bin-changelog';

/** mysqld refused the volume; `failure` quotes its error line and the likely fix. */
export class ClusterStartError extends Error {
  override readonly name = 'ClusterStartError';
  constructor(
    readonly failure: StartupFailure,
    options?: { cause?: unknown },
  ) {
    super(`mysqld refused the restored data: ${failure.line} (likely fix: ${failure.fix})`, options);
  }
}

/** Options of startClusterMysqld. */
export interface ClusterMysqldOptions {
  binary: MysqldBinary;
  volumeDir: string;
  runDir: string;
  port: number;
  /** InnoDB flags the data files need (from backup-my.cnf). */
  innodbArgs: string[];
  /** Only on the first start: the master user to create. */
  master?: { username: string; password: string };
  readyTimeoutMs?: number;
}

/** Starts the server; on the first start also provisions the master user and the procedures. */
export async function startClusterMysqld(options: ClusterMysqldOptions): Promise<MysqldServer> {
  const initFile = join(options.runDir, 'init.sql');
  const errorLog = join(options.runDir, 'mysqld.err');
  const logStart = existsSync(errorLog) ? statSync(errorLog).size : 0;
  const bootstrapPassword = randomBytes(24).toString('base64url');
  const extraArgs = ['--gtid-mode=ON_PERMISSIVE', '--enforce-gtid-consistency=ON', ...options.innodbArgs];
  if (options.master) {
    rmSync(join(options.volumeDir, 'auto.cnf'), { force: true });
    writeFileSync(initFile, initSql(options.master, bootstrapPassword), { mode: 0o600 });
    extraArgs.push(`--init-file=${initFile}`);
  }
  let server: MysqldServer;
  try {
    server = await startMysqld({
      binary: options.binary,
      datadir: options.volumeDir,
      port: options.port,
      runDir: options.runDir,
      serverId: randomInt(1, 2 ** 31),
      logBin: AURORA_BINLOG_BASENAME,
      extraArgs,
      readyTimeoutMs: options.readyTimeoutMs ?? 60_000,
    });
  } catch (err) {
    if (err instanceof MysqldStartError) {
      throw new ClusterStartError(explainStartupFailure(errorLog, logStart, err.message.split('\n')[0]), {
        cause: err,
      });
    }
    throw err;
  } finally {
    rmSync(initFile, { force: true });
  }
  if (options.master) {
    try {
      await provision(server, options.master, bootstrapPassword);
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  return server;
}

/** The account the init file creates for provisioning; dropped as soon as provisioning is done. */
const BOOTSTRAP_USER = 'rdsemu_bootstrap';

/**
 * The SQL of the init file (one statement per line, as `--init-file` requires on 5.7): the master user at `%`
 * with the password, and a bootstrap account with a one-time random password for what follows. Provisioning
 * writes no binlog event (sql_log_bin = 0), as Aurora's own setup is not in a cluster's binlog: the server's
 * binlog and GTID set stay what it recovered to.
 */
function initSql(master: { username: string; password: string }, bootstrapPassword: string): string {
  const user = `${escape(master.username)}@'%'`;
  const bootstrap = `'${BOOTSTRAP_USER}'@'127.0.0.1'`;
  return [
    'SET SESSION sql_log_bin = 0;',
    `DROP USER IF EXISTS ${bootstrap};`,
    `CREATE USER ${bootstrap} IDENTIFIED BY ${escape(bootstrapPassword)};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${bootstrap} WITH GRANT OPTION;`,
    `DROP USER IF EXISTS ${user};`,
    `CREATE USER ${user} IDENTIFIED BY ${escape(master.password)};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`,
    '',
  ].join('\n');
}

/**
 * Makes the master user the only account of its name (the source's own accounts of that name, e.g.
 * `admin@127.0.0.1`, would match a client before `admin@%` and refuse the spec's password), installs Aurora's
 * procedures as the master user (their definer, as on Aurora) over TCP as a client would, then drops the
 * bootstrap account.
 */
async function provision(
  server: MysqldServer,
  master: { username: string; password: string },
  bootstrapPassword: string,
): Promise<void> {
  const at = { host: server.host, port: server.port };
  const bootstrap = await createConnection({ ...at, user: BOOTSTRAP_USER, password: bootstrapPassword });
  try {
    await bootstrap.query('SET SESSION sql_log_bin = 0');
    const [rows] = await bootstrap.query("SELECT Host AS h FROM mysql.user WHERE User = ? AND Host <> '%'", [
      master.username,
    ]);
    for (const { h } of rows as { h: string }[]) await bootstrap.query('DROP USER ?@?', [master.username, h]);
  } finally {
    await bootstrap.end();
  }
  const connection = await createConnection({ ...at, user: master.username, password: master.password });
  try {
    await connection.query('SET SESSION sql_log_bin = 0');
    await installAuroraProcedures(connection);
    await connection.query(`DROP USER '${BOOTSTRAP_USER}'@'127.0.0.1'`);
  } finally {
    await connection.end();
  }
}
