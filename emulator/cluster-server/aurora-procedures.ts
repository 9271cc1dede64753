/**
 * Aurora MySQL's replication procedures in the `mysql` schema, with the names and signatures AWS documents
 * (replication-cutover-facts §1): v2 (5.7) has the `_master` names, v3 (8.0) the `_source` names plus the
 * `_master` aliases, and v3 `rds_gtid_purged`. They run real replication statements: values reach `CHANGE MASTER TO` (or
 * `CHANGE REPLICATION SOURCE TO`) through `QUOTE()` and PREPARE/EXECUTE, never by pasting text into SQL
 * (the pattern verified on 8.0.15, facts §6).
 *
 * The statement spelling follows the server it is installed on: MySQL before 8.0.26 (the 5.7.22 and 8.0.15 this
 * project installs) gets `CHANGE MASTER TO` / `START SLAVE`; 8.0.26 and later (a user's own mysqld, given by
 * AURORA_MIGRATE_MYSQLD_BIN) get `CHANGE REPLICATION SOURCE TO` / `START REPLICA`, the only spelling 8.4 keeps.
 */
import type { Connection } from 'mysql2/promise';
import { mysqlMajorOf, type MysqlMajor } from '../mysql/mysqld-binaries';

/** One procedure: its name in `mysql` and the CREATE statement (one statement, no DELIMITER needed). */
export interface ProcedureDefinition {
  name: string;
  create: string;
}

/** Which replication statements a server understands: `legacy` before 8.0.26, `replica` from 8.0.26 on. */
export type ReplicationSpelling = 'legacy' | 'replica';

interface Words {
  change: string;
  /** The option prefix: MASTER_HOST or SOURCE_HOST. */
  opt: string;
  start: string;
  stop: string;
  reset: string;
  skipCounter: string;
}

const WORDS: Record<ReplicationSpelling, Words> = {
  legacy: {
    change: 'CHANGE MASTER TO',
    opt: 'MASTER',
    start: 'START SLAVE',
    stop: 'STOP SLAVE',
    reset: 'RESET SLAVE ALL',
    skipCounter: 'sql_slave_skip_counter',
  },
  replica: {
    change: 'CHANGE REPLICATION SOURCE TO',
    opt: 'SOURCE',
    start: 'START REPLICA',
    stop: 'STOP REPLICA',
    reset: 'RESET REPLICA ALL',
    skipCounter: 'sql_replica_skip_counter',
  },
};

const SET_EXTERNAL_PARAMS =
  'IN host_name VARCHAR(255), IN host_port INT, IN replication_user_name VARCHAR(255), ' +
  'IN replication_user_password VARCHAR(255), IN mysql_binary_log_file_name VARCHAR(255), ' +
  'IN mysql_binary_log_file_location BIGINT, IN ssl_encryption INT';
const AUTO_POSITION_PARAMS =
  'IN host_name VARCHAR(255), IN host_port INT, IN replication_user_name VARCHAR(255), ' +
  'IN replication_user_password VARCHAR(255), IN ssl_encryption INT';

/** Runs the statement in @rds_sql and clears it first (it may hold a password). */
const RUN_PREPARED =
  'PREPARE rds_stmt FROM @rds_sql; SET @rds_sql = NULL; EXECUTE rds_stmt; DEALLOCATE PREPARE rds_stmt;';
/** QUOTE(NULL) is the word NULL, so NULL arguments are refused before any statement is built. */
function refuseNull(params: string[]): string {
  const test = params.map((p) => `${p} IS NULL`).join(' OR ');
  return `IF ${test} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'Invalid arguments: none may be NULL'; END IF; `;
}
const CONNECTION_ARGS = ['host_name', 'host_port', 'replication_user_name', 'replication_user_password'];

function run(sql: string): string {
  return `SET @rds_sql = ${sql}; ${RUN_PREPARED}`;
}

function procedure(name: string, params: string, body: string): ProcedureDefinition {
  return { name, create: `CREATE PROCEDURE mysql.${name}(${params}) SQL SECURITY DEFINER BEGIN ${body} END` };
}

function connectionPart(w: Words): string {
  return (
    `'${w.change} ${w.opt}_HOST = ', QUOTE(host_name), ', ${w.opt}_PORT = ', CAST(host_port AS CHAR), ` +
    `', ${w.opt}_USER = ', QUOTE(replication_user_name), ', ${w.opt}_PASSWORD = ', QUOTE(replication_user_password)`
  );
}

function setExternal(name: string, w: Words): ProcedureDefinition {
  const sql =
    `CONCAT(${connectionPart(w)}, ', ${w.opt}_LOG_FILE = ', QUOTE(mysql_binary_log_file_name), ` +
    `', ${w.opt}_LOG_POS = ', CAST(mysql_binary_log_file_location AS CHAR), ` +
    `', ${w.opt}_AUTO_POSITION = 0, ${w.opt}_SSL = ', IF(ssl_encryption = 1, '1', '0'))`;
  const args = [...CONNECTION_ARGS, 'mysql_binary_log_file_name', 'mysql_binary_log_file_location'];
  return procedure(name, SET_EXTERNAL_PARAMS, `${refuseNull(args)}${run(sql)}`);
}

