/**
 * The gate between waves: the migration's approval style (an update that answers the recorded decision, a
 * fire-and-forget signal, the same names), applied to the wave that is waiting. Workflow code only.
 */
import { condition, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';
import { Messages } from '../ids';
import type { ApprovalDecision, ApprovalInput } from '../types';
import type { FleetState } from './types';

const approveUpdate = defineUpdate<ApprovalDecision, [ApprovalInput]>(Messages.approveUpdate);
const rejectUpdate = defineUpdate<ApprovalDecision, [ApprovalInput]>(Messages.rejectUpdate);
const approveSignal = defineSignal<[ApprovalInput]>(Messages.approveSignal);
const rejectSignal = defineSignal<[ApprovalInput]>(Messages.rejectSignal);

/** What the gate reads and writes. */
export interface WaveGate {
  /** The wave waiting for a decision, if any. */
  waiting: number | undefined;
  /** Waits for the decision on `wave`; undefined when `timeoutMs` passed first. */
  await(wave: number, timeoutMs: number): Promise<ApprovalDecision | undefined>;
}

/** Installs the approve/reject handlers of a fleet; `required` is the fleet's `approvalBetweenWaves`. */
export function installWaveGate(state: FleetState, required: boolean): WaveGate {
  const gate: WaveGate = {
    waiting: undefined,
    async await(wave, timeoutMs) {
      gate.waiting = wave;
      try {
        await condition(() => state.approvals[wave] !== undefined, timeoutMs);
      } finally {
        gate.waiting = undefined;
      }
      return state.approvals[wave];
    },
  };
  const decide = (approved: boolean, { by, reason }: ApprovalInput): ApprovalDecision => {
    const wave = gate.waiting ?? -1;
    state.approvals[wave] ??= { approved, by, reason, at: new Date(Date.now()).toISOString() };
    return state.approvals[wave];
  };
  const validator = (input: ApprovalInput): void => {
    if (!required) throw new Error('this fleet was started without options.approvalBetweenWaves');
    if (!input?.by?.trim()) throw new Error('"by" must name who decides');
    if (gate.waiting === undefined) throw new Error('no wave is waiting for approval now; see the fleet progress');
  };
  setHandler(approveUpdate, (i) => decide(true, i), { validator });
  setHandler(rejectUpdate, (i) => decide(false, i), { validator });
  setHandler(approveSignal, (i) => void (required && i?.by && gate.waiting !== undefined && decide(true, i)));
  setHandler(rejectSignal, (i) => void (required && i?.by && gate.waiting !== undefined && decide(false, i)));
  return gate;
}
