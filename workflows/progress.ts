/**
 * The migration's live state: what the `progress` query answers, what the search attributes and the Web UI's
 * current details show. Workflow code only (deterministic: time comes from the workflow clock).
 */
import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { SearchAttributeKeys } from './ids';
import { describeEta } from './eta-text';
import { renderReplication } from './replication-details';
import type { MigrationInput, MigrationProgress, MigrationStep, StatusObservedSignal } from './types';

/** Holds the progress of one migration and keeps the UI-facing views of it current. */
export interface ProgressTracker {
  readonly state: MigrationProgress;
  /** Enters a step: closes the previous step's duration, updates the search attribute and current details. */
  enter(step: MigrationStep): void;
  /** Records a status RDS reported (from a status signal or a finished wait). */
  observe(observed: StatusObservedSignal): void;
  /** Adds activity retries to the running total. */
  addRetries(count: number): void;
  /** Re-renders the Web UI's current details after a change that is not a step change. */
  refresh(): void;
}

/** Creates the tracker for a migration that starts now. */
export function createProgressTracker(input: MigrationInput): ProgressTracker {
  const now = new Date(Date.now()).toISOString();
  const state: MigrationProgress = {
    workflowId: workflowInfo().workflowId,
    step: 'validating',
    startedAt: now,
    region: input.region,
    clusterId: input.restore.DBClusterIdentifier.toLowerCase(),
    instances: {},
    stepDurations: {},
    retries: 0,
  };
  let stepStartedAt = Date.now();

  const refresh = (): void => setCurrentDetails(renderDetails(state));

  return {
    state,
    enter(step) {
      const elapsed = Date.now() - stepStartedAt;
      state.stepDurations[state.step] = (state.stepDurations[state.step] ?? 0) + elapsed;
      state.step = step;
      stepStartedAt = Date.now();
      upsertSearchAttributes([{ key: SearchAttributeKeys.step, value: step }]);
      refresh();
    },
    observe(observed) {
      const entry = { status: observed.status, at: observed.at, percentProgress: observed.percentProgress };
      if (observed.kind === 'cluster') {
        const history = state.cluster?.history ?? [];
        const last = history[history.length - 1];
        if (last?.status !== entry.status) history.push(entry);
        state.cluster = { ...entry, history };
        if (observed.eta) {
          state.eta = observed.eta;
          state.firstEta ??= observed.eta;
        }
      } else {
        state.instances[observed.id] = entry;
      }
      refresh();
    },
    addRetries(count) {
      state.retries += count;
    },
    refresh,
  };
}

const STEP_TITLES: Record<MigrationStep, string> = {
  validating: 'Validating the backup in S3',
  'awaiting-approval': 'Waiting for approval',
  restoring: 'Calling RestoreDBClusterFromS3',
  'waiting-for-cluster': 'Waiting for the cluster to become available',
  'creating-instances': 'Creating the DB instances',
  'waiting-for-instances': 'Waiting for the DB instances to become available',
  replicating: 'Starting replication from the source on the writer',
  'catching-up': 'Catching up with the source (binlog replication)',
  'awaiting-cutover': 'Caught up: waiting for the cutover decision',
  'cutting-over': 'Cutting over: the source is read-only',
  'cleaning-up': 'Applying the failure policy',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

/** One Markdown block for the Web UI: the step, then each resource's status. */
export function renderDetails(state: MigrationProgress): string {
  // A blank line after the title: Markdown starts a list only after one.
  const lines = [`**${STEP_TITLES[state.step]}** — cluster \`${state.clusterId}\` in ${state.region}`, ''];
  if (state.validation) {
    const v = state.validation;
    lines.push(
      `- backup: ${v.format}, MySQL ${v.serverVersion ?? '?'}, ${v.objectCount} objects, ` +
        `${v.errors} errors, ${v.warnings} warnings`,
    );
  }
  if (state.cluster) {
    const pct = state.cluster.percentProgress ? ` (${state.cluster.percentProgress}%)` : '';
    lines.push(`- cluster: ${state.cluster.status}${pct} since ${state.cluster.at}`);
  }
  const eta = describeEta(state);
  if (eta) lines.push(`- restore: ${eta}`);
  for (const [id, s] of Object.entries(state.instances)) lines.push(`- instance \`${id}\`: ${s.status} since ${s.at}`);
  lines.push(...renderReplication(state));
  if (state.retries > 0) lines.push(`- retries so far: ${state.retries}`);
  if (state.lastError) lines.push(`- last error: ${state.lastError}`);
  return lines.join('\n');
}
