/** The record of RDS calls the emulator served, for tests that assert on retries and faults. */
import type { FormNode } from './query-protocol';
import type { FaultType } from './rules';

/** Entries kept in the log; older ones are dropped. */
const LOG_LIMIT = 5000;

/** One served call. */
export interface CallEntry {
  at: string;
  action: string;
  clusterId?: string;
  instanceId?: string;
  /** Every cluster a `db-cluster-id` filter named (a batched read). */
  clusterIds?: string[];
  /** Every instance a `db-instance-id` filter named. */
  instanceIds?: string[];
  /** The HTTP status sent, or 0 when the socket was destroyed without a response. */
  status: number;
  fault?: FaultType;
  /** Refused by the account's rate limit (`Throttling`) before anything was done. */
  throttled?: true;
  /** The parameters of a create call (see {@link requestRecord}); absent for other actions. */
  request?: RecordedRequest;
}

/** A request's parameters as sent: wire lists (`Tags.Tag.1.Key`) become arrays, every leaf stays the wire string. */
export type RecordedRequest = { [key: string]: RecordedValue };
/** One recorded parameter value. */
export type RecordedValue = string | RecordedValue[] | RecordedRequest;

/** Actions whose parameters the log keeps, so a test can compare what was sent with what a dry run printed. */
export const RECORDED_ACTIONS: ReadonlySet<string> = new Set(['RestoreDBClusterFromS3', 'CreateDBInstance']);

/** What replaces a password in the log: the emulator never stores one. */
export const REDACTED_PASSWORD = '<redacted>';

/** The recorded form of a parsed request: without Action and Version, the password redacted. */
export function requestRecord(tree: Record<string, FormNode>): RecordedRequest {
  const { Action: _action, Version: _version, ...members } = tree;
  const record = unflatten(members) as RecordedRequest;
  if (record.MasterUserPassword !== undefined) record.MasterUserPassword = REDACTED_PASSWORD;
  return record;
}

/** `{ Tag: { 1: a, 2: b } }` (a wire list: one member name over numeric keys) becomes `[a, b]`. */
function unflatten(node: FormNode): RecordedValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const only = keys.length === 1 ? node[keys[0] as string] : undefined;
  if (only !== undefined && typeof only === 'object' && Object.keys(only).every((k) => /^\d+$/.test(k))) {
    return Object.keys(only)
      .sort((a, b) => Number(a) - Number(b))
      .map((k) => unflatten(only[k] as FormNode));
  }
  return Object.fromEntries(keys.map((k) => [k, unflatten(node[k] as FormNode)]));
}

/** The `GET /_emulator/calls` body. */
export interface CallsSnapshot {
  counts: Record<string, number>;
  faults: Record<string, number>;
  /** Calls the rate limit refused, of every action. */
  throttled: number;
  log: CallEntry[];
}

/** Counters per action and per fault type, and a bounded log. */
export class CallLog {
  private counts: Record<string, number> = {};
  private faults: Record<string, number> = {};
  private throttled = 0;
  private log: CallEntry[] = [];

  /** Records one call. */
  record(entry: CallEntry): void {
    this.counts[entry.action] = (this.counts[entry.action] ?? 0) + 1;
    if (entry.fault) this.faults[entry.fault] = (this.faults[entry.fault] ?? 0) + 1;
    if (entry.throttled) this.throttled += 1;
    this.log.push(entry);
    // Trim in batches so that recording stays O(1) amortised.
    if (this.log.length > LOG_LIMIT * 2) this.log = this.log.slice(-LOG_LIMIT);
  }

  /** Counters and the last {@link LOG_LIMIT} entries, optionally only those of one action. */
  snapshot(action?: string): CallsSnapshot {
    const recent = this.log.slice(-LOG_LIMIT);
    return {
      counts: { ...this.counts },
      faults: { ...this.faults },
      throttled: this.throttled,
      log: action ? recent.filter((e) => e.action === action) : recent,
    };
  }

  /** Forgets everything. */
  reset(): void {
    this.counts = {};
    this.faults = {};
    this.throttled = 0;
    this.log = [];
  }
}
