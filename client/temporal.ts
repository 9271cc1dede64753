/**
 * The client library: connect to Temporal and start, inspect, steer and list migrations. The CLI and the HTTP
 * service are thin layers over these functions; other Node services call them directly.
 */
import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowHandle, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { type AppConfig, loadConfig } from '../config/app-config';
import { connectClient, loadTemporalTarget, type TemporalTarget } from '../config/temporal-connection';
import { Messages, migrationWorkflowId, SearchAttributeKeys, WORKFLOW_TYPE } from '../workflows/ids';
import type {
  ApprovalDecision,
  ApprovalInput,
  CutoverDecision,
  CutoverRequest,
  MigrationInput,
  MigrationResult,
} from '../workflows/types';
import {
  InvalidSpecError,
  MigrationConflictError,
  MigrationNotFoundError,
  MigrationStateError,
  PlaintextPasswordError,
} from './errors';
import { findIdempotentStart, idempotencyKeyHash } from './idempotency';
import { parseSpec } from './spec/parse';
import { specHash, staticDetails, staticSummary } from './spec-metadata';

/** A connected client with the settings it was built from. */
export interface MigrationClient {
  client: Client;
  config: AppConfig;
  target: TemporalTarget;
}

/** Loads configuration from `env` (Temporal envconfig + aurora-migrate settings) and connects. */
export async function connect(env: Record<string, string | undefined> = process.env): Promise<MigrationClient> {
  const config = loadConfig(env);
  const target = loadTemporalTarget(env);
  const client = await connectClient(target, config);
  return { client, config, target };
}

/** Options of `startMigration`. */
export interface StartOptions {
  /** What to do when a migration of the same cluster is running: return it, or fail. @default 'attach' */
  ifRunning?: 'attach' | 'reject';
  /**
   * Caller's idempotency key: its hash is kept with the migration in Temporal, and a later start with the same
   * key returns the run it started (running or closed) or, for a different spec, a `MigrationConflictError`.
   */
  idempotencyKey?: string;
}

/** A started (or attached) migration. */
export interface StartedMigration {
  workflowId: string;
  runId: string;
  /** ISO 8601 start time of the run. */
  createdAt: string;
  /** True when a running migration of the same spec was returned instead of starting one. */
  attached: boolean;
}

/** Memo recorded at start. The password is never part of it (`specHash` leaves it out). */
export interface MigrationMemo {
  specHash: string;
  /** Random per start call: tells whether `USE_EXISTING` started our run or returned another. */
  startToken: string;
  /** sha256 of the caller's idempotency key (see `client/idempotency.ts`). */
  idempotencyKeyHash?: string;
}

/**
 * Starts the migration of `spec` (validated again here) with the workflow ID of its cluster. A spec with a
 * `MasterUserPassword` is a `PlaintextPasswordError` unless `config.codecKeys` encrypts payloads. A running
 * migration of the same spec is attached to (or refused, with `ifRunning: 'reject'`); one of a different spec
 * is a `MigrationConflictError`.
 */
export async function startMigration(
  client: Client,
  config: AppConfig,
  spec: MigrationInput,
  opts: StartOptions = {},
): Promise<StartedMigration> {
  const parsed = parseSpec(spec, { payloadsEncrypted: config.codecKeys.length > 0 });
  if (!parsed.ok) throw new InvalidSpecError(parsed.issues);
  const input = parsed.spec;
  // Without a codec the password would sit in clear in history (the start event's input): refuse before starting.
  if (input.restore.MasterUserPassword !== undefined && config.codecKeys.length === 0) {
    throw new PlaintextPasswordError();
  }
  const workflowId = migrationWorkflowId(input.region, input.restore.DBClusterIdentifier);
  const memo: MigrationMemo = { specHash: specHash(input), startToken: randomUUID() };
  if (opts.idempotencyKey) {
    const previous = await findIdempotentStart(client, opts.idempotencyKey, memo.specHash, workflowId);
    if (previous) return { ...previous, attached: true };
    memo.idempotencyKeyHash = idempotencyKeyHash(opts.idempotencyKey);
  }
  const handle = await client.workflow
    .start(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: config.taskQueue,
      args: [input],
      workflowIdConflictPolicy: opts.ifRunning === 'reject' ? 'FAIL' : 'USE_EXISTING',
      typedSearchAttributes: [
        { key: SearchAttributeKeys.step, value: 'validating' },
        { key: SearchAttributeKeys.clusterId, value: input.restore.DBClusterIdentifier.toLowerCase() },
        { key: SearchAttributeKeys.sourceBucket, value: input.restore.S3BucketName },
        { key: SearchAttributeKeys.region, value: input.region },
        {
          key: SearchAttributeKeys.instanceIds,
          value: input.instances.map((i) => i.DBInstanceIdentifier.toLowerCase()),
        },
        ...(memo.idempotencyKeyHash
          ? [{ key: SearchAttributeKeys.idempotencyKeyHash, value: memo.idempotencyKeyHash }]
          : []),
      ],
      staticSummary: staticSummary(input),
      staticDetails: staticDetails(input),
      memo: { ...memo },
    })
    .catch((err: unknown) => {
      if (err instanceof Error && err.name === 'WorkflowExecutionAlreadyStartedError') {
        throw new MigrationConflictError(
          workflowId,
          `a migration of cluster ${input.restore.DBClusterIdentifier} in ${input.region} is already running (${workflowId})`,
          { cause: err },
        );
      }
      throw err;
    });
  const description = await handle.describe();
  const existing = description.memo as Partial<MigrationMemo> | undefined;
  const attached = existing?.startToken !== memo.startToken;
  if (attached && existing?.specHash !== memo.specHash) {
    throw new MigrationConflictError(
      workflowId,
      `a different migration already owns cluster ${input.restore.DBClusterIdentifier} in ${input.region} (${workflowId}); cancel it or choose another DBClusterIdentifier`,
    );
  }
  return { workflowId, runId: description.runId, createdAt: description.startTime.toISOString(), attached };
}

