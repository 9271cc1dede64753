/**
 * How one SimulatePrincipalPolicy result (one action, one resource ARN) becomes a Decision. With ResourceArns,
 * IAM puts the per-resource decision and the context keys it lacked in ResourceSpecificResults, not in the
 * top-level result (the SDK's EvaluationResult documentation). An implicit deny that lacked context keys
 * (aws:SourceVpce, aws:SourceAccount, …) is a statement that allows only under a condition the simulation could
 * not evaluate: 'conditional', as the fallback evaluator says of such statements, not a refusal.
 *
 * Never run against a real SimulatePrincipalPolicy (moto does not implement it): the shapes are the SDK's.
 */
import type { EvaluationResult } from '@aws-sdk/client-iam';
import type { Decision } from './policy-evaluator';

/** A simulated decision, with the context keys the simulation said it lacked. */
export interface SimulatedDecision {
  decision: Decision;
  missingContext: string[];
}

/** The decision for `resource` in `result` (undefined when IAM returned no result: nothing allows it). */
export function simulationDecision(result: EvaluationResult | undefined, resource: string): SimulatedDecision {
  const specific = result?.ResourceSpecificResults?.find((r) => r.EvalResourceName === resource);
  const raw = specific?.EvalResourceDecision ?? result?.EvalDecision;
  const missingContext = [
    ...new Set([...(result?.MissingContextValues ?? []), ...(specific?.MissingContextValues ?? [])]),
  ];
  if (raw === 'allowed') return { decision: 'allowed', missingContext };
  if (raw === 'explicitDeny') return { decision: 'denied', missingContext };
  return { decision: missingContext.length > 0 ? 'conditional' : 'not-allowed', missingContext };
}
