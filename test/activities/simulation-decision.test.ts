import type { EvaluationResult } from '@aws-sdk/client-iam';
import { simulationDecision } from '../../activities/preflight/simulation-decision';

// No server here implements SimulatePrincipalPolicy (moto answers HTTP 500), so these are the result shapes of
// the SDK's EvaluationResult type as IAM documents them for one action on one ResourceArn: the per-resource
// decision and the missing context keys live in ResourceSpecificResults. What they pin down is the reading of
// those fields, which a real answer would go through.
const OBJECT = 'arn:aws:s3:::backups/full/xtrabackup_checkpoints';

function result(decision: string, missing?: string[], top: Partial<EvaluationResult> = {}): EvaluationResult {
  return {
    EvalActionName: 's3:GetObject',
    EvalDecision: decision as EvaluationResult['EvalDecision'],
    ResourceSpecificResults: [
      {
        EvalResourceName: OBJECT,
        EvalResourceDecision: decision as EvaluationResult['EvalDecision'],
        MissingContextValues: missing,
      },
    ],
    ...top,
  };
}

describe('reading a SimulatePrincipalPolicy result', () => {
  test('allowed, an explicit deny and a plain implicit deny keep their meaning', () => {
    expect(simulationDecision(result('allowed'), OBJECT).decision).toBe('allowed');
    expect(simulationDecision(result('explicitDeny'), OBJECT).decision).toBe('denied');
    expect(simulationDecision(result('implicitDeny'), OBJECT).decision).toBe('not-allowed');
    expect(simulationDecision(undefined, OBJECT).decision).toBe('not-allowed');
  });

  test('an implicit deny that lacked context keys for the resource is conditional, naming the keys', () => {
    expect(simulationDecision(result('implicitDeny', ['aws:SourceVpce']), OBJECT)).toEqual({
      decision: 'conditional',
      missingContext: ['aws:SourceVpce'],
    });
    // The same keys listed at the top level (ResourceArns "*") count once.
    const both = result('implicitDeny', ['aws:SourceVpce'], { MissingContextValues: ['aws:SourceVpce'] });
    expect(simulationDecision(both, OBJECT).missingContext).toEqual(['aws:SourceVpce']);
  });

  test("the resource's own decision wins over the aggregate, and an explicit deny stays a deny whatever was missing", () => {
    const perResource = result('allowed', undefined, { EvalDecision: 'implicitDeny' });
    expect(simulationDecision(perResource, OBJECT).decision).toBe('allowed');
    expect(simulationDecision(result('explicitDeny', ['aws:SourceVpce']), OBJECT).decision).toBe('denied');
  });
});
