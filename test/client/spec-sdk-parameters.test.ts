/**
 * "Every parameter": the spec's restore fields are exactly RestoreDBClusterFromS3's input members of the installed
 * `@aws-sdk/client-rds`, checked twice: at compile time (the types below fail to compile when the SDK gains a
 * member the spec lacks) and at run time against the SDK's own serialization schema, the JSON Schema and the
 * OpenAPI document.
 */
import {
  type CreateDBInstanceCommandInput,
  type RestoreDBClusterFromS3CommandInput,
  RestoreDBClusterFromS3Message$,
} from '@aws-sdk/client-rds';
import { buildOpenApiDocument } from '../../client/http/openapi';
import { migrationSpecJsonSchema } from '../../client/spec/json-schema';
import { parseSpec } from '../../client/spec';
import { restoreSchema } from '../../client/spec/schema';
import { SPEC_ONLY_RESTORE_FIELDS, type SpecOnlyRestoreField } from '../../activities/rds/requests';
import type { InstanceSpec, RestoreClusterParams } from '../../workflows/types';
import { validSpec } from './spec-fixtures';

type Exactly<A, B> = [Exclude<A, B>, Exclude<B, A>] extends [never, never]
  ? true
  : { onlyLeft: Exclude<A, B>; onlyRight: Exclude<B, A> };

// Compile-time: a new SDK member (or a spec field the SDK does not know) makes these assignments fail to compile.
// aurora-migrate's own fields (SPEC_ONLY_RESTORE_FIELDS) are the only allowed difference; they never reach RDS.
const restoreKeysMatch: Exactly<
  keyof RestoreDBClusterFromS3CommandInput,
  Exclude<keyof RestoreClusterParams, SpecOnlyRestoreField>
> = true;
// Instances pass a chosen subset of CreateDBInstance (the cluster owns the rest): every one must be an SDK member.
const instanceKeysKnown: Exclude<keyof InstanceSpec, keyof CreateDBInstanceCommandInput> extends never ? true : false =
  true;
// The spec's value types must be assignable to the SDK's.
const restoreTypesFit: Omit<RestoreClusterParams, SpecOnlyRestoreField> extends RestoreDBClusterFromS3CommandInput
  ? true
  : false = true;

/** The spec's restore field names that RDS receives. */
function sentFields(names: string[]): string[] {
  return names.filter((n) => !(SPEC_ONLY_RESTORE_FIELDS as readonly string[]).includes(n)).sort();
}

/** The member names of the SDK's RestoreDBClusterFromS3Message schema (`[3, ns, name, traits, members, …]`). */
function sdkRestoreMembers(): string[] {
  const members = (RestoreDBClusterFromS3Message$ as unknown as unknown[])[4];
  if (!Array.isArray(members)) throw new Error('unexpected shape of RestoreDBClusterFromS3Message$');
  return (members as string[]).slice().sort();
}

describe('every RestoreDBClusterFromS3 parameter', () => {
  test('the type-level checks compiled', () => {
    expect([restoreKeysMatch, instanceKeysKnown, restoreTypesFit]).toEqual([true, true, true]);
  });

  test('the SDK lists the parameters this test was written against, and more than the required seven', () => {
    const members = sdkRestoreMembers();
    expect(members.length).toBeGreaterThan(30);
    for (const name of [
      'Domain',
      'DomainIAMRoleName',
      'EngineLifecycleSupport',
      'TagSpecifications',
      'AssociatedRoles',
    ]) {
      expect(members).toContain(name);
    }
  });

  test('the zod schema has exactly the SDK’s members', () => {
    expect(sentFields(Object.keys(restoreSchema.shape))).toEqual(sdkRestoreMembers());
  });

  test('the JSON Schema and the OpenAPI document have exactly the SDK’s members', () => {
    const jsonRestore = (migrationSpecJsonSchema() as { properties: { restore: { properties: object } } }).properties
      .restore;
    expect(sentFields(Object.keys(jsonRestore.properties))).toEqual(sdkRestoreMembers());
    const openapi = buildOpenApiDocument() as {
      components: { schemas: { MigrationSpec: { properties: { restore: { properties: object } } } } };
    };
    expect(sentFields(Object.keys(openapi.components.schemas.MigrationSpec.properties.restore.properties))).toEqual(
      sdkRestoreMembers(),
    );
  });
});

describe('the newer restore parameters follow RDS’s rules in the spec', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['a Domain that is not a directory ID', { Domain: 'corp.example.com', DomainIAMRoleName: 'r' }, 'restore.Domain'],
    ['a Domain without DomainIAMRoleName', { Domain: 'd-1234567890' }, 'restore.Domain'],
    ['a DomainIAMRoleName without Domain', { DomainIAMRoleName: 'rds-directory' }, 'restore.DomainIAMRoleName'],
    [
      'a DomainIAMRoleName that is an ARN',
      { Domain: 'd-1234567890', DomainIAMRoleName: 'arn:aws:iam::1:role/x' },
      'restore.DomainIAMRoleName',
    ],
    ['an unknown EngineLifecycleSupport', { EngineLifecycleSupport: 'forever' }, 'restore.EngineLifecycleSupport'],
    [
      'a TagSpecification for another resource type',
      { TagSpecifications: [{ ResourceType: 'auto-backup', Tags: [{ Key: 'a', Value: 'b' }] }] },
      'restore.TagSpecifications[0].ResourceType',
    ],
    [
      'an AssociatedRole that is not a role ARN',
      { AssociatedRoles: [{ RoleArn: 'role/x' }] },
      'restore.AssociatedRoles[0].RoleArn',
    ],
    [
      'the same AssociatedRole twice',
      {
        AssociatedRoles: [
          { RoleArn: 'arn:aws:iam::123456789012:role/a' },
          { RoleArn: 'arn:aws:iam::123456789012:role/a' },
        ],
      },
      'restore.AssociatedRoles[1].RoleArn',
    ],
  ];

  test.each(cases)('refuses %s, naming the field', (_name, fields, path) => {
    const spec = validSpec();
    const result = parseSpec({ ...spec, restore: { ...spec.restore, ...fields } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });

  test('accepts all five when they are right', () => {
    const spec = validSpec();
    const result = parseSpec({
      ...spec,
      restore: {
        ...spec.restore,
        Domain: 'd-1234567890',
        DomainIAMRoleName: 'rds-directory',
        EngineLifecycleSupport: 'open-source-rds-extended-support-disabled',
        TagSpecifications: [{ ResourceType: 'cluster-auto-backup', Tags: [{ Key: 'team', Value: 'db' }] }],
        AssociatedRoles: [{ RoleArn: 'arn:aws:iam::123456789012:role/load-from-s3' }],
      },
    });
    expect(result.ok).toBe(true);
  });
});