function setExternalAutoPosition(name: string, w: Words): ProcedureDefinition {
  // ssl_encryption: "This option isn't currently implemented" (facts §1), so it is accepted and ignored.
  const sql = `CONCAT(${connectionPart(w)}, ', ${w.opt}_AUTO_POSITION = 1')`;
  return procedure(name, AUTO_POSITION_PARAMS, `${refuseNull(CONNECTION_ARGS)}${run(sql)}`);
}

function setAutoPosition(name: string, w: Words): ProcedureDefinition {
  const sql = `CONCAT('${w.change} ${w.opt}_AUTO_POSITION = ', IF(auto_position_mode = 1, '1', '0'))`;
  return procedure(name, 'IN auto_position_mode INT', run(sql));
}

const plain = (name: string, body: string): ProcedureDefinition => procedure(name, '', body);

/**
 * `mysql.rds_gtid_purged(gtid_set)` (v3 3.04+, facts §2): sets gtid_purged to the set, or with a leading `+`
 * adds the set to it. AWS's rules are MySQL 8.0's for `SET GLOBAL gtid_purged`, which enforces them: the new
 * set must contain the current gtid_purged and not intersect gtid_executed − gtid_purged; an added set must not
 * intersect gtid_executed. The value goes through a user variable, never pasted into SQL, and the SET through
 * PREPARE: MySQL refuses it written directly in a procedure ("cannot be set in stored procedures").
 */
const GTID_PURGED = procedure(
  'rds_gtid_purged',
  'IN gtid_set LONGTEXT',
  "IF gtid_set IS NULL OR TRIM(gtid_set) = '' OR TRIM(gtid_set) = '+' THEN SIGNAL SQLSTATE '45000' SET " +
    "MESSAGE_TEXT = 'Invalid arguments: gtid_set must be a GTID set, or + and a GTID set to add'; END IF; " +
    `SET @rds_gtid_set = gtid_set; ${run("'SET GLOBAL gtid_purged = @rds_gtid_set'")} SET @rds_gtid_set = NULL;`,
);

/** The procedures of one Aurora major version, in creation order, in the given statement spelling. */
export function auroraProcedures(major: MysqlMajor, spelling: ReplicationSpelling = 'legacy'): ProcedureDefinition[] {
  const w = WORDS[spelling];
  const reset = `${run(`'${w.stop}'`)} ${run(`'${w.reset}'`)}`;
  const common = [
    plain('rds_start_replication', run(`'${w.start}'`)),
    plain('rds_stop_replication', run(`'${w.stop}'`)),
    // One event group per call, as AWS documents ("one error per call"). MySQL refuses a skip counter under
    // gtid_mode ON (a cluster runs ON_PERMISSIVE), so that case gets an error that names the way out.
    plain(
      'rds_skip_repl_error',
      "IF @@GLOBAL.gtid_mode = 'ON' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = " +
        "'rds_skip_repl_error cannot skip under gtid_mode ON: skip the GTID with an empty transaction'; END IF; " +
        `${run(`'${w.stop} SQL_THREAD'`)} SET GLOBAL ${w.skipCounter} = 1; ${run(`'${w.start} SQL_THREAD'`)}`,
    ),
  ];
  const masterNames = [
    setExternal('rds_set_external_master', w),
    setExternalAutoPosition('rds_set_external_master_with_auto_position', w),
    setAutoPosition('rds_set_master_auto_position', w),
    plain('rds_reset_external_master', reset),
  ];
  if (major === '5.7') return [...masterNames, ...common];
  return [
    setExternal('rds_set_external_source', w),
    setExternalAutoPosition('rds_set_external_source_with_auto_position', w),
    setAutoPosition('rds_set_source_auto_position', w),
    plain('rds_reset_external_source', reset),
    GTID_PURGED,
    ...masterNames,
    ...common,
  ];
}

/** The spelling a server of this `VERSION()` needs (`8.0.26` and later: `replica`). */
export function replicationSpellingOf(version: string): ReplicationSpelling {
  const [major = 0, minor = 0, patch = 0] = version.split(/[.-]/).map((part) => Number.parseInt(part, 10) || 0);
  const modern = major > 8 || (major === 8 && (minor > 0 || patch >= 26));
  return modern ? 'replica' : 'legacy';
}

/**
 * Installs (or replaces) the procedures of the connected server's major version, spelled for its exact version.
 * The connection's user becomes their definer, so it needs the privileges they use (the master user has them).
 * Returns the major version installed.
 */
export async function installAuroraProcedures(connection: Connection): Promise<MysqlMajor> {
  const [rows] = await connection.query('SELECT VERSION() AS version');
  const version = String((rows as Array<{ version: string }>)[0]?.version ?? '');
  const major = mysqlMajorOf(version) ?? (replicationSpellingOf(version) === 'replica' ? '8.0' : undefined);
  if (!major) throw new Error(`Aurora's procedures exist for MySQL 5.7 and 8.0 only; the server is ${version}`);
  for (const definition of auroraProcedures(major, replicationSpellingOf(version))) {
    await connection.query(`DROP PROCEDURE IF EXISTS mysql.${definition.name}`);
    await connection.query(definition.create);
  }
  return major;
}