/** A handle to an existing migration; throws `MigrationNotFoundError` when there is none. */
export async function migrationHandle(client: Client, workflowId: string): Promise<WorkflowHandle> {
  const handle = client.workflow.getHandle(workflowId);
  await describeOrNotFound(handle);
  return handle;
}

/** `handle.describe()` with Temporal's not-found mapped to `MigrationNotFoundError`. */
export async function describeOrNotFound(handle: WorkflowHandle) {
  try {
    return await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new MigrationNotFoundError(handle.workflowId, { cause: err });
    throw err;
  }
}

/** Waits for the migration to finish and returns its result (throws `WorkflowFailedError` when it failed). */
export async function getResult(client: Client, workflowId: string): Promise<MigrationResult> {
  const handle = await migrationHandle(client, workflowId);
  return (await handle.result()) as MigrationResult;
}

/** Requests cancellation: the workflow stops at a safe point and applies its failure policy. */
export async function cancelMigration(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeOrNotFound(handle);
  if (description.status.name !== 'RUNNING') {
    throw new MigrationStateError(workflowId, `migration ${workflowId} is already ${description.status.name}`);
  }
  await handle.cancel();
}

/** How long an approve/reject/cutover update may wait for a worker to answer, in ms. */
const UPDATE_DEADLINE_MS = 30_000;

/** Approves a migration waiting at its approval gate (the `approveMigration` update); returns the decision. */
export async function approveMigration(
  client: Client,
  workflowId: string,
  input: ApprovalInput,
): Promise<ApprovalDecision> {
  return decide<ApprovalDecision>(client, workflowId, Messages.approveUpdate, input);
}

/** Rejects a migration waiting at its approval gate (the `rejectMigration` update); returns the decision. */
export async function rejectMigration(
  client: Client,
  workflowId: string,
  input: ApprovalInput,
): Promise<ApprovalDecision> {
  return decide<ApprovalDecision>(client, workflowId, Messages.rejectUpdate, input);
}

/**
 * Starts the manual cutover of a migration that is catching up or waiting for it (the `cutover` update) and
 * returns the recorded decision at once; follow the cutover itself with `watchProgress` or `getResult`. A
 * migration that is not running, has no replication section, cuts over automatically, is not yet catching up or
 * was already decided is a `MigrationStateError` saying which.
 */
export async function cutover(client: Client, workflowId: string, input: CutoverRequest): Promise<CutoverDecision> {
  return decide(client, workflowId, Messages.cutoverUpdate, input);
}

async function decide<T>(
  client: Client,
  workflowId: string,
  update: string,
  input: ApprovalInput | CutoverRequest,
): Promise<T> {
  const handle = client.workflow.getHandle(workflowId);
  const description = await describeOrNotFound(handle);
  if (description.status.name !== 'RUNNING') {
    throw new MigrationStateError(workflowId, `migration ${workflowId} is ${description.status.name}, not waiting`);
  }
  try {
    return await client.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
      handle.executeUpdate<T, [ApprovalInput | CutoverRequest]>(update, { args: [input] }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      const reason = err.cause instanceof Error ? err.cause.message : err.message;
      throw new MigrationStateError(workflowId, `migration ${workflowId} refused the decision: ${reason}`, {
        cause: err,
      });
    }
    throw err;
  }
}
