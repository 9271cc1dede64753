/**
 * The source pre-flight: logs in to the source as `replication.source.user` and reads what catch-up and
 * cutover depend on (variables, the user's grants, the binary logs on disk), then checks it
 * (`source-checks.ts`). A source that cannot be reached, a refused login or an unreadable password is an
 * error finding, not a crash: the report says which field to fix. Read-only.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { BinlogCoordinates, MigrationInput, ValidationFinding } from '../../workflows/types';
import { SourceCodes, sourceFinding } from '../preflight/source-codes';
import type { SecretsClientFor } from '../secrets';
import { connectSource, query, withConnection, type OpenConnection } from './connect';
import { GUARD_SCHEMA } from './freeze-guard';
import { checkSourceFacts, type SourceFacts } from './source-checks';

/** Input of preflightSource. */
export interface PreflightSourceInput {
  spec: MigrationInput;
  /** The backup's coordinates, once the backup validation has read them. */
  backupBinlog?: BinlogCoordinates;
  /** Seconds until the cluster is expected to replicate (restore, instances, catch-up). */
  expectedCatchUpSeconds?: number;
}

/** The variables the checks read (absent ones, e.g. 8.0-only names on 5.7, are simply missing). */
const VARIABLES = [
  'log_bin',
  'binlog_format',
  'server_id',
  'gtid_mode',
  'enforce_gtid_consistency',
  'gtid_purged',
  'event_scheduler',
  'binlog_expire_logs_seconds',
  'expire_logs_days',
  'have_ssl',
];

/** Checks the source of `spec.replication`; no findings when the spec has none. */
export async function preflightSource(
  secrets: SecretsClientFor,
  input: PreflightSourceInput,
): Promise<{ findings: ValidationFinding[] }> {
  const replication = input.spec.replication;
  if (!replication) return { findings: [] };
  let facts: SourceFacts;
  try {
    facts = await withConnection(connectSource(secrets, replication.source), readSourceFacts);
  } catch (err) {
    // Throttled or unreachable Secrets Manager: not a verdict on the source; the activity retries.
    if (err instanceof ApplicationFailure && err.type === FailureTypes.AwsTransient) throw err;
    return { findings: [unreachable(err, `${replication.source.host}:${replication.source.port ?? 3306}`)] };
  }
  return {
    findings: checkSourceFacts(facts, {
      mode: replication.mode ?? 'binlog-position',
      tls: replication.source.tls === true,
      ...(input.backupBinlog ? { backupBinlog: input.backupBinlog } : {}),
      ...(input.expectedCatchUpSeconds !== undefined ? { expectedCatchUpSeconds: input.expectedCatchUpSeconds } : {}),
    }),
  };
}

/** Reads the facts over an open connection. */
export async function readSourceFacts(open: OpenConnection): Promise<SourceFacts> {
  const [who] = await query<{ account: string; version: string }>(
    open,
    'SELECT CURRENT_USER() AS account, @@version AS version',
    undefined,
    'SELECT CURRENT_USER()',
  );
  const rows = await query<{ Variable_name: string; Value: string }>(
    open,
    `SHOW GLOBAL VARIABLES WHERE Variable_name IN (${VARIABLES.map(() => '?').join(', ')})`,
    VARIABLES,
    'SHOW GLOBAL VARIABLES',
  );
  const variables = Object.fromEntries(rows.map((r) => [r.Variable_name.toLowerCase(), String(r.Value)]));
  const grants = (await query<Record<string, string>>(open, 'SHOW GRANTS', undefined, 'SHOW GRANTS')).map(
    (row) => Object.values(row)[0] ?? '',
  );
  const schemas = await query(
    open,
    'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [GUARD_SCHEMA],
    'read the guard schema',
  );
  return {
    address: open.address,
    account: who?.account ?? '',
    version: who?.version ?? '',
    variables,
    grants,
    guardSchemaExists: schemas.length > 0,
    ...(await binaryLogs(open, variables.log_bin)),
  };
}

/** SHOW BINARY LOGS, when the binary log is on and the user may list it (REPLICATION CLIENT, checked apart). */
async function binaryLogs(open: OpenConnection, logBin: string | undefined): Promise<{ binaryLogs?: string[] }> {
  if (logBin !== 'ON' && logBin !== '1') return {};
  try {
    const rows = await query<{ Log_name: string }>(open, 'SHOW BINARY LOGS', undefined, 'SHOW BINARY LOGS');
    return { binaryLogs: rows.map((r) => String(r.Log_name)) };
  } catch (err) {
    if (err instanceof ApplicationFailure && err.type === FailureTypes.MysqlRejected) return {};
    throw err;
  }
}

/** The finding for a source the pre-flight could not log in to or read, by its classified failure. */
function unreachable(err: unknown, address: string): ValidationFinding {
  const failure = err instanceof ApplicationFailure ? err : undefined;
  const message = (failure?.message ?? (err as Error)?.message ?? String(err)).replace(/; retrying$/, '');
  const errno = (failure?.details?.[0] as { errno?: number } | undefined)?.errno;
  if (failure?.type === FailureTypes.SecretUnavailable || failure?.type === FailureTypes.InvalidInput) {
    return sourceFinding(
      SourceCodes.PasswordUnavailable,
      'error',
      'replication.source.passwordSecretArn',
      message,
      'Name a Secrets Manager secret the worker may read (secretsmanager:GetSecretValue) holding the password.',
    );
  }
  if (failure?.type === FailureTypes.MysqlRejected && (errno === 1045 || errno === 1130)) {
    return sourceFinding(
      SourceCodes.LoginRefused,
      'error',
      'replication.source.user',
      `The source at ${address} refused the login: ${message}`,
      'Check replication.source.user and its password, and that the account’s host part admits the worker and ' +
        "the Aurora cluster (CREATE USER … @'<their network>').",
    );
  }
  if (failure?.type === FailureTypes.MysqlRejected) {
    return sourceFinding(
      SourceCodes.Refused,
      'error',
      'replication.source.user',
      message,
      'See the quoted MySQL error.',
    );
  }
  return sourceFinding(
    SourceCodes.Unreachable,
    'error',
    'replication.source.host',
    `The source at ${address} could not be reached: ${message}`,
    'Check replication.source.host and port, that MySQL listens there (bind-address), and that the network lets ' +
      'the worker and the Aurora cluster’s VPC reach it.',
  );
}
