/**
 * The migration's metrics, recorded by a workflow interceptor (part of the workflow bundle) rather than by
 * the workflow code, so no step of the workflow has to remember them. It reads what the workflow already
 * tells Temporal at the end of each activation: the `MigrationStep` search attribute it upserts on every step
 * (progress.ts) and the command that closes the run. Recording goes through the SDK's workflow metric meter,
 * which drops everything while history replays, so a replayed or re-cached run counts each step once.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  metricMeter,
  type ConcludeActivationInput,
  type ConcludeActivationOutput,
  type Next,
  type WorkflowInternalsInterceptor,
} from '@temporalio/workflow';
import { SearchAttributeKeys } from './ids';
import { WorkflowMetrics } from './metric-names';
import type { MigrationStep } from './types';

type Outcome = 'completed' | 'failed' | 'cancelled';

/** The steps that wait, and the resource each waits for. */
const WAITS: Partial<Record<MigrationStep, 'cluster' | 'instances'>> = {
  'waiting-for-cluster': 'cluster',
  'waiting-for-instances': 'instances',
};
/** Steps after a wait that mean the wait did not end with the resource available. */
const UNSUCCESSFUL_NEXT: ReadonlySet<string> = new Set(['cleaning-up', 'failed', 'cancelled']);

/** The served name without the `_total` the runtime appends to counters. */
const base = (served: string): string => served.replace(/_total$/, '');

/**
 * Counts steps entered and migrations ended, and times the waits (workflow time: `Date.now()` in a workflow
 * is the activation's time). One instance per run: Temporal calls the interceptors factory per workflow.
 */
export class MigrationMetricsInterceptor implements WorkflowInternalsInterceptor {
  private step?: { name: MigrationStep; since: number };
  /** A wait that ended badly, recorded once the run's outcome (failed or cancelled) is known. */
  private unsettledWait?: { resource: 'cluster' | 'instances'; seconds: number };

  concludeActivation(
    input: ConcludeActivationInput,
    next: Next<WorkflowInternalsInterceptor, 'concludeActivation'>,
  ): ConcludeActivationOutput {
    const output = next(input);
    for (const command of output.commands) {
      const step = stepOf(command.upsertWorkflowSearchAttributes?.searchAttributes?.indexedFields);
      if (step) this.enter(step);
      const outcome = outcomeOf(command);
      if (outcome) this.end(outcome);
    }
    return output;
  }

  private enter(name: MigrationStep): void {
    const now = Date.now();
    const left = this.step;
    if (left?.name === name) return;
    this.step = { name, since: now };
    metricMeter.createCounter(base(WorkflowMetrics.steps), 'steps', 'Migration steps entered').add(1, { step: name });
    const resource = left && WAITS[left.name];
    if (!left || !resource) return;
    const seconds = (now - left.since) / 1000;
    if (UNSUCCESSFUL_NEXT.has(name)) this.unsettledWait = { resource, seconds };
    else recordWait(resource, seconds, 'available');
  }

  private end(outcome: Outcome): void {
    const resource = this.step && WAITS[this.step.name];
    if (this.step && resource) this.unsettledWait = { resource, seconds: (Date.now() - this.step.since) / 1000 };
    if (this.unsettledWait) {
      recordWait(this.unsettledWait.resource, this.unsettledWait.seconds, outcome === 'completed' ? 'failed' : outcome);
      this.unsettledWait = undefined;
    }
    metricMeter.createCounter(base(WorkflowMetrics.migrations), 'migrations', 'Migrations ended').add(1, { outcome });
  }
}

function recordWait(resource: string, seconds: number, outcome: string): void {
  metricMeter
    .createHistogram(WorkflowMetrics.waitDuration, 'float', 's', 'Time waiting for a resource to be available')
    .record(Math.max(0, seconds), { resource, outcome });
}

/** The step in an upsert's fields, if it sets `MigrationStep` to a string. */
function stepOf(fields: Record<string, Payload> | null | undefined): MigrationStep | undefined {
  const payload = fields?.[SearchAttributeKeys.step.name];
  if (!payload) return undefined;
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  // Typed search attributes hold a Keyword as a string; the legacy form as a one-element list.
  const step = Array.isArray(value) ? (value[0] as unknown) : value;
  return typeof step === 'string' ? (step as MigrationStep) : undefined;
}

/** How the run ends, if `command` closes it (continue-as-new is not an end: the migration goes on). */
function outcomeOf(command: ConcludeActivationOutput['commands'][number]): Outcome | undefined {
  if (command.completeWorkflowExecution) return 'completed';
  if (command.failWorkflowExecution) return 'failed';
  if (command.cancelWorkflowExecution) return 'cancelled';
  return undefined;
}
