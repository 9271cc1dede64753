/**
 * What `SHOW GRANTS` (for the current user) says the replication user may do, read from its text on 5.7 and
 * 8.0: `GRANT <privileges> ON <scope> TO <user>`. `ALL PRIVILEGES` covers every static privilege (8.0 lists
 * them instead, with dynamic privileges such as SYSTEM_VARIABLES_ADMIN on a line of their own). Privileges that
 * come through 8.0 roles are not listed by a plain SHOW GRANTS, so a user with roles is reported as such.
 */

/** The user's privileges: global (`*.*`) and per schema (unquoted, unescaped name). */
export interface SourceGrants {
  global: Set<string>;
  schemas: Map<string, Set<string>>;
  /** True when a line grants a role (`GRANT \`r\`@\`%\` TO …`): its privileges are not expanded here. */
  hasRoles: boolean;
}

const GRANT_LINE = /^GRANT\s+(.+?)\s+ON\s+(?:(?:TABLE|FUNCTION|PROCEDURE)\s+)?(\S+)\s+TO\s+/i;

/** Parses the lines of SHOW GRANTS. */
export function parseGrants(lines: readonly string[]): SourceGrants {
  const grants: SourceGrants = { global: new Set(), schemas: new Map(), hasRoles: false };
  for (const line of lines) {
    const match = GRANT_LINE.exec(line.trim());
    if (!match) {
      // `GRANT role1, role2 TO user` has no ON.
      if (/^GRANT\s+[`'].+\s+TO\s+/i.test(line.trim())) grants.hasRoles = true;
      continue;
    }
    const privileges = match[1]!.split(',').map((p) => p.trim().toUpperCase().replace(/\s+/g, ' '));
    const [schemaPart = '', tablePart = ''] = match[2]!.split('.');
    if (tablePart.replace(/[`'"]/g, '') !== '*') continue;
    const schema = schemaPart.replace(/[`'"]/g, '').replace(/\\(.)/g, '$1');
    const target = schema === '*' ? grants.global : (grants.schemas.get(schema) ?? new Set<string>());
    for (const p of privileges) target.add(p === 'ALL' ? 'ALL PRIVILEGES' : p);
    if (schema !== '*') grants.schemas.set(schema, target);
  }
  return grants;
}

/** What ALL PRIVILEGES (as 5.7 prints it; 8.0 lists each privilege instead) does not include. */
const STATIC_ALL_EXCLUDES = new Set(['GRANT OPTION', 'PROXY', 'USAGE']);

/** True when the user holds `privilege` globally (or through ALL PRIVILEGES). */
export function holdsGlobal(grants: SourceGrants, privilege: string): boolean {
  return (
    grants.global.has(privilege) ||
    (grants.global.has('ALL PRIVILEGES') && !STATIC_ALL_EXCLUDES.has(privilege) && !privilege.endsWith('_ADMIN'))
  );
}

/** True when the user holds `privilege` on `schema`, globally or on that schema. */
export function holdsOn(grants: SourceGrants, schema: string, privilege: string): boolean {
  const own = grants.schemas.get(schema);
  return holdsGlobal(grants, privilege) || own?.has(privilege) === true || own?.has('ALL PRIVILEGES') === true;
}
