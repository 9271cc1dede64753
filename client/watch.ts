/**
 * Following a migration from a library: `watchProgress` yields its progress as it changes until it closes, and
 * `migrationOutcome` says how it ended (the result, or the failure's type and message) without throwing.
 * The CLI's `watch` (text and `--json`) is built on these two.
 */
import {
  type Client,
  type WorkflowExecutionStatusName,
  WorkflowFailedError,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { ApplicationFailure, TemporalFailure } from '@temporalio/common';
import type { MigrationResult } from '../workflows/types';
import { MigrationNotFoundError } from './errors';
import { getProgress, type MigrationStatus } from './progress';

/** Options of `watchProgress`. */
export interface WatchOptions {
  /** Time between two reads of the progress, in ms. @default 1000 */
  intervalMs?: number;
  /**
   * `true` (default): yield only when the progress differs from the last one yielded. `false`: yield at every
   * read (a live display that redraws its elapsed time).
   */
  onlyChanges?: boolean;
  /** How long each read waits for a worker to answer the progress query, in ms. @default 3000 */
  queryTimeoutMs?: number;
  /** Stops the watch (the generator returns after the read in flight). */
  signal?: AbortSignal;
}

/**
 * Yields the migration's progress (`getProgress`'s object, unchanged) each time it changes, the last one being
 * the closed state (`status` other than `RUNNING`); then returns. Throws `MigrationNotFoundError` for an unknown
 * ID. Works on a closed migration too: it yields its final state once.
 */
export async function* watchProgress(
  client: Client,
  workflowId: string,
  opts: WatchOptions = {},
): AsyncGenerator<MigrationStatus, void, undefined> {
  const intervalMs = opts.intervalMs ?? 1000;
  let last: string | undefined;
  for (;;) {
    const status = await getProgress(client, workflowId, { queryTimeoutMs: opts.queryTimeoutMs ?? 3000 });
    const serialized = JSON.stringify(status);
    if (opts.onlyChanges === false || serialized !== last) yield status;
    last = serialized;
    if (status.status !== 'RUNNING' || opts.signal?.aborted) return;
    await sleep(intervalMs, opts.signal);
    if (opts.signal?.aborted) return;
  }
}

/** How a closed migration ended: its result, or why it did not complete. Never contains a secret. */
export type MigrationOutcome =
  | { workflowId: string; outcome: 'completed'; status: 'COMPLETED'; result: MigrationResult }
  | {
      workflowId: string;
      /** `cancelled` for a cancelled or terminated migration (CLI exit 3), `failed` otherwise (exit 1). */
      outcome: 'failed' | 'cancelled';
      status: WorkflowExecutionStatusName;
      error: {
        /** The failure type (one of `FailureTypes` for the workflow's own failures), when there is one. */
        type?: string;
        message: string;
      };
    };

/**
 * Waits for the migration to close and reports how it ended, without throwing for a failed or cancelled
 * migration (unlike `getResult`). Throws `MigrationNotFoundError` for an unknown ID.
 */
export async function migrationOutcome(client: Client, workflowId: string): Promise<MigrationOutcome> {
  const handle = client.workflow.getHandle(workflowId);
  try {
    const result = (await handle.result()) as MigrationResult;
    return { workflowId, outcome: 'completed', status: 'COMPLETED', result };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new MigrationNotFoundError(workflowId, { cause: err });
    if (!(err instanceof WorkflowFailedError)) throw err;
    const { status } = await handle.describe();
    const cause = err.cause;
    const type = cause instanceof ApplicationFailure ? (cause.type ?? undefined) : failureKind(cause);
    return {
      workflowId,
      outcome: status.name === 'CANCELLED' || status.name === 'TERMINATED' ? 'cancelled' : 'failed',
      status: status.name,
      error: { ...(type ? { type } : {}), message: cause?.message || err.message },
    };
  }
}

/** The class name of a Temporal failure that is not an ApplicationFailure (CancelledFailure, TimeoutFailure…). */
function failureKind(cause: Error | undefined): string | undefined {
  return cause instanceof TemporalFailure ? cause.name : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
