/**
 * The migration's source: a real MySQL (8.0 by default, 5.7 on request) on 127.0.0.1 set up as a replication
 * source: binary log `mysql-bin` in ROW format, GTID mode ON, the event scheduler ON (the cutover's freeze guard),
 * its own server-id, a replication user and an admin user reachable over TCP (options start it otherwise, for
 * tests of sources that cannot be replicated). Passwords are generated here and returned, never logged.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';
import { findMysqld, type MysqlMajor, type MysqldBinary } from '../../emulator/mysql/mysqld-binaries';
import { initializeDatadir, startMysqld, type MysqldServer } from '../../emulator/mysql/mysqld-server';
import { freePort } from './ports';

/** Options of startSourceMysql. */
export interface SourceMysqlOptions {
  /** @default '8.0' */
  major?: MysqlMajor;
  /** Holds `data/` (the datadir, initialised on first use) and `run/` (socket, pid file, error log). */
  dataDir: string;
  /** @default a free port */
  port?: number;
  /** @default a random id in [1000, 2^31) so that sources and replicas on one machine never share one */
  serverId?: number;
  /** Passwords to reuse (a datadir initialised earlier keeps its users). @default generated */
  passwords?: { admin: string; replication: string };
  /** Let mysqld outlive this process (the demo keeps it up; stop it later by its PID). @default false */
  detached?: boolean;
  /** Run with the binary log `mysql-bin` (false: `--skip-log-bin`, a source that cannot be replicated). @default true */
  binlog?: boolean;
  /** `binlog_format`. @default 'ROW' */
  binlogFormat?: 'ROW' | 'MIXED' | 'STATEMENT';
  /** GTID mode ON with enforce_gtid_consistency (false: gtid_mode OFF). @default true */
  gtid?: boolean;
  /**
   * Run the event scheduler, which the cutover's freeze guard needs (5.7 defaults to OFF, 8.0 to ON).
   * @default true
   */
  eventScheduler?: boolean;
}

/** A MySQL account. */
export interface MysqlAccount {
  user: string;
  password: string;
}

/** A running source MySQL. */
export interface SourceMysql {
  major: MysqlMajor;
  host: '127.0.0.1';
  port: number;
  serverId: number;
  datadir: string;
  /** Unix socket of the current process; root connects through it without a password. */
  readonly socket: string;
  /** PID of the current mysqld process (changes on restart). */
  readonly pid: number;
  readonly errorLog: string;
  /** ALL PRIVILEGES WITH GRANT OPTION, from 127.0.0.1. */
  admin: MysqlAccount;
  /** REPLICATION SLAVE, REPLICATION CLIENT, from 127.0.0.1 (mysql_native_password). */
  replication: MysqlAccount;
  /** A connection as root over the socket (for fixtures that need SUPER, e.g. to shut down). */
  rootConnection(): Promise<Connection>;
  /** A connection as admin over TCP, as a user would connect. */
  adminConnection(database?: string): Promise<Connection>;
  /** Starts mysqld again on the same datadir and port (after stop or a clean shutdown). */
  restart(): Promise<void>;
  /** Clean shutdown; resolves when the process has exited. */
  stop(): Promise<void>;
  /** Resolves when the current process has exited, however. */
  exited(): Promise<void>;
}

/** Starts (initialising on first use) a source MySQL and creates its users. */
export async function startSourceMysql(options: SourceMysqlOptions): Promise<SourceMysql> {
  const major = options.major ?? '8.0';
  const binary = findMysqld(major);
  if (!binary) {
    throw new Error(
      `no mysqld ${major} installed: run scripts/bootstrap.sh, or set ${major === '8.0' ? 'AURORA_MIGRATE_MYSQLD_BIN' : 'AURORA_MIGRATE_MYSQLD57_BIN'}`,
    );
  }
  const datadir = join(options.dataDir, 'data');
  const runDir = join(options.dataDir, 'run');
  mkdirSync(runDir, { recursive: true });
  const fresh = !existsSync(datadir) || readdirSync(datadir).length === 0;
  if (fresh) await initializeDatadir(binary, datadir, join(runDir, 'initialize.log'));
  const port = options.port ?? (await freePort());
  const serverId = options.serverId ?? randomInt(1000, 2 ** 31);
  const admin = { user: 'admin', password: options.passwords?.admin ?? generatedPassword() };
  const replication = { user: 'repl', password: options.passwords?.replication ?? generatedPassword() };
  const start = (): Promise<MysqldServer> =>
    startMysqld({
      binary,
      datadir,
      port,
      runDir,
      serverId,
      logBin: options.binlog === false ? undefined : 'mysql-bin',
      gtid: options.gtid ?? true,
      extraArgs: [
        ...EXTRA_ARGS,
        `--event-scheduler=${options.eventScheduler === false ? 'OFF' : 'ON'}`,
        ...(options.binlogFormat ? [`--binlog-format=${options.binlogFormat}`] : []),
      ],
      detached: options.detached,
    });
  let server = await start();
  try {
    await createUsers(server, binary, admin, replication);
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    major,
    host: '127.0.0.1',
    port,
    serverId,
    datadir,
    get socket() {
      return server.socket;
    },
    get pid() {
      return server.pid;
    },
    get errorLog() {
      return server.errorLog;
    },
    admin,
    replication,
    rootConnection: () => createConnection({ socketPath: server.socket, user: 'root', charset: 'utf8mb4' }),
    adminConnection: (database?: string) =>
      createConnection({ host: '127.0.0.1', port, ...admin, database, charset: 'utf8mb4' }),
    restart: async () => {
      await server.exited;
      server = await start();
    },
    stop: () => server.stop(),
    exited: () => server.exited,
  };
}

/**
 * The InnoDB settings Aurora requires (format §5.1 R6) and small redo logs so that a backup stays a few tens of
 * MB; utf8mb4 so that non-ASCII text arrives intact on 5.7 too.
 */
const EXTRA_ARGS = [
  '--innodb-data-file-path=ibdata1:12M:autoextend',
  '--innodb-log-files-in-group=2',
  '--innodb-log-file-size=8M',
  '--innodb-page-size=16384',
  '--character-set-server=utf8mb4',
  '--collation-server=utf8mb4_general_ci',
];

/** 24 random bytes, URL-safe: no quoting trouble in SQL, shells or URLs. */
function generatedPassword(): string {
  return randomBytes(24).toString('base64url');
}

async function createUsers(
  server: MysqldServer,
  binary: MysqldBinary,
  admin: MysqlAccount,
  replication: MysqlAccount,
): Promise<void> {
  const root = await createConnection({ socketPath: server.socket, user: 'root' });
  try {
    // Account statements are not GTID-unsafe, so they run under enforce_gtid_consistency; IF NOT EXISTS plus ALTER
    // makes a restart on an existing datadir converge on the passwords given now.
    const plugin = binary.major === '8.0' ? 'IDENTIFIED WITH mysql_native_password BY' : 'IDENTIFIED BY';
    for (const [account, grants] of [
      [admin, 'ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION'],
      [replication, 'REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ?@?'],
    ] as const) {
      await root.query(`CREATE USER IF NOT EXISTS ?@'127.0.0.1' ${plugin} ?`, [account.user, account.password]);
      await root.query(`ALTER USER ?@'127.0.0.1' ${plugin} ?`, [account.user, account.password]);
      await root.query(`GRANT ${grants}`, [account.user, '127.0.0.1']);
    }
  } finally {
    await root.end();
  }
}
