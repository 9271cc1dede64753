/**
 * The deployment's completed restores, read from Temporal's visibility store: every completed migration
 * carries a `restoreSample` memo (backup bytes, restore time), so each worker learns from all of them, across
 * replicas and restarts, without a store of its own.
 */
import type { Client } from '@temporalio/client';
import { RESTORE_SAMPLE_MEMO } from '../../workflows/ids';
import type { RestoreSample, SampleSource } from './restore-throughput';

/** How many of the latest completed migrations are read. */
const LATEST = 100;

/** Reads the latest completed migrations' restore samples through `client`. */
export function visibilityRestoreSamples(client: Client, workflowType = 'migrateToAurora'): SampleSource {
  return async () => {
    const samples: RestoreSample[] = [];
    const query = `WorkflowType = '${workflowType}' AND ExecutionStatus = 'Completed'`;
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
