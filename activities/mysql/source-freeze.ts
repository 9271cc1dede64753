/**
 * Freezing the source for the cutover, and putting it back. The freeze is `SET GLOBAL super_read_only = ON`
 * (read_only follows), which refuses writes from every user, SUPER included, after the commits in flight
 * finish; the position read after it is final. Before freezing, a dead-man switch is armed on the source
 * (`freeze-guard.ts`) so the source is writable again at the deadline even if no worker survives.
 *
 * Privileges of `replication.source.user` (besides REPLICATION SLAVE and REPLICATION CLIENT):
 * - 5.7: SUPER (SET GLOBAL super_read_only/read_only, SET SESSION sql_log_bin, the event, which runs as its
 *   definer, and the disarm's DROP EVENT while read_only is ON).
 * - 8.0: SYSTEM_VARIABLES_ADMIN (the variables, and the event as definer) and CONNECTION_ADMIN (read_only exempts
 *   only it and SUPER, so the disarm can drop the guard), or SUPER. Verified on 8.0.15 and 5.7.22.
 * - EVENT on `aurora_migrate` (or `*.*`), and CREATE on it the first time, when the schema does not exist yet.
 *   `GRANT CREATE, EVENT ON aurora_migrate.* TO '<user>'@'<host>'` covers both.
 *
 * Every function is idempotent, so an activity retry (or a worker killed mid-call) converges.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../../workflows/errors';
import type { SourceFreeze, SourcePosition } from '../../workflows/replication-types';
import { query, type OpenConnection } from './connect';
import { createGuard, dropGuard, readGuard, unloggedSession } from './freeze-guard';
import { readSourcePosition } from './source-position';

/** The source's read-only switches. */
export interface ReadOnlyState {
  readOnly: boolean;
  superReadOnly: boolean;
  /** `@@GLOBAL.event_scheduler`: `ON`, `OFF` or `DISABLED`. */
  eventScheduler: string;
}

/** Reads read_only, super_read_only and event_scheduler. */
export async function readReadOnly(open: OpenConnection): Promise<ReadOnlyState> {
  const [row] = await query<{ ro: string | number; sro: string | number; es: string }>(
    open,
    'SELECT @@GLOBAL.read_only AS ro, @@GLOBAL.super_read_only AS sro, @@GLOBAL.event_scheduler AS es',
    undefined,
    'read read_only',
  );
  return { readOnly: Number(row?.ro) === 1, superReadOnly: Number(row?.sro) === 1, eventScheduler: String(row?.es) };
}

/** Input of freeze: the workflow's ID names the guard; the timeout is its delay. */
export interface FreezeInput {
  workflowId: string;
  /** The longest time the source may stay read-only (`replication.freezeTimeout`), in milliseconds. */
  freezeTimeoutMs: number;
}

/**
 * Arms the guard (unless it is armed and still pending), then freezes, then reads the final position. A retry
 * while frozen by this workflow returns the same shape, frozenAt from the guard, the position read again.
 * A guard that is already due means this freeze window is over (it fired, or is about to): freezing again
 * would outlast freezeTimeout, so that is refused (non-retryable `CutoverAborted`).
 */
export async function freeze(open: OpenConnection, input: FreezeInput): Promise<SourceFreeze> {
  await unloggedSession(open);
  const state = await readReadOnly(open);
  const existing = await readGuard(open, input.workflowId);
  if (existing && existing.secondsLeft <= 0) {
    throw ApplicationFailure.create({
      type: FailureTypes.CutoverAborted,
      nonRetryable: true,
      message:
        `The freeze window of ${input.workflowId} on the source at ${open.address} is over (its guard, armed ` +
        `${existing.armedAt ?? 'earlier'}, is due): not freezing again. Unfreeze (which removes the guard), then retry the cutover`,
      details: [{ role: 'source', field: 'replication.freezeTimeout' }],
    });
  }
  let armedAt = existing?.armedAt;
  if (!existing && !state.superReadOnly) {
    armedAt = new Date().toISOString();
    await createGuard(open, input.workflowId, Math.max(1, Math.ceil(input.freezeTimeoutMs / 1000)), armedAt);
  }
  // Frozen by someone else, with no guard of ours: it cannot be created now (DDL is refused), so only the
  // workflow's timer guards this freeze.
  const guarded = (existing !== undefined || !state.superReadOnly) && state.eventScheduler === 'ON';
  let frozenAt = state.superReadOnly && armedAt ? armedAt : undefined;
  if (!state.superReadOnly) {
    // SET GLOBAL read_only waits for the commits in flight; bounded so that a stuck write fails this attempt
    // (1205, retried) instead of holding new writers behind the pending lock for long.
    const waitSeconds = Math.min(30, Math.max(1, Math.floor(input.freezeTimeoutMs / 4000)));
    await query(open, 'SET SESSION lock_wait_timeout = ?', [waitSeconds], 'SET SESSION lock_wait_timeout');
    await query(open, 'SET GLOBAL super_read_only = ON', undefined, 'SET GLOBAL super_read_only = ON');
    frozenAt = new Date().toISOString();
  }
  const position = await readSourcePosition(open);
  return { frozenAt: frozenAt ?? new Date().toISOString(), position, guard: guarded ? 'event' : 'workflow' };
}

