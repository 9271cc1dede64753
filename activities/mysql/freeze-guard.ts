/**
 * The freeze's dead-man switch on the source: a one-shot MySQL EVENT that makes the source writable again at
 * a deadline, run by the source's own event scheduler, so a frozen source is put back even when no worker is
 * left to do it. Everything here runs with `sql_log_bin = 0`: the schema and the event stay on the source and
 * never replicate into the cluster (which would otherwise receive a disabled copy, or an error for a schema it
 * does not have). Created with ON COMPLETION PRESERVE so that its firing drops nothing, and so writes nothing
 * to the binary log (an auto-drop would be logged by the scheduler's own session).
 */
import { createHash } from 'node:crypto';
import { query, type OpenConnection } from './connect';

/** The schema that holds the guard events (created when missing). */
export const GUARD_SCHEMA = 'aurora_migrate';

/** MySQL identifiers are at most 64 characters. */
const MAX_IDENTIFIER = 64;

/**
 * The event's name for a workflow ID: `unfreeze_` + the ID with every character outside `[A-Za-z0-9_]` as `_`,
 * cut to fit, + `_` + 8 hex digits of the ID's SHA-256, so that two IDs that sanitise alike never share one.
 */
export function guardEventName(workflowId: string): string {
  const hash = createHash('sha256').update(workflowId).digest('hex').slice(0, 8);
  const room = MAX_IDENTIFIER - 'unfreeze_'.length - 1 - hash.length;
  return `unfreeze_${workflowId.replace(/[^A-Za-z0-9_]/g, '_').slice(0, room)}_${hash}`;
}

/** The guard as the source's `information_schema.EVENTS` shows it. */
export interface GuardEvent {
  /** When it was armed (ISO 8601, from its comment), which a retried freeze reports as frozenAt. */
  armedAt?: string;
  /** Seconds until it is due; zero or less when due or past. */
  secondsLeft: number;
}

/** The qualified, quoted name. */
function qualified(workflowId: string): string {
  return `\`${GUARD_SCHEMA}\`.\`${guardEventName(workflowId)}\``;
}

/**
 * Every statement of this session stays out of the binary log, and times are UTC so that the event's due time
 * compares with UTC_TIMESTAMP() whatever the server's time zone. Needs SUPER (5.7) or SYSTEM_VARIABLES_ADMIN /
 * SESSION_VARIABLES_ADMIN (8.0).
 */
export async function unloggedSession(open: OpenConnection): Promise<void> {
  await query(open, 'SET SESSION sql_log_bin = 0', undefined, 'SET SESSION sql_log_bin = 0');
  await query(open, "SET SESSION time_zone = '+00:00'", undefined, 'SET SESSION time_zone');
}

/** Reads this workflow's guard, or undefined when there is none. */
export async function readGuard(open: OpenConnection, workflowId: string): Promise<GuardEvent | undefined> {
  const rows = await query<{ comment: string | null; secondsLeft: string | number | null }>(
    open,
    'SELECT EVENT_COMMENT AS comment, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), EXECUTE_AT) AS secondsLeft ' +
      'FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ? AND EVENT_NAME = ?',
    [GUARD_SCHEMA, guardEventName(workflowId)],
    'read the freeze guard event',
  );
  const row = rows[0];
  if (!row) return undefined;
  const armed = /armed (\S+)/.exec(row.comment ?? '')?.[1];
  return { ...(armed ? { armedAt: armed } : {}), secondsLeft: Number(row.secondsLeft ?? 0) };
}

/**
 * Creates the schema (if missing) and the event, due in `seconds`: it sets super_read_only and read_only OFF.
 * The session must be unlogged (`unloggedSession`) and the source writable (DDL is refused under
 * super_read_only). Needs CREATE (for the schema, once) and EVENT on it; the event runs as its definer, this
 * user, so the user keeps SUPER (5.7) / SYSTEM_VARIABLES_ADMIN (8.0) until then.
 */
export async function createGuard(open: OpenConnection, workflowId: string, seconds: number, armedAt: string) {
  // CREATE DATABASE IF NOT EXISTS still asks for CREATE: only run it when the schema is missing, so that a user
  // granted EVENT alone on an existing schema (what the pre-flight asks for then) is enough.
  const schemas = await query(
    open,
    'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [GUARD_SCHEMA],
    'read the guard schema',
  );
  if (schemas.length === 0) {
    await query(open, `CREATE DATABASE IF NOT EXISTS \`${GUARD_SCHEMA}\``, undefined, 'CREATE DATABASE aurora_migrate');
  }
  await query(
    open,
    `CREATE EVENT IF NOT EXISTS ${qualified(workflowId)} ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL ? SECOND ` +
      'ON COMPLETION PRESERVE COMMENT ? ' +
      'DO BEGIN SET GLOBAL super_read_only = OFF; SET GLOBAL read_only = OFF; END',
    [seconds, `aurora-migrate freeze guard, armed ${armedAt}`],
    'CREATE EVENT (the freeze guard)',
  );
}

/** Drops the event if present. The session must be unlogged and the source not super_read_only. */
export async function dropGuard(open: OpenConnection, workflowId: string): Promise<void> {
  // 5.7 refuses even DROP EVENT IF EXISTS of a missing event under super_read_only: ask first.
  if (!(await readGuard(open, workflowId))) return;
  await query(open, `DROP EVENT IF EXISTS ${qualified(workflowId)}`, undefined, 'DROP EVENT (the freeze guard)');
}
