/**
 * The deployment's completed restores, read from Temporal's visibility store: every completed migration
 * carries a `restoreSample` memo (backup bytes, restore time), so each worker learns from all of them, across
 * replicas and restarts, without a store of its own. A deployment is a task queue: workers on another queue
 * of the namespace (another account, Region or test) do not skew this one's model.
 */
import type { Client } from '@temporalio/client';
import { RESTORE_SAMPLE_MEMO, WORKFLOW_TYPE } from '../../workflows/ids';
import type { RestoreSample, SampleSource } from './restore-throughput';

/** How many of the latest completed migrations are read. */
const LATEST = 100;

/** Reads the restore samples of the latest migrations completed on `taskQueue`, through `client`. */
export function visibilityRestoreSamples(client: Client, taskQueue: string): SampleSource {
  // Visibility query strings quote with single quotes; a task queue name never needs one, refuse it if it does.
  if (taskQueue.includes("'")) throw new Error(`task queue name ${JSON.stringify(taskQueue)} contains a quote`);
  return async () => {
    const samples: RestoreSample[] = [];
    const query = `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Completed' AND TaskQueue = '${taskQueue}'`;
    for await (const execution of client.workflow.list({ query, pageSize: LATEST })) {
      const sample = parseSample(execution.memo?.[RESTORE_SAMPLE_MEMO], execution.workflowId);
      if (sample) samples.push(sample);
      if (samples.length >= LATEST) break;
    }
    return samples;
  };
}

function parseSample(value: unknown, id: string): RestoreSample | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { bytes, ms } = value as Record<string, unknown>;
  if (typeof bytes !== 'number' || typeof ms !== 'number' || !(bytes > 0) || !(ms > 0)) return undefined;
  return { bytes, ms, id };
}
