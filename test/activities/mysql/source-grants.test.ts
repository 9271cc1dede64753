/**
 * Reading SHOW GRANTS text as 5.7 and 8.0 print it (lines in the shapes those servers print), and the grant
 * findings built from it: roles turn errors into warnings, since plain SHOW GRANTS does not expand them.
 */
import { checkSourceFacts, type SourceFacts } from '../../../activities/mysql/source-checks';
import { holdsGlobal, holdsOn, parseGrants } from '../../../activities/mysql/source-grants';
import { SourceCodes } from '../../../activities/preflight/source-codes';

const GOOD_VARIABLES = {
  log_bin: 'ON',
  binlog_format: 'ROW',
  server_id: '7',
  gtid_mode: 'ON',
  enforce_gtid_consistency: 'ON',
  event_scheduler: 'ON',
};

function facts(grants: string[], version = '8.0.15'): SourceFacts {
  return {
    address: '10.0.0.5:3306',
    account: 'repl@10.0.%',
    version,
    variables: GOOD_VARIABLES,
    grants,
    guardSchemaExists: false,
  };
}

describe('parseGrants', () => {
  test('5.7 ALL PRIVILEGES covers SUPER and EVENT, but not 8.0 dynamic privileges', () => {
    const grants = parseGrants(["GRANT ALL PRIVILEGES ON *.* TO 'admin'@'127.0.0.1' WITH GRANT OPTION"]);
    expect(holdsGlobal(grants, 'SUPER')).toBe(true);
    expect(holdsOn(grants, 'aurora_migrate', 'EVENT')).toBe(true);
    expect(holdsGlobal(grants, 'SYSTEM_VARIABLES_ADMIN')).toBe(false);
  });

  test('schema grants count for that schema only, with quotes and escaped wildcards removed', () => {
    const grants = parseGrants([
      'GRANT USAGE ON *.* TO `repl`@`10.0.%`',
      'GRANT CREATE, EVENT ON `aurora\\_migrate`.* TO `repl`@`10.0.%`',
      'GRANT SELECT ON `shop`.`orders` TO `repl`@`10.0.%`',
    ]);
    expect(holdsOn(grants, 'aurora_migrate', 'EVENT')).toBe(true);
    expect(holdsOn(grants, 'shop', 'EVENT')).toBe(false);
    expect(holdsGlobal(grants, 'EVENT')).toBe(false);
    expect(grants.schemas.has('shop')).toBe(false);
  });

  test('a role line is noticed, and the findings about missing grants become warnings saying why', () => {
    const lines = ['GRANT USAGE ON *.* TO `repl`@`10.0.%`', 'GRANT `replicator`@`%` TO `repl`@`10.0.%`'];
    expect(parseGrants(lines).hasRoles).toBe(true);
    const findings = checkSourceFacts(facts(lines), { mode: 'gtid', tls: false });
    expect(findings.map((f) => `${f.severity} ${f.code}`)).toEqual([
      `warning ${SourceCodes.ReplicationGrantMissing}`,
      `warning ${SourceCodes.FreezeGrantMissing}`,
    ]);
    expect(findings[0]!.message).toContain('granted through roles were not counted');
    expect(findings[0]!.fix).toBe(
      "On the source: GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'repl'@'10.0.%';",
    );
  });

  test('SUPER alone satisfies the freeze on 8.0, and an existing guard schema needs no CREATE', () => {
    const lines = ['GRANT SUPER, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `repl`@`10.0.%`'];
    const freeze = checkSourceFacts(facts(lines), { mode: 'gtid', tls: false });
    expect(freeze.map((f) => f.code)).toEqual([SourceCodes.FreezeGrantMissing]);
    expect(freeze[0]!.message).toContain('lacks EVENT, CREATE,');
    const withSchema = {
      ...facts([...lines, 'GRANT EVENT ON `aurora_migrate`.* TO `repl`@`10.0.%`']),
      guardSchemaExists: true,
    };
    expect(checkSourceFacts(withSchema, { mode: 'gtid', tls: false })).toEqual([]);
  });
});
