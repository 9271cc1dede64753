/**
 * The source pre-flight's grant checks, pure: what the replication user needs for catch-up (REPLICATION SLAVE
 * and CLIENT) and for the cutover's freeze (`source-freeze.ts`), each missing privilege with its GRANT.
 */
import type { ValidationFinding } from '../../workflows/types';
import { SourceCodes, sourceFinding } from '../preflight/source-codes';
import { GUARD_SCHEMA } from './freeze-guard';
import type { SourceFacts } from './source-checks';
import { holdsGlobal, holdsOn, parseGrants } from './source-grants';

const USER = 'replication.source.user';

/** Findings about the replication user's grants; warnings instead of errors when it has roles (not expanded). */
export function grantFindings(facts: SourceFacts): ValidationFinding[] {
  const grants = parseGrants(facts.grants);
  const account = quotedAccount(facts.account);
  const severity = grants.hasRoles ? 'warning' : 'error';
  const roles = grants.hasRoles ? ' (privileges granted through roles were not counted: check those by hand)' : '';
  const findings: ValidationFinding[] = [];
  const replication = ['REPLICATION SLAVE', 'REPLICATION CLIENT'].filter((p) => !holdsGlobal(grants, p));
  if (replication.length > 0) {
    findings.push(
      sourceFinding(
        SourceCodes.ReplicationGrantMissing,
        severity,
        USER,
        `The replication user ${facts.account} lacks ${replication.join(' and ')} on the source${roles}.`,
        `On the source: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO ${account};`,
      ),
    );
  }
  // 8.0 splits SUPER: SYSTEM_VARIABLES_ADMIN sets super_read_only, CONNECTION_ADMIN lets the disarm drop the
  // guard while read_only stays ON (read_only exempts only SUPER and CONNECTION_ADMIN).
  const is57 = facts.version.startsWith('5.');
  const globalNeeds = holdsGlobal(grants, 'SUPER')
    ? []
    : is57
      ? ['SUPER']
      : ['SYSTEM_VARIABLES_ADMIN', 'CONNECTION_ADMIN'].filter((p) => !holdsGlobal(grants, p));
  const schemaPrivileges = ['EVENT', ...(facts.guardSchemaExists ? [] : ['CREATE'])].filter(
    (p) => !holdsOn(grants, GUARD_SCHEMA, p),
  );
  const missing = [...globalNeeds, ...schemaPrivileges];
  if (missing.length > 0) {
    const statements = [
      ...(globalNeeds.length ? [`GRANT ${globalNeeds.join(', ')} ON *.* TO ${account};`] : []),
      ...(schemaPrivileges.length ? [`GRANT CREATE, EVENT ON ${GUARD_SCHEMA}.* TO ${account};`] : []),
    ];
    findings.push(
      sourceFinding(
        SourceCodes.FreezeGrantMissing,
        severity,
        USER,
        `The replication user ${facts.account} lacks ${missing.join(', ')}, which the cutover needs to make the ` +
          `source read-only (SET GLOBAL super_read_only) and to arm its guard event in schema ${GUARD_SCHEMA}${roles}.`,
        `On the source: ${statements.join(' ')}`,
      ),
    );
  }
  return findings;
}

/** `repl@10.0.0.%` as `'repl'@'10.0.0.%'`. */
function quotedAccount(account: string): string {
  const at = account.lastIndexOf('@');
  return at < 0 ? `'${account}'` : `'${account.slice(0, at)}'@'${account.slice(at + 1)}'`;
}
