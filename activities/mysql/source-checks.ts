/**
 * The source pre-flight's checks, pure: facts read from the source (`source-preflight.ts`) in, findings out,
 * each naming the spec field to change and the exact fix (the my.cnf setting, the statement, the GRANT).
 */
import { formatSeconds } from '../../workflows/duration-text';
import type { ReplicationMode } from '../../workflows/replication-types';
import type { BinlogCoordinates, ValidationFinding } from '../../workflows/types';
import { SourceCodes, sourceFinding } from '../preflight/source-codes';
import { missingTransactions } from './gtid-sets';
import { grantFindings } from './source-grant-checks';

/** What the pre-flight read from the source. */
export interface SourceFacts {
  /** `host:port`. */
  address: string;
  /** `CURRENT_USER()`, e.g. `repl@10.0.0.%`. */
  account: string;
  /** `@@version`, e.g. `8.0.15`. */
  version: string;
  /** Global variables by lower-case name (`log_bin`, `binlog_format`, `gtid_mode`, …). */
  variables: Record<string, string>;
  /** The lines of `SHOW GRANTS`. */
  grants: string[];
  /** Whether the freeze guard's schema exists already (then CREATE is not needed). */
  guardSchemaExists: boolean;
  /** `SHOW BINARY LOGS`, oldest first; undefined when the binary log is off or the statement was refused. */
  binaryLogs?: string[];
}

/** What the checks compare the facts with. */
export interface SourceCheckInput {
  mode: ReplicationMode;
  tls: boolean;
  /** The backup's coordinates (its `xtrabackup_binlog_info`), when the backup has been read. */
  backupBinlog?: BinlogCoordinates;
  /** Seconds from now until the cluster replicates (restore, instances, catch-up), for the retention check. */
  expectedCatchUpSeconds?: number;
}

const HOST = 'replication.source.host';

/** Every finding about the source, errors first in the order a person would fix them. */
export function checkSourceFacts(facts: SourceFacts, input: SourceCheckInput): ValidationFinding[] {
  const v = facts.variables;
  const findings: ValidationFinding[] = [];
  const binlogOn = v.log_bin === 'ON' || v.log_bin === '1';
  if (!binlogOn) {
    findings.push(
      sourceFinding(
        SourceCodes.BinlogOff,
        'error',
        HOST,
        `The source at ${facts.address} runs without a binary log (log_bin is OFF): there is nothing to replicate from.`,
        'In the source’s my.cnf [mysqld] set log-bin=mysql-bin, server-id=<unique number>, binlog_format=ROW, ' +
          'restart MySQL, then take a new backup (one taken without a binary log has no position to start from).',
      ),
    );
  } else if ((v.binlog_format ?? '').toUpperCase() !== 'ROW') {
    findings.push(
      sourceFinding(
        SourceCodes.BinlogFormat,
        'error',
        HOST,
        `The source logs in binlog_format=${v.binlog_format}: statement events of nondeterministic statements ` +
          'can apply differently on Aurora, and the cutover’s verification would find it only at cutover.',
        "Set binlog_format=ROW in the source’s my.cnf and run SET GLOBAL binlog_format = 'ROW' (sessions that " +
          'are open keep the old format: reconnect the application), before taking the backup.',
      ),
    );
  }
  if (v.server_id === '0') {
    findings.push(
      sourceFinding(
        SourceCodes.ServerIdUnset,
        'error',
        HOST,
        'The source has server_id 0: a replica refuses to connect to it.',
        'Set server-id=<a number no other server in the topology uses> in the source’s my.cnf and restart MySQL.',
      ),
    );
  }
  findings.push(...gtidFindings(facts, input), ...grantFindings(facts), ...positionFindings(facts, input, binlogOn));
  if (input.tls && (v.have_ssl ?? 'YES').toUpperCase() !== 'YES') {
    findings.push(
      sourceFinding(
        SourceCodes.TlsUnavailable,
        'error',
        'replication.source.tls',
        `replication.source.tls is set but the source has no TLS (have_ssl=${v.have_ssl}).`,
        'Give the source ssl-ca, ssl-cert and ssl-key in my.cnf and restart it, or set replication.source.tls to false.',
      ),
    );
  }
  if ((v.event_scheduler ?? 'OFF').toUpperCase() !== 'ON') {
    findings.push(
      sourceFinding(
        SourceCodes.EventSchedulerOff,
        'warning',
        'replication.freezeTimeout',
        `The source's event scheduler is ${v.event_scheduler ?? 'OFF'}: during the cutover only the workflow can ` +
          'make the source writable again, so a worker lost then leaves it read-only until another worker resumes.',
        'Set event_scheduler=ON in the source’s my.cnf and run SET GLOBAL event_scheduler = ON.',
      ),
    );
  }
  return findings.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
}

