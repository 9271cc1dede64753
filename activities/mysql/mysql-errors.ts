/**
 * The one boundary where a mysql2 error (from the source or the cluster's writer) becomes an `ApplicationFailure`
 * with a named type: retryable `MysqlUnavailable` when waiting can help (network, restart, too many connections),
 * non-retryable `MysqlRejected` when a person must act (login, privileges, a missing procedure, a setting).
 * Messages name the server and the spec field to change; they never contain a password.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';

/** Which server an error came from, in words a user knows. */
export type MysqlRole = 'source' | 'writer';

/** What was being done, for the message. */
export interface MysqlErrorContext {
  role: MysqlRole;
  /** e.g. `SHOW BINARY LOGS` or `connect`. */
  operation: string;
  /** The spec field that names the server or its login, e.g. `replication.source`. */
  field: string;
  /** `host:port`. */
  address: string;
}

/** The facts of a mysql2 error, whatever shape it came in. */
export interface MysqlErrorFacts {
  /** e.g. `ER_ACCESS_DENIED_ERROR`, `ECONNREFUSED`. */
  code?: string;
  /** MySQL's error number (1045), when the server sent one. */
  errno?: number;
  message: string;
}

/** Network-level codes: the server may come back. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);
/** 1040 too many connections, 1053 shutdown in progress, 1205 lock wait timeout, 1213 deadlock, 2002/2003/2006/2013 gone. */
const TRANSIENT_ERRNOS = new Set([1040, 1053, 1205, 1213, 2002, 2003, 2006, 2013]);

/** The facts of any thrown value. */
export function mysqlErrorFacts(err: unknown): MysqlErrorFacts {
  const e = err as { code?: unknown; errno?: unknown; message?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : undefined,
    errno: typeof e?.errno === 'number' && e.errno > 0 ? e.errno : undefined,
    message: typeof e?.message === 'string' ? e.message : String(err),
  };
}

/** True when waiting and trying again can help. */
export function isTransientMysqlError(err: unknown): boolean {
  const { code, errno } = mysqlErrorFacts(err);
  return (code !== undefined && TRANSIENT_CODES.has(code)) || (errno !== undefined && TRANSIENT_ERRNOS.has(errno));
}

/** The fix for a refusal, by MySQL error number. */
function fixFor(facts: MysqlErrorFacts, context: MysqlErrorContext): string {
  const who = context.role === 'source' ? 'the replication user on the source' : 'the cluster’s master user';
  switch (facts.errno) {
    case 1045:
      return `check ${context.field}: the user and password of ${who} (a Secrets Manager secret is read at call time)`;
    case 1044:
    case 1142:
    case 1227:
    case 1370:
      return `grant ${who} the privilege the statement needs (the error names it), then retry`;
    case 1305:
      return context.role === 'writer'
        ? 'the procedure is missing on the cluster: check the engine version (Aurora MySQL 2 or 3 has it)'
        : 'the routine is missing on the source';
    case 1290:
    case 1836:
      return 'the server runs with an option that forbids this (quoted above): change it, then retry';
    case 3159:
    case 2026:
      return `check TLS: ${context.field}.tls must match what the server requires`;
    default:
      return `see the quoted MySQL error; check ${context.field}`;
  }
}

/** The ApplicationFailure for a MySQL error, classified once. Already-classified failures pass through. */
export function classifyMysqlError(err: unknown, context: MysqlErrorContext): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const facts = mysqlErrorFacts(err);
  const label = facts.errno ? `${facts.errno} ${facts.code ?? ''}`.trim() : (facts.code ?? 'error');
  const where = `${context.role === 'source' ? 'The source MySQL' : 'The cluster writer'} at ${context.address}`;
  const details = [{ role: context.role, field: context.field, code: facts.code, errno: facts.errno }];
  if (isTransientMysqlError(err)) {
    return ApplicationFailure.create({
      type: FailureTypes.MysqlUnavailable,
      message: `${where} could not be reached for ${context.operation} (${label}: ${facts.message}); retrying`,
      details,
    });
  }
  return ApplicationFailure.create({
    type: FailureTypes.MysqlRejected,
    nonRetryable: true,
    message: `${where} refused ${context.operation} (${label}: ${facts.message}). Fix: ${fixFor(facts, context)}`,
    details,
  });
}
