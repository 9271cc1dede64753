/**
 * `migrateToAurora`: validate the backup, restore the cluster from S3, wait for it, add the instances and wait
 * for them. Exactly-once against RDS comes from the activities' ownership tags; durability from Temporal.
 */
import {
  ActivityCancellationType,
  type ActivityOptions,
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import type { createActivities } from '../activities';
import type { CreateInstanceResult, FailureExplanation } from '../activities/rds';
import { FailureTypes, nonRetryableFailureTypes } from './errors';
import { catchUpAndCutover } from './catch-up-and-cutover';
import { installReplicationHandlers } from './cutover-update';
import { Messages, Patches } from './ids';
import { addSourceFindings, mergeReports, refusal, runPreflightStep, unreadBackupReport } from './preflight-step';
import { recordRestoreSample, restoreTiming } from './restore-timing';
import { createProgressTracker, type ProgressTracker } from './progress';
import type {
  ApprovalDecision,
  ApprovalInput,
  InstanceSummary,
  MigrationInput,
  MigrationProgress,
  MigrationResult,
  RdsEventSignal,
  StatusObservedSignal,
} from './types';
import { summarizeValidation } from './validation-summary';
import { waitForCluster, waitForInstance } from './wait-for-available';

type Activities = ReturnType<typeof createActivities>;

/**
 * Reads the backup; deep mode may read terabytes, so it may run for hours. It heartbeats its progress at least
 * every second with a resume point (the worker passes heartbeats on within 1 s), so a worker that dies is noticed
 * within 30 s and the retry continues from the last heartbeat instead of byte 0.
 */
const validation = proxyActivities<Activities>({
  startToCloseTimeout: '12 hours',
  heartbeatTimeout: '30 seconds',
  summary: 'validate the backup in S3',
  retry: { initialInterval: '2s', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

/**
 * RDS create calls: quick, retried through throttling for up to 30 minutes; bad input fails at once. They
 * heartbeat while in flight, so a worker that dies mid-call is replaced within 10 s.
 */
const RDS_MUTATION_OPTIONS: ActivityOptions = {
  // A cancelled migration waits for an in-flight create call to settle, so the failure policy then sees the
  // cluster or instance that call may have created instead of racing it and leaving an orphan.
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: nonRetryableFailureTypes,
  },
};

/** The RDS create calls, each with its own summary in the Web UI (e.g. `CreateDBInstance orders-writer`). */
function rdsMutation(summary: string) {
  return proxyActivities<Activities>({ ...RDS_MUTATION_OPTIONS, summary });
}

/** Explaining and cleaning up: best effort, a few attempts. */
const RDS_AFTERCARE_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 10 },
};

function rdsAftercare(summary: string) {
  return proxyActivities<Activities>({ ...RDS_AFTERCARE_OPTIONS, summary });
}

/** Answers the live progress of the migration. */
export const progressQuery = defineQuery<MigrationProgress>(Messages.progressQuery);
/** An RDS event notification about our cluster or an instance: ends the current wait early. */
export const rdsEventSignal = defineSignal<[RdsEventSignal]>(Messages.rdsEventSignal);
/** A status change a waiting activity observed. */
export const statusObservedSignal = defineSignal<[StatusObservedSignal]>(Messages.statusObservedSignal);
/** Approve (fire and forget). */
export const approveSignal = defineSignal<[ApprovalInput]>(Messages.approveSignal);
/** Reject (fire and forget). */
export const rejectSignal = defineSignal<[ApprovalInput]>(Messages.rejectSignal);
/** Approve and get the recorded decision back. */
export const approveUpdate = defineUpdate<ApprovalDecision, [ApprovalInput]>(Messages.approveUpdate);
/** Reject and get the recorded decision back. */
export const rejectUpdate = defineUpdate<ApprovalDecision, [ApprovalInput]>(Messages.rejectUpdate);

const DEFAULTS = {
  // Temporal's guidance for this polling pattern (activity retries) is one minute or slower.
  pollInterval: '1m',
  maxPollInterval: '15m',
  clusterTimeout: '48h',
  instanceTimeout: '6h',
  propagationRetryWindow: '5m',
  approvalTimeout: '7d',
} as const;

/** The fixed interval of histories recorded before adaptive polling (`Patches.adaptivePolling`). */
const LEGACY_POLL_INTERVAL = '30s';

/** Moves a MySQL database into Aurora MySQL from an XtraBackup backup in S3. */
export async function migrateToAurora(input: MigrationInput): Promise<MigrationResult> {
  const { workflowId } = workflowInfo();
  const options = input.options ?? {};
  const clusterId = input.restore.DBClusterIdentifier.toLowerCase();
  const tracker = createProgressTracker(input);
  const wakes: Record<string, number> = {};
  const created = { cluster: false, instances: [] as string[], cutoverStarted: false };

  setHandler(progressQuery, () => tracker.state);
  setHandler(statusObservedSignal, (observed) => tracker.observe(observed));
  setHandler(rdsEventSignal, (event) => {
    const key = `${event.sourceType === 'db-cluster' ? 'cluster' : 'instance'}:${event.sourceId.toLowerCase()}`;
    wakes[key] = (wakes[key] ?? 0) + 1;
  });
  installApprovalHandlers(tracker, input.options?.requireApproval === true);
  installReplicationHandlers(tracker, input);
  tracker.enter('validating');

  try {
    // The AWS pre-flight first: a worker of another Region must not read the backup, and nothing is created
    // while either report has an error.
    const preflight = await runPreflightStep(input, workflowId);
    const mode = options.validation ?? 'quick';
    const backup = preflight?.regionMismatch
      ? unreadBackupReport(input, mode)
      : await validation.validateBackup({
          bucket: input.restore.S3BucketName,
          prefix: input.restore.S3Prefix ?? '',
          region: input.region,
          sourceEngineVersion: input.restore.SourceEngineVersion,
          engineVersion: input.restore.EngineVersion,
          mode,
        });
    const checked = await addSourceFindings(input, backup, preflight);
    const report = mergeReports(backup, checked);
    const summary = summarizeValidation(report);
    tracker.state.validation = summary;
    if (!report.ok) throw refusal(backup, checked, summary);

    if (options.requireApproval) {
      tracker.enter('awaiting-approval');
      const decided = await condition(
        () => tracker.state.approval !== undefined,
        ms(options.approvalTimeout ?? DEFAULTS.approvalTimeout),
      );
      const decision = tracker.state.approval;
      if (!decided || !decision?.approved) {
        throw ApplicationFailure.create({
          type: FailureTypes.ApprovalRejected,
          nonRetryable: true,
          message: decision
            ? `Rejected by ${decision.by}${decision.reason ? `: ${decision.reason}` : ''}`
            : 'No approval arrived before options.approvalTimeout',
        });
      }
    }

    tracker.enter('restoring');
    const restoreStartedAt = now();
    // Before the call: a failure or cancellation while it is in flight may leave a cluster behind, and the
    // failure policy must look for it (it touches only a cluster carrying our tag, and tolerates none).
    created.cluster = true;
    const restored = await rdsMutation(`RestoreDBClusterFromS3 ${clusterId}`).restoreCluster({
      workflowId,
      region: input.region,
      params: input.restore,
      propagationRetryWindowMs: ms(options.propagationRetryWindow ?? DEFAULTS.propagationRetryWindow),
    });
    tracker.addRetries(restored.attempts - 1);
    tracker.observe({ kind: 'cluster', id: clusterId, status: restored.cluster.Status, at: now() });

    tracker.enter('waiting-for-cluster');
    // Histories recorded before adaptive polling replay with the fixed 30 s interval and no ETA.
    const adaptive = patched(Patches.adaptivePolling);
    const pollIntervalMs = ms(options.pollInterval ?? (adaptive ? DEFAULTS.pollInterval : LEGACY_POLL_INTERVAL));
    const maxPollIntervalMs = Math.max(pollIntervalMs, ms(options.maxPollInterval ?? DEFAULTS.maxPollInterval));
    const backupBytes = report.totalBytes;
    const cluster = await waitForCluster({
      id: clusterId,
      workflowId,
      pollIntervalMs,
      adaptive: adaptive ? { maxPollIntervalMs, restore: { startedAt: restoreStartedAt, backupBytes } } : undefined,
      timeoutMs: ms(options.clusterTimeout ?? DEFAULTS.clusterTimeout),
      wakeCount: () => wakes[`cluster:${clusterId}`] ?? 0,
    });
    tracker.observe({ kind: 'cluster', id: clusterId, status: cluster.Status, at: now() });
    if (adaptive) {
      tracker.state.restore = restoreTiming(tracker.state, restoreStartedAt, now(), backupBytes);
      // What the deployment learns its restore throughput from (restore-samples.ts reads it from visibility);
      // an adopted cluster's restore began before this run, so its time is unknown and it teaches nothing.
      if (!restored.adopted) recordRestoreSample(backupBytes, tracker.state.restore.actualSeconds);
    }

    tracker.enter('creating-instances');
    const creations = await createInstances(input, workflowId, clusterId, created.instances);
    for (const c of creations) {
      tracker.addRetries(c.attempts - 1);
      const id = c.instance.DBInstanceIdentifier;
      tracker.observe({ kind: 'instance', id, status: c.instance.DBInstanceStatus, at: now() });
    }

    tracker.enter('waiting-for-instances');
    const instances: InstanceSummary[] = await Promise.all(
      creations.map(async (c, index) => {
        const id = c.instance.DBInstanceIdentifier;
        const ready = await waitForInstance({
          id,
          workflowId,
          pollIntervalMs,
          adaptive: adaptive ? { maxPollIntervalMs } : undefined,
          timeoutMs: ms(options.instanceTimeout ?? DEFAULTS.instanceTimeout),
          wakeCount: () => wakes[`instance:${id}`] ?? 0,
        });
        tracker.observe({ kind: 'instance', id, status: ready.DBInstanceStatus, at: now() });
        return { ...ready, IsClusterWriter: index === 0 };
      }),
    );

    const recoveredBinlog = await readRecoveredBinlog(clusterId, instances, tracker.state.startedAt);
    // Inputs with a replication section could not start before these phases existed: no recorded history
    // reaches this branch, so it needs no patch.
    const cutover = input.replication
      ? await catchUpAndCutover({
          input,
          replication: input.replication,
          workflowId,
          tracker,
          cluster,
          instances,
          backupBinlog: report.binlog,
          recoveredBinlog,
          onCutoverStarted: () => (created.cutoverStarted = true),
        })
      : undefined;
    tracker.enter('completed');
    return {
      workflowId,
      cluster,
      instances,
      stepDurations: tracker.state.stepDurations,
      validation: summary,
      binlog: report.binlog,
      ...(recoveredBinlog ? { recoveredBinlog } : {}),
      approval: tracker.state.approval,
      adoptedCluster: restored.adopted,
      ...(tracker.state.restore ? { restore: tracker.state.restore } : {}),
      ...(cutover ? { cutover } : {}),
    };
  } catch (err) {
    throw await handleFailure(err, input, workflowId, clusterId, created, tracker);
  }
}

/**
 * The binlog position the cluster recovered to, from its RDS events, once its instances are up. Best effort: the
 * migration has succeeded by now, so a failed read is logged, not raised. Behind a patch, so that histories of
 * migrations that ended before this step existed still replay.
 */
async function readRecoveredBinlog(
  clusterId: string,
  instances: InstanceSummary[],
  since: string,
): Promise<MigrationResult['recoveredBinlog']> {
  if (!patched('read-recovered-binlog')) return undefined;
  try {
    const events = proxyActivities<Activities>({
      ...RDS_AFTERCARE_OPTIONS,
      // A few quick attempts: a completed migration should not wait minutes for an optional fact.
      retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
      summary: 'DescribeEvents: recovered binlog position',
    });
    return await events.readRecoveredPosition({
      clusterId,
      instanceIds: instances.map((i) => i.DBInstanceIdentifier),
      since,
    });
  } catch (err) {
    log.warn('could not read the recovered binlog position from RDS events', { error: String(err) });
    return undefined;
  }
}

/** The writer first (RDS makes the first instance the writer), then the readers in parallel. */
async function createInstances(
  input: MigrationInput,
  workflowId: string,
  clusterId: string,
  createdIds: string[],
): Promise<CreateInstanceResult[]> {
  const [writer, ...readers] = input.instances;
  if (!writer) return [];
  const create = async (instance: typeof writer): Promise<CreateInstanceResult> => {
    createdIds.push(instance.DBInstanceIdentifier.toLowerCase());
    return rdsMutation(`CreateDBInstance ${instance.DBInstanceIdentifier}`).createInstance({
      workflowId,
      clusterId,
      instance,
    });
  };
  const first = await create(writer);
  const rest = await Promise.all(readers.map(create));
  return [first, ...rest];
}

function installApprovalHandlers(tracker: ProgressTracker, required: boolean): void {
  const decide = (approved: boolean, { by, reason }: ApprovalInput): ApprovalDecision => {
    tracker.state.approval ??= { approved, by, reason, at: now() };
    tracker.refresh();
    return tracker.state.approval;
  };
  const validator = (input: ApprovalInput): void => {
    if (!required) throw new Error('this migration was started without options.requireApproval');
    if (!input?.by?.trim()) throw new Error('"by" must name who decides');
    if (tracker.state.approval) throw new Error(`already decided by ${tracker.state.approval.by}`);
  };
  setHandler(approveUpdate, (i) => decide(true, i), { validator });
  setHandler(rejectUpdate, (i) => decide(false, i), { validator });
  setHandler(approveSignal, (i) => void (required && i?.by && decide(true, i)));
  setHandler(rejectSignal, (i) => void (required && i?.by && decide(false, i)));
}

/**
 * On failure or cancellation: explain terminal RDS states from DescribeEvents, apply the failure policy in a
 * scope that cancellation cannot interrupt, and return the error to throw.
 */
async function handleFailure(
  err: unknown,
  input: MigrationInput,
  workflowId: string,
  clusterId: string,
  created: { cluster: boolean; instances: string[]; cutoverStarted: boolean },
  tracker: ProgressTracker,
): Promise<unknown> {
  const cancelled = isCancellation(err);
  const cause = err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : err;
  const failure = cause instanceof ApplicationFailure ? cause : undefined;
  tracker.state.lastError = cancelled ? 'cancelled' : ((cause as Error)?.message ?? String(cause));
  const terminal = failure?.type === FailureTypes.ClusterFailed || failure?.type === FailureTypes.InstanceFailed;

  return CancellationScope.nonCancellable(async () => {
    let explanation: FailureExplanation | undefined;
    if (terminal) {
      try {
        explanation = await rdsAftercare('DescribeEvents: why it failed').explainFailure({
          clusterId,
          instanceIds: created.instances,
          since: tracker.state.startedAt,
        });
      } catch (explainErr) {
        log.warn('could not read RDS events', { error: String(explainErr) });
      }
    }
    if (created.cluster && created.cutoverStarted) {
      // A cutover that began keeps the cluster whatever the policy says: it holds the source's data up to the
      // freeze and still replicates (or is the new primary), so the cutover can be tried again.
      const policy = input.options?.onFailure ?? 'retain';
      tracker.state.cleanup = { policy, removed: [], kept: [clusterId, ...created.instances], errors: [] };
    } else if (created.cluster) {
      tracker.enter('cleaning-up');
      try {
        tracker.state.cleanup = await rdsAftercare(
          `failure policy ${input.options?.onFailure ?? 'retain'}`,
        ).applyFailurePolicy({
          workflowId,
          policy: input.options?.onFailure ?? 'retain',
          clusterId,
          instanceIds: created.instances,
        });
      } catch (cleanupErr) {
        log.error('the failure policy could not be applied', { error: String(cleanupErr) });
        tracker.state.cleanup = {
          policy: input.options?.onFailure ?? 'retain',
          removed: [],
          kept: [],
          errors: [String(cleanupErr)],
        };
      }
    }
    tracker.enter(cancelled ? 'cancelled' : 'failed');
    if (cancelled || !failure) return err;
    const quoted = explanation?.events.map((e) => `${e.sourceId} ${e.date}: "${e.message}"`).join('; ');
    return ApplicationFailure.create({
      type: failure.type ?? FailureTypes.AwsRejected,
      nonRetryable: true,
      message:
        failure.message +
        (explanation ? `. AWS events: ${quoted || 'none'}. Likely fix: ${explanation.advice}` : '') +
        (tracker.state.cleanup ? `. ${describeCleanup(tracker.state.cleanup)}` : ''),
      details: [{ explanation, cleanup: tracker.state.cleanup, cause: failure.details }],
    });
  });
}

function describeCleanup(cleanup: NonNullable<MigrationProgress['cleanup']>): string {
  const removed = cleanup.removed.length ? `removed ${cleanup.removed.join(', ')}` : 'removed nothing';
  const kept = cleanup.kept.length ? `; kept ${cleanup.kept.join(', ')}` : '';
  return `Failure policy ${cleanup.policy}: ${removed}${kept}`;
}

/** Milliseconds of a duration option (a string such as `'30s'`, or a number of ms); the spec schema checked it. */
function ms(value: string | number): number {
  return msToNumber(value as Duration);
}

function now(): string {
  return new Date(Date.now()).toISOString();
}

export type { StatusObservedSignal };