function gtidFindings(facts: SourceFacts, input: SourceCheckInput): ValidationFinding[] {
  if (input.mode !== 'gtid') return [];
  const v = facts.variables;
  const findings: ValidationFinding[] = [];
  if ((v.gtid_mode ?? 'OFF').toUpperCase() !== 'ON') {
    findings.push(
      sourceFinding(
        SourceCodes.GtidModeOff,
        'error',
        'replication.mode',
        `replication.mode is gtid but the source runs with gtid_mode=${v.gtid_mode ?? 'OFF'}: auto-positioning ` +
          'needs GTID_MODE=ON on the source.',
        'Set replication.mode to binlog-position, or turn GTIDs on (my.cnf gtid_mode=ON and ' +
          'enforce_gtid_consistency=ON; online: SET GLOBAL enforce_gtid_consistency = ON, then gtid_mode = ' +
          'OFF_PERMISSIVE, ON_PERMISSIVE, ON in turn) and take a new backup.',
      ),
    );
  }
  if ((v.enforce_gtid_consistency ?? 'OFF').toUpperCase() !== 'ON') {
    findings.push(
      sourceFinding(
        SourceCodes.GtidConsistencyOff,
        'error',
        'replication.mode',
        `replication.mode is gtid but the source runs with enforce_gtid_consistency=${v.enforce_gtid_consistency ?? 'OFF'}.`,
        'Set enforce_gtid_consistency=ON in the source’s my.cnf and run SET GLOBAL enforce_gtid_consistency = ON, ' +
          'or set replication.mode to binlog-position.',
      ),
    );
  }
  const backupSet = input.backupBinlog?.gtidSet;
  const purged = (v.gtid_purged ?? '').replace(/\s+/g, '');
  if (input.backupBinlog && !backupSet) {
    findings.push(
      sourceFinding(
        SourceCodes.BackupCoordinatesMissing,
        'error',
        'replication.mode',
        'replication.mode is gtid but the backup recorded no GTID set (xtrabackup_binlog_info has file and position only).',
        'Set replication.mode to binlog-position, or take a new backup with GTIDs on at the source.',
      ),
    );
  } else if (backupSet && purged && missingTransactions(backupSet, purged) > 0) {
    findings.push(
      sourceFinding(
        SourceCodes.GtidPurged,
        'error',
        'restore.S3Prefix',
        `The source has purged ${missingTransactions(backupSet, purged)} transactions the backup does not hold ` +
          `(gtid_purged ${purged}, backup ${backupSet}): replication would stop with error 1236.`,
        'Take a new backup and raise the source’s binlog retention (binlog_expire_logs_seconds) above the expected ' +
          'restore and catch-up time.',
      ),
    );
  }
  return findings;
}

function positionFindings(facts: SourceFacts, input: SourceCheckInput, binlogOn: boolean): ValidationFinding[] {
  if (!binlogOn) return [];
  const findings: ValidationFinding[] = [];
  const file = input.backupBinlog?.file;
  if (input.backupBinlog && !file && input.mode === 'binlog-position') {
    findings.push(
      sourceFinding(
        SourceCodes.BackupCoordinatesMissing,
        'error',
        'restore.S3Prefix',
        'The backup recorded no binary log file and position (xtrabackup_binlog_info), so replication has no start.',
        'Take a new backup while the source’s binary log is on (XtraBackup writes xtrabackup_binlog_info then).',
      ),
    );
  }
  const logs = facts.binaryLogs;
  if (file && logs && !logs.includes(file)) {
    findings.push(
      sourceFinding(
        SourceCodes.BinlogFileMissing,
        'error',
        'restore.S3Prefix',
        `The backup starts at ${file}:${input.backupBinlog?.position ?? '?'}, but the source no longer has ${file} ` +
          `(its binary logs: ${logs.length ? `${logs[0]} … ${logs[logs.length - 1]}` : 'none'}): it was purged.`,
        'Take a new backup, and raise the source’s binlog retention (binlog_expire_logs_seconds, 5.7 expire_logs_days) ' +
          'above the expected restore and catch-up time so that its file stays until replication has read it.',
      ),
    );
  }
  const retention = retentionSeconds(facts.variables);
  const expected = input.expectedCatchUpSeconds;
  if (retention.seconds > 0 && expected !== undefined && retention.seconds < expected) {
    const wanted = Math.ceil((expected * 2) / 86_400) * 86_400;
    findings.push(
      sourceFinding(
        SourceCodes.RetentionShort,
        'warning',
        HOST,
        `The source keeps binary logs for ${formatSeconds(retention.seconds)} (${retention.setting}), but the ` +
          `restore and catch-up are expected to take ${formatSeconds(expected)}: the files replication starts ` +
          'from may be purged first (counted from each file’s last write).',
        `Raise it to at least ${formatSeconds(wanted)}: binlog_expire_logs_seconds=${wanted} in my.cnf (8.0, and ` +
          `SET PERSIST binlog_expire_logs_seconds = ${wanted}), or expire_logs_days=${wanted / 86_400} (5.7, and ` +
          `SET GLOBAL expire_logs_days = ${wanted / 86_400}).`,
      ),
    );
  }
  return findings;
}

/** The effective expiry: 8.0's binlog_expire_logs_seconds when set, else expire_logs_days; 0 never expires. */
export function retentionSeconds(v: Record<string, string>): { seconds: number; setting: string } {
  const seconds = Number(v.binlog_expire_logs_seconds ?? 0);
  if (seconds > 0) return { seconds, setting: `binlog_expire_logs_seconds=${seconds}` };
  const days = Number(v.expire_logs_days ?? 0);
  return { seconds: days * 86_400, setting: `expire_logs_days=${days}` };
}