/**
 * Removes the guard and leaves the source read-only: the cutover's commit point. DDL is refused under
 * super_read_only, so the drop runs in a window of one statement where super_read_only is OFF but read_only
 * stays ON (writes of users without SUPER / CONNECTION_ADMIN stay refused). Fails (non-retryable
 * `CutoverAborted`) when the source is writable or its guard is due (the freeze window is over: the cutover must
 * not commit), or when the binary log moved during the call (the guard fired inside that window, or a SUPER
 * user wrote).
 */
export async function disarm(open: OpenConnection, workflowId: string): Promise<void> {
  await unloggedSession(open);
  const state = await readReadOnly(open);
  const guard = await readGuard(open, workflowId);
  if (!state.readOnly) throw writableAtCommit(open, workflowId, 'the source is writable (its guard fired?)');
  // A due guard fired (or is firing): the source may have been writable in between, whatever it is now.
  if (guard && guard.secondsLeft <= 0) throw writableAtCommit(open, workflowId, 'the freeze guard is due');
  if (!guard) {
    if (!state.superReadOnly) await query(open, 'SET GLOBAL super_read_only = ON', undefined, 'SET super_read_only');
    return;
  }
  const before = await readSourcePosition(open);
  try {
    if (state.superReadOnly) await query(open, 'SET GLOBAL super_read_only = OFF', undefined, 'SET super_read_only');
    await dropGuard(open, workflowId);
  } finally {
    await query(open, 'SET GLOBAL super_read_only = ON', undefined, 'SET GLOBAL super_read_only = ON');
  }
  const after = await readSourcePosition(open);
  if (!samePosition(before, after)) {
    throw writableAtCommit(open, workflowId, `the binary log moved from ${describe(before)} to ${describe(after)}`);
  }
}

/** Makes the source writable and removes the guard; says whether it was read-only. */
export async function unfreeze(
  open: OpenConnection,
  workflowId: string,
): Promise<{ at: string; wasReadOnly: boolean }> {
  await unloggedSession(open);
  const state = await readReadOnly(open);
  // Writable first: the guard's DROP EVENT is refused while super_read_only is ON.
  if (state.superReadOnly) await query(open, 'SET GLOBAL super_read_only = OFF', undefined, 'SET super_read_only');
  if (state.readOnly) await query(open, 'SET GLOBAL read_only = OFF', undefined, 'SET GLOBAL read_only = OFF');
  const at = new Date().toISOString();
  await dropGuard(open, workflowId);
  return { at, wasReadOnly: state.readOnly || state.superReadOnly };
}

/** The source's position and read-only switches. */
export async function readState(
  open: OpenConnection,
): Promise<{ position: SourcePosition; readOnly: boolean; superReadOnly: boolean }> {
  const { readOnly, superReadOnly } = await readReadOnly(open);
  return { position: await readSourcePosition(open), readOnly, superReadOnly };
}

function samePosition(a: SourcePosition, b: SourcePosition): boolean {
  return a.file === b.file && a.position === b.position && a.gtidExecuted === b.gtidExecuted;
}

function describe(p: SourcePosition): string {
  return `${p.file}:${p.position}`;
}

function writableAtCommit(open: OpenConnection, workflowId: string, why: string): ApplicationFailure {
  return ApplicationFailure.create({
    type: FailureTypes.CutoverAborted,
    nonRetryable: true,
    message:
      `The cutover of ${workflowId} cannot commit: ${why} on the source at ${open.address}, so writes may have ` +
      'been accepted after the final position. Unfreeze, let replication catch up, and cut over again',
    details: [{ role: 'source', field: 'replication.freezeTimeout' }],
  });
}
