/**
 * Before each wave of a fleet: its approval (every wave but the first, when asked), then the account's quotas
 * against what the wave adds. Either refusal fails the fleet before any of the wave starts. Workflow code only.
 */
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../../activities';
import { FailureTypes, nonRetryableFailureTypes } from '../errors';
import { databaseWorkflowId } from './database-run';
import { enterStep, type FleetView } from './fleet-progress';

type Activities = ReturnType<typeof createActivities>;

/** Quota reads before a wave: quick, retried through throttling; nothing is created. */
const quotas = proxyActivities<Activities>({
  startToCloseTimeout: '2 minutes',
  summary: 'DescribeAccountAttributes: quotas for the next wave',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: nonRetryableFailureTypes,
  },
});

/** Before a wave: its approval (every wave but the first, when asked), then the account's quotas. */
export async function prepareWave(view: FleetView, wave: number, approvalTimeoutMs: number): Promise<void> {
  const { input, state, waveSize } = view;
  if (wave > 0 && input.options?.approvalBetweenWaves && !state.approvals[wave]?.approved) {
    enterStep(view, 'awaiting-approval');
    const decision = state.approvals[wave] ?? (await view.gate.await(wave, approvalTimeoutMs));
    if (!decision?.approved) {
      view.lastError = decision
        ? `wave ${wave + 1} rejected by ${decision.by}${decision.reason ? `: ${decision.reason}` : ''}`
        : `no approval of wave ${wave + 1} arrived before options.approvalTimeout`;
      enterStep(view, 'failed');
      throw ApplicationFailure.create({
        type: FailureTypes.ApprovalRejected,
        nonRetryable: true,
        message: view.lastError,
      });
    }
  }
  enterStep(view, 'checking-quotas');
  const members = input.databases.slice(wave * waveSize, (wave + 1) * waveSize);
  const check = await quotas.checkWaveQuotas({
    wave,
    region: members[0]?.spec.region ?? '',
    databases: members.map((db) => ({
      workflowId: databaseWorkflowId(db),
      clusterId: db.spec.restore.DBClusterIdentifier.toLowerCase(),
      instanceIds: db.spec.instances.map((i) => i.DBInstanceIdentifier.toLowerCase()),
    })),
  });
  view.lastQuotaCheck = check;
  if (!check.ok) {
    view.lastError = `wave ${wave + 1} refused before any start: ${check.problems.join('; ')}`;
    enterStep(view, 'failed');
    throw ApplicationFailure.create({
      type: FailureTypes.FleetQuotaExceeded,
      nonRetryable: true,
      message: `${view.lastError}. Raise the quota (Service Quotas) or use a smaller options.waveSize, then start the fleet again.`,
      details: [check],
    });
  }
}
