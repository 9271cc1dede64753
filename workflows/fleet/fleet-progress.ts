/**
 * The fleet's live state as the `fleetProgress` query answers it, and the Web UI's current details.
 * Workflow code only (pure over the fleet's state).
 */
import { workflowInfo } from '@temporalio/workflow';
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
