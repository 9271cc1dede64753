/**
 * Idempotency keys kept with the migration in Temporal, so that every replica of the HTTP service, before and
 * after a restart, answers a key the same. A start with a key records `sha256(key)` in the memo and in the
 * `IdempotencyKeyHash` search attribute (the key itself is never stored). A later start with the key looks it
 * up: first by describing the workflow ID the spec maps to (strongly consistent: covers a retry, a closed run
 * and a different spec for the same cluster), then through visibility (covers a different spec for another
 * cluster; eventually consistent, so two different bodies sent with one key at the same instant to two
 * replicas may both start). The lookup lasts as long as the namespace retains the closed run.
 */
import { createHash } from 'node:crypto';
import { type Client, WorkflowNotFoundError } from '@temporalio/client';
import { SearchAttributeKeys } from '../workflows/ids';
import { MigrationConflictError } from './errors';

/** The run an idempotency key already started. */
export interface IdempotentStart {
  workflowId: string;
  runId: string;
  /** ISO 8601 start time of that run. */
  createdAt: string;
}

/** The digest of `key` that Temporal stores (memo `idempotencyKeyHash`, search attribute `IdempotencyKeyHash`). */
export function idempotencyKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

interface RunFacts {
  workflowId: string;
  runId: string;
  startTime: Date;
  memo?: Record<string, unknown>;
}

/**
 * The run `key` started, when it was used with the same spec (`specHash`); undefined when the key is new.
 * Throws `MigrationConflictError` when the key was used with a different spec.
 */
export async function findIdempotentStart(
  client: Client,
  key: string,
  specHash: string,
  workflowId: string,
): Promise<IdempotentStart | undefined> {
  const keyHash = idempotencyKeyHash(key);
  const matches = (run: RunFacts) => run.memo?.idempotencyKeyHash === keyHash;
  const latest = await describeLatest(client, workflowId);
  const runs: RunFacts[] = latest && matches(latest) ? [latest] : [];
  if (!runs.length) {
    const query = `${SearchAttributeKeys.idempotencyKeyHash.name} = '${keyHash}'`;
    for await (const info of client.workflow.list({ query, pageSize: 10 })) {
      runs.push({ workflowId: info.workflowId, runId: info.runId, startTime: info.startTime, memo: info.memo });
    }
  }
  const run = runs.find(matches);
  if (!run) return undefined;
  if (run.workflowId !== workflowId || run.memo?.specHash !== specHash) {
    throw new MigrationConflictError(
      run.workflowId,
      `this Idempotency-Key was already used with a different request body (migration ${run.workflowId}); send a new key for a new migration`,
    );
  }
  return { workflowId: run.workflowId, runId: run.runId, createdAt: run.startTime.toISOString() };
}

async function describeLatest(client: Client, workflowId: string): Promise<RunFacts | undefined> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: description.runId, startTime: description.startTime, memo: description.memo };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}
