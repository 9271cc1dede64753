/**
 * Starts the mysqld of one cluster on its volume, as Aurora treats a restored backup: on the first start a new
 * server_uuid (the source's `auto.cnf` removed), its own binary log (`mysql-bin-changelog`, as Aurora names it),
 * GTID mode OFF_PERMISSIVE (Aurora's advice for incoming replication), the master user created with the given
 * password, and Aurora's procedures in `mysql`. Later starts (an emulator restart) only start the server.
 *
 * The master user is created through `--init-file`, which mysqld runs with full privileges before it accepts
 * connections: a file of mode 0600 in the cluster's run folder, removed as soon as the server is up. The
 * password is in no argument, log line or state file.
 */
import { randomInt } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConnection, escape } from 'mysql2/promise';
import type { BinlogCoordinates } from '../../workflows/types';
import type { MysqldBinary } from '../mysql/mysqld-binaries';
import { startMysqld, type MysqldServer } from '../mysql/mysqld-server';
import { auroraProcedures } from './aurora-procedures';

/** The binary log base name Aurora MySQL uses. */
export const AURORA_BINLOG_BASENAME = 'mysql-bin-changelog';

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
  const extraArgs = ['--gtid-mode=OFF_PERMISSIVE', ...options.innodbArgs];
  if (options.master) {
    rmSync(join(options.volumeDir, 'auto.cnf'), { force: true });
    writeFileSync(initFile, masterUserSql(options.master.username, options.master.password), { mode: 0o600 });
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
  } finally {
    rmSync(initFile, { force: true });
  }
  if (options.master) {
    try {
      await createProcedures(server, options.master, options.binary.major);
    } catch (err) {
      await server.stop();
      throw err;
    }
  }
  return server;
}

/** The SQL of the init file: one statement per line, as `--init-file` requires on 5.7. */
function masterUserSql(username: string, password: string): string {
  const user = `${escape(username)}@'%'`;
  return [
    `DROP USER IF EXISTS ${user};`,
    `CREATE USER ${user} IDENTIFIED BY ${escape(password)};`,
    `GRANT ALL PRIVILEGES ON *.* TO ${user} WITH GRANT OPTION;`,
    '',
  ].join('\n');
}

async function createProcedures(
  server: MysqldServer,
  master: { username: string; password: string },
  major: MysqldBinary['major'],
): Promise<void> {
  const connection = await createConnection({
    host: server.host,
    port: server.port,
    user: master.username,
    password: master.password,
  });
  try {
    for (const procedure of auroraProcedures(major)) {
      await connection.query(`DROP PROCEDURE IF EXISTS mysql.${procedure.name}`);
      await connection.query(procedure.create);
    }
  } finally {
    await connection.end();
  }
}

/**
 * The binlog position InnoDB reports recovering to, from the server's error log (5.7 prints
 * "Last MySQL binlog file position 0 154, file name mysql-bin.000003"; 8.0 no longer records it), or undefined.
 */
export function recoveredPositionFromLog(errorLog: string): BinlogCoordinates | undefined {
  let text: string;
  try {
    text = readFileSync(errorLog, 'utf8');
  } catch {
    return undefined;
  }
  const matches = [...text.matchAll(/Last MySQL binlog file position (\d+) (\d+), file name (\S+)/g)];
  const last = matches[matches.length - 1];
  if (!last?.[3]) return undefined;
  const position = Number(last[1]) * 2 ** 32 + Number(last[2]);
  return { file: last[3], position };
}
