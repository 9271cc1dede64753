/**
 * A small, honest IAM policy evaluator for the fallback when SimulatePrincipalPolicy is not available: it
 * evaluates the Effect, Action/NotAction and Resource/NotResource (with `*` and `?` wildcards) of identity
 * policy documents. It does NOT evaluate conditions, permissions boundaries, SCPs, session policies, or
 * resource policies (bucket and key policies): a statement with a Condition is reported as conditional, and
 * every finding built on this evaluator says what was not evaluated.
 */

/** One statement, as IAM stores it (single values or lists). */
interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, unknown>;
}

/** A policy document as IAM stores it. */
export interface PolicyDocument {
  Version?: string;
  Statement?: Statement | Statement[];
}

/** The outcome for one action on one resource. */
export type Decision =
  /** An unconditional Allow matches and no Deny does. */
  | 'allowed'
  /** An unconditional Deny matches. */
  | 'denied'
  /** Nothing allows it (IAM's implicit deny). */
  | 'not-allowed'
  /** Only conditional statements decide it: the conditions were not evaluated. */
  | 'conditional';

/**
 * Parses a policy document as IAM returns it: GetRole/GetRolePolicy/GetPolicyVersion documents are
 * URL-encoded JSON (RFC 3986), though some servers return plain JSON. Throws on anything that is not JSON.
 */
export function parsePolicyDocument(text: string): PolicyDocument {
  const trimmed = text.trim();
  const json = trimmed.startsWith('{') ? trimmed : decodeURIComponent(trimmed.replace(/\+/g, ' '));
  return JSON.parse(json) as PolicyDocument;
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, caseInsensitive = false): boolean {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, caseInsensitive ? 'is' : 's').test(value);
}

/** The statements of `documents` (a document may hold one statement or a list). */
export function statementsOf(documents: PolicyDocument[]): Statement[] {
  return documents.flatMap((d) =>
    d.Statement === undefined ? [] : Array.isArray(d.Statement) ? d.Statement : [d.Statement],
  );
}

function matches(statement: Statement, action: string, resource: string): boolean {
  // Action names are case-insensitive in IAM; resource ARNs are case-sensitive.
  const actionHit =
    statement.NotAction !== undefined
      ? !list(statement.NotAction).some((p) => wildcardMatch(p, action, true))
      : list(statement.Action).some((p) => wildcardMatch(p, action, true));
  if (!actionHit) return false;
  if (statement.NotResource !== undefined) return !list(statement.NotResource).some((p) => wildcardMatch(p, resource));
  return list(statement.Resource).some((p) => wildcardMatch(p, resource));
}

/** Decides `action` on `resource` over the given identity policy documents (see the module's limits). */
export function evaluate(documents: PolicyDocument[], action: string, resource: string): Decision {
  let allowed = false;
  let conditionalAllow = false;
  let conditionalDeny = false;
  for (const statement of statementsOf(documents)) {
    if (!matches(statement, action, resource)) continue;
    const conditional = statement.Condition !== undefined && Object.keys(statement.Condition).length > 0;
    if (statement.Effect === 'Deny') {
      if (!conditional) return 'denied';
      conditionalDeny = true;
    } else if (statement.Effect === 'Allow') {
      if (conditional) conditionalAllow = true;
      else allowed = true;
    }
  }
  if (conditionalDeny && (allowed || conditionalAllow)) return 'conditional';
  if (allowed) return 'allowed';
  return conditionalAllow ? 'conditional' : 'not-allowed';
}

/**
 * True when a trust policy lets `service` (e.g. `rds.amazonaws.com`) call sts:AssumeRole: an Allow statement
 * naming the service (or `*`) as principal and no Deny statement doing the same. Conditions (such as
 * aws:SourceAccount, which RDS sends) are not evaluated.
 */
export function trustsService(document: PolicyDocument, service: string): boolean {
  const names = (principal: unknown): string[] => {
    if (principal === '*') return ['*'];
    if (principal && typeof principal === 'object') {
      const p = principal as { Service?: string | string[]; AWS?: string | string[] };
      return [...list(p.Service), ...list(p.AWS).filter((a) => a === '*')];
    }
    return [];
  };
  const applies = (s: Statement & { Principal?: unknown }) =>
    list(s.Action).some((a) => wildcardMatch(a, 'sts:AssumeRole', true)) &&
    names(s.Principal).some((n) => n === '*' || n.toLowerCase() === service);
  const statements = statementsOf([document]) as (Statement & { Principal?: unknown })[];
  return (
    statements.some((s) => s.Effect === 'Allow' && applies(s)) &&
    !statements.some((s) => s.Effect === 'Deny' && applies(s) && !s.Condition)
  );
}
