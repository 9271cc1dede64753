/**
 * The fleet's live state as the `fleetProgress` query answers it, and the Web UI's current details.
 * Workflow code only (pure over the fleet's state).
 */
import { setCurrentDetails, workflowInfo } from '@temporalio/workflow';
import type { RunningDatabase } from './database-run';
import type { FleetInput, FleetProgress, FleetState, FleetStep, WaveQuotaCheck } from './types';
import type { WaveGate } from './wave-gate';

/** Everything the fleet's loop keeps besides what continue-as-new carries. */
export interface FleetView {
  step: FleetStep;
  input: FleetInput;
  state: FleetState;
  running: Map<string, RunningDatabase>;
  gate: WaveGate;
  waveSize: number;
  maxInFlight: number;
  lastQuotaCheck?: WaveQuotaCheck;
  lastError?: string;
}

/** Builds the progress answer from the fleet's view. */
export function buildFleetProgress(view: FleetView): FleetProgress {
  const { input, state, running, waveSize } = view;
  const total = input.databases.length;
  const count = (status: string): number => state.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed');
  const budget = input.options?.failureBudget;
  return {
    workflowId: workflowInfo().workflowId,
    name: input.name,
    step: view.step,
    startedAt: state.startedAt,
    total,
    wave: {
      index: Math.max(state.preparedWave, 0),
      count: waveCount(total, waveSize),
      size: waveSize,
    },
    counts: {
      pending: total - state.next,
      running: running.size,
      completed: count('completed'),
      failed,
      cancelled: count('cancelled'),
    },
    running: [...running.keys()],
    failures: state.outcomes
      .filter((o) => o.status === 'failed')
      .map((o) => ({ workflowId: o.workflowId, failureType: o.failureType, reason: o.reason })),
    budget: { failures: failed, allowed: budget, exhausted: budget !== undefined && failed >= budget },
    maxInFlight: view.maxInFlight,
    lastQuotaCheck: view.lastQuotaCheck,
    approvals: state.approvals,
    awaitingApprovalForWave: view.gate.waiting,
    continuedAsNew: state.continuedAsNew,
    lastError: view.lastError,
  };
}

function waveCount(total: number, waveSize: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, waveSize)));
}

/** Enters a stage of the fleet and re-renders the Web UI's current details. */
export function enterStep(view: FleetView, step: FleetStep): void {
  view.step = step;
  refreshDetails(view);
}

/** Re-renders the Web UI's current details (no history event: it is answered from workflow memory). */
export function refreshDetails(view: FleetView): void {
  setCurrentDetails(renderFleetDetails(buildFleetProgress(view)));
}

/** One Markdown block for the Web UI: the stage, the counts, the wave, the failures. */
export function renderFleetDetails(p: FleetProgress): string {
  const { counts } = p;
  const lines = [
    `**Fleet \`${p.name}\`: ${p.step}** — wave ${p.wave.index + 1} of ${p.wave.count}, at most ${p.maxInFlight} at once`,
    '',
    `- ${counts.running} running, ${counts.completed} completed, ${counts.failed} failed, ` +
      `${counts.cancelled} cancelled, ${counts.pending} not started, of ${p.total}`,
  ];
  if (p.budget.allowed !== undefined) lines.push(`- failure budget: ${p.budget.failures} of ${p.budget.allowed}`);
  if (p.awaitingApprovalForWave !== undefined)
    lines.push(`- wave ${p.awaitingApprovalForWave + 1} waits for approval (aurora-migrate approve <fleet-id>)`);
  for (const f of p.failures.slice(0, 10)) lines.push(`- failed \`${f.workflowId}\`: ${f.failureType ?? ''}`);
  if (p.failures.length > 10) lines.push(`- … and ${p.failures.length - 10} more failures`);
  if (p.lastError) lines.push(`- ${p.lastError}`);
  return lines.join('\n');
}
