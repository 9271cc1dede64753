/**
 * What the ingestion role may do on the backup: s3:ListBucket and s3:GetBucketLocation on the bucket,
 * s3:GetObject on its objects, and kms:Decrypt on the objects' key when they are SSE-KMS. Asked of
 * SimulatePrincipalPolicy; when that call is not available (moto does not implement it) or is denied, the role's
 * own inline and attached policy documents are evaluated instead (see policy-evaluator for what that leaves
 * out). Every outcome says which method decided it.
 */
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRolePolicyCommand,
  type IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  SimulatePrincipalPolicyCommand,
} from '@aws-sdk/client-iam';
import type { ValidationFinding } from '../../workflows/types';
import { awsErrorFacts, isAccessDeniedError, isNotImplementedError } from '../aws-errors';
import { guarded, preflightFinding as f, PreflightCodes as C } from './findings';
import { type Decision, evaluate, parsePolicyDocument, type PolicyDocument } from './policy-evaluator';
import { simulationDecision } from './simulation-decision';

const FIELD = 'restore.S3IngestionRoleArn';

/** One permission the role needs. */
export interface AccessNeed {
  action: string;
  /** The resource checked (for objects, one real object of the backup). */
  resource: string;
  /** The resource to grant it on, for the fix (for objects, everything under the prefix). */
  grantOn: string;
}

/** What the role must be able to do for a restore from `bucket` (objects like `sampleKey`, SSE-KMS key). */
export function ingestionNeeds(
  roleArn: string,
  backup: { bucket: string; prefix: string; sampleKey: string; kmsKeyArn?: string },
): AccessNeed[] {
  const partition = /^arn:([^:]+):/.exec(roleArn)?.[1] ?? 'aws';
  const bucketArn = `arn:${partition}:s3:::${backup.bucket}`;
  const objects = `${bucketArn}/${backup.prefix}*`;
  return [
    { action: 's3:ListBucket', resource: bucketArn, grantOn: bucketArn },
    { action: 's3:GetBucketLocation', resource: bucketArn, grantOn: bucketArn },
    { action: 's3:GetObject', resource: `${bucketArn}/${backup.sampleKey}`, grantOn: objects },
    ...(backup.kmsKeyArn ? [{ action: 'kms:Decrypt', resource: backup.kmsKeyArn, grantOn: backup.kmsKeyArn }] : []),
  ];
}

interface Judged {
  need: AccessNeed;
  decision: Decision;
  /** Context keys the simulation lacked (SimulatePrincipalPolicy only). */
  missingContext?: string[];
}

/** Checks `needs` for the role; a caller who may neither simulate nor read the role's policies gets a warning. */
export function checkIngestionPermissions(
  iam: IAMClient,
  roleArn: string,
  roleName: string,
  needs: AccessNeed[],
): Promise<ValidationFinding[]> {
  return guarded(
    'iam:SimulatePrincipalPolicy (or iam:ListRolePolicies, iam:GetRolePolicy, iam:ListAttachedRolePolicies, iam:GetPolicy, iam:GetPolicyVersion)',
    FIELD,
    async () => {
      let judged: Judged[];
      let method: string;
      try {
        judged = await simulate(iam, roleArn, needs);
        method =
          'iam:SimulatePrincipalPolicy (identity policies and permissions boundary; the bucket policy and key policy were not part of the simulation)';
      } catch (err) {
        if (!isAccessDeniedError(err) && !isNotImplementedError(err)) throw err;
        const { name, httpStatus } = awsErrorFacts(err);
        const why = isAccessDeniedError(err)
          ? `the caller may not call iam:SimulatePrincipalPolicy (${name})`
          : `iam:SimulatePrincipalPolicy is not available here (${name}${httpStatus ? `, HTTP ${httpStatus}` : ''})`;
        const { documents, names } = await rolePolicies(iam, roleName);
        judged = needs.map((need) => ({ need, decision: evaluate(documents, need.action, need.resource) }));
        method =
          `the role's own policy documents (${names.join(', ') || 'none'}), evaluated here because ${why}; ` +
          'conditions, permissions boundaries, SCPs and bucket or key policies were not evaluated';
      }
      return judge(roleArn, judged, method);
    },
  );
}

async function simulate(iam: IAMClient, roleArn: string, needs: AccessNeed[]): Promise<Judged[]> {
  const judged: Judged[] = [];
  for (const need of needs) {
    const { EvaluationResults } = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: roleArn,
        ActionNames: [need.action],
        ResourceArns: [need.resource],
      }),
    );
    const { decision, missingContext } = simulationDecision(EvaluationResults?.[0], need.resource);
    judged.push({ need, decision, missingContext });
  }
  return judged;
}

/** Every inline and attached (default version) policy document of the role, with their names. */
async function rolePolicies(
  iam: IAMClient,
  roleName: string,
): Promise<{ documents: PolicyDocument[]; names: string[] }> {
  const documents: PolicyDocument[] = [];
  const names: string[] = [];
  let marker: string | undefined;
  do {
    const page = await iam.send(new ListRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    for (const policyName of page.PolicyNames ?? []) {
      const { PolicyDocument: text } = await iam.send(
        new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }),
      );
      if (text) documents.push(parsePolicyDocument(text));
      names.push(`inline ${policyName}`);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  do {
    const page = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName, Marker: marker }));
    for (const attached of page.AttachedPolicies ?? []) {
      const { Policy } = await iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
      const { PolicyVersion } = await iam.send(
        new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: Policy?.DefaultVersionId }),
      );
      if (PolicyVersion?.Document) documents.push(parsePolicyDocument(PolicyVersion.Document));
      names.push(`attached ${attached.PolicyName ?? attached.PolicyArn}`);
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return { documents, names };
}

function judge(roleArn: string, judged: Judged[], method: string): ValidationFinding[] {
  const findings: ValidationFinding[] = [];
  for (const { need, decision, missingContext } of judged) {
    if (decision === 'allowed') continue;
    const what = `${need.action} on ${need.resource}`;
    if (decision === 'conditional') {
      const keys = missingContext?.length ? ` (the simulation lacked ${missingContext.join(', ')})` : '';
      findings.push(
        f(
          C.IngestionRoleConditional,
          'warning',
          FIELD,
          `IAM role ${roleArn} may ${what} only under conditions that were not evaluated${keys} (checked with ${method}).`,
          `Make sure those conditions hold for RDS's requests, or allow ${need.action} without them.`,
        ),
      );
      continue;
    }
    const reason = decision === 'denied' ? 'an explicit Deny matches' : 'no statement allows it';
    findings.push(
      f(
        C.IngestionRoleNotAllowed,
        'error',
        FIELD,
        `IAM role ${roleArn} may not ${what}: ${reason} (checked with ${method}).`,
        `Allow ${need.action} on ${need.grantOn} in the role's policy` +
          (decision === 'denied' ? ' and remove the Deny.' : '.'),
      ),
    );
  }
  findings.push(
    f(
      C.IngestionRolePermissionsChecked,
      'info',
      FIELD,
      `Checked ${judged.map((j) => j.need.action).join(', ')} for ${roleArn} with ${method}.`,
      'Nothing to fix: this says how the permissions were checked.',
    ),
  );
  return findings;
}
