/**
 * Control rules: faults injected into matching RDS calls (throttling, 500s, dropped or lost responses, latency,
 * arbitrary errors) and outcomes that make matching restores or instances end in a failure status.
 */
import { randomUUID } from 'node:crypto';
import { ControlInputError, optEnum, optNumber, optObject, optString } from './control-input';
import { FAILURE_STATUSES, type FailureStatus } from './event-messages';
import type { FailureOutcome } from './records';

/** Fault kinds a rule can inject. */
export const FAULT_TYPES = ['throttle', 'internal', 'drop', 'latency', 'apply-then-drop', 'error'] as const;

/** One of {@link FAULT_TYPES}. */
export type FaultType = (typeof FAULT_TYPES)[number];

/** What a rule applies to; ids are globs where `*` matches any run of characters. */
export interface RuleMatch {
  action?: string;
  clusterId?: string;
  instanceId?: string;
}

/** A fault injected into matching calls. */
export interface RuleFault {
  type: FaultType;
  /** Chance of applying on each matching call, 0..1. @default 1 */
  probability: number;
  /** Apply at most this many times; unlimited when absent. */
  count?: number;
  /** Delay before responding (or before the fault), in ms. */
  latencyMs?: number;
  code?: string;
  httpStatus?: number;
  message?: string;
}

/** A rule as stored and listed by `GET /_emulator/rules`. */
export interface Rule {
  id: string;
  match: RuleMatch;
  outcome?: { finalStatus: FailureStatus; eventMessage?: string };
  fault?: RuleFault;
  /** How many times the fault has been applied. */
  applied: number;
}

/** The call a fault rule is matched against. */
export interface CallTarget {
  action: string;
  /** The one cluster the call concerns (by identifier, ARN, or a filter naming only it). */
  clusterId?: string;
  instanceId?: string;
  /** Every cluster a `db-cluster-id` filter names (a batched status read). */
  clusterIds?: string[];
  /** Every instance a `db-instance-id` filter names. */
  instanceIds?: string[];
}

/** The rules in force, in creation order. */
export class RuleStore {
  private readonly rules = new Map<string, Rule>();

  /** Validates a control body and adds the rule. */
  add(body: unknown): Rule {
    const rule = parseRule(body);
    this.rules.set(rule.id, rule);
    return rule;
  }

  /** All rules. */
  list(): Rule[] {
    return [...this.rules.values()];
  }

  /** Removes one rule; false when there was none with that id. */
  remove(id: string): boolean {
    return this.rules.delete(id);
  }

  /** Removes all rules. */
  clear(): void {
    this.rules.clear();
  }

  /** The first fault rule that matches and fires (count and probability allowing); it is counted as applied. */
  pickFault(target: CallTarget): RuleFault | undefined {
    for (const rule of this.rules.values()) {
      const fault = rule.fault;
      if (!fault || !matches(rule.match, target)) continue;
      if (fault.count !== undefined && rule.applied >= fault.count) continue;
      if (fault.probability < 1 && Math.random() >= fault.probability) continue;
      rule.applied += 1;
      return fault;
    }
    return undefined;
  }

  /** The failure outcome for a new cluster or instance, from the first matching outcome rule. */
  outcomeFor(target: CallTarget): FailureOutcome | undefined {
    for (const rule of this.rules.values()) {
      if (!rule.outcome || !matches(rule.match, target)) continue;
      // A rule naming an instance applies to instances only; otherwise it applies to clusters only.
      if ((rule.match.instanceId !== undefined) !== (target.instanceId !== undefined)) continue;
      return { status: rule.outcome.finalStatus, eventMessage: rule.outcome.eventMessage };
    }
    return undefined;
  }
}

function matches(match: RuleMatch, target: CallTarget): boolean {
  if (match.action !== undefined && match.action !== target.action) return false;
  // A batched read matches a rule about any one of the resources it names.
  const clusters = [target.clusterId, ...(target.clusterIds ?? [])];
  const instances = [target.instanceId, ...(target.instanceIds ?? [])];
  if (match.clusterId !== undefined && !clusters.some((id) => globMatch(match.clusterId!, id))) return false;
  if (match.instanceId !== undefined && !instances.some((id) => globMatch(match.instanceId!, id))) return false;
  return true;
}

function globMatch(glob: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const pattern = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 'i').test(value);
}

function parseRule(body: unknown): Rule {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ControlInputError('the rule must be a JSON object', 'body');
  }
  const input = body as Record<string, unknown>;
  const matchInput = optObject(input, 'match', '') ?? {};
  const match: RuleMatch = {
    action: optString(matchInput, 'action', 'match.'),
    clusterId: optString(matchInput, 'clusterId', 'match.'),
    instanceId: optString(matchInput, 'instanceId', 'match.'),
  };
  const outcomeInput = optObject(input, 'outcome', '');
  const faultInput = optObject(input, 'fault', '');
  if (!outcomeInput && !faultInput) throw new ControlInputError('a rule needs an outcome or a fault', 'outcome');
  const rule: Rule = { id: randomUUID(), match, applied: 0 };
  if (outcomeInput) {
    const finalStatus = optEnum(outcomeInput, 'finalStatus', 'outcome.', FAILURE_STATUSES);
    if (!finalStatus) throw new ControlInputError('outcome.finalStatus is required', 'outcome.finalStatus');
    rule.outcome = { finalStatus, eventMessage: optString(outcomeInput, 'eventMessage', 'outcome.') };
  }
  if (faultInput) rule.fault = parseFault(faultInput);
  return rule;
}

function parseFault(input: Record<string, unknown>): RuleFault {
  const type = optEnum(input, 'type', 'fault.', FAULT_TYPES);
  if (!type) throw new ControlInputError('fault.type is required', 'fault.type');
  const fault: RuleFault = {
    type,
    probability: optNumber(input, 'probability', 'fault.', 0, 1) ?? 1,
    count: optNumber(input, 'count', 'fault.', 0, Number.MAX_SAFE_INTEGER, true),
    latencyMs: optNumber(input, 'latencyMs', 'fault.', 0, 600_000),
    code: optString(input, 'code', 'fault.'),
    httpStatus: optNumber(input, 'httpStatus', 'fault.', 300, 599, true),
    message: optString(input, 'message', 'fault.'),
  };
  if (type === 'latency' && fault.latencyMs === undefined) {
    throw new ControlInputError('fault.latencyMs is required for a latency fault', 'fault.latencyMs');
  }
  if (type === 'error' && fault.code === undefined) {
    throw new ControlInputError('fault.code is required for an error fault', 'fault.code');
  }
  return fault;
}
