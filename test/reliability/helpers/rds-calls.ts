/**
 * The emulator's call log, gathered while a test runs (the emulator keeps only its latest entries) and summed
 * up per resource: how many create calls were accepted (created), refused (already exists: adopted) or lost.
 */

import { EmulatorControl, type EmulatorCall } from '../../../emulator/control-client';

/** One RDS call as the emulator logged it. */
export type LoggedCall = EmulatorCall;

/** Actions whose calls are gathered. */
const GATHERED = ['RestoreDBClusterFromS3', 'CreateDBInstance'];

/** Adds the emulator's current log of create calls to `into` (deduplicated). */
export async function collectCallLog(endpoint: string, into: Map<string, LoggedCall>): Promise<void> {
  for (const action of GATHERED) {
    const { log } = await new EmulatorControl(endpoint).calls(action);
    for (const entry of log) into.set(JSON.stringify(entry), entry);
  }
}

/** Totals of one create action. */
export interface CreateCallSummary {
  calls: number;
  /** Accepted (HTTP 200): the resource was created by this call, whether or not its caller saw the answer. */
  created: number;
  /** Refused with a 4xx (already exists, injected throttling…). */
  refused: number;
  /** 5xx answers (injected internal errors). */
  failed: number;
  /** Connections dropped without an answer. */
  dropped: number;
  /** Accepted calls per resource: exactly one each when nothing was duplicated. */
  createdPerResource: { min: number; max: number; resources: number };
}

/** Sums up the gathered calls of `action`. */
export function createdAndRefused(calls: Map<string, LoggedCall>, action: string): CreateCallSummary {
  const entries = [...calls.values()].filter((c) => c.action === action);
  const perResource = new Map<string, number>();
  for (const c of entries) {
    const id = (action === 'CreateDBInstance' ? c.instanceId : c.clusterId) ?? '';
    if (c.status === 200) perResource.set(id, (perResource.get(id) ?? 0) + 1);
  }
  const counts = [...perResource.values()];
  return {
    calls: entries.length,
    created: entries.filter((c) => c.status === 200).length,
    refused: entries.filter((c) => c.status >= 400 && c.status < 500).length,
    failed: entries.filter((c) => c.status >= 500).length,
    dropped: entries.filter((c) => c.status === 0).length,
    createdPerResource: {
      min: counts.length ? Math.min(...counts) : 0,
      max: counts.length ? Math.max(...counts) : 0,
      resources: counts.length,
    },
  };
}
