import { RestoreDBClusterFromS3Command } from '@aws-sdk/client-rds';
import { runPreflight } from '../../activities/preflight';
import { EmulatorControl } from '../../emulator/control-client';
import { OWNER_TAG_KEY } from '../../workflows/ids';
import type { MigrationInput } from '../../workflows/types';
import { restoreInput } from '../emulator/fixture';
import { useTestEmulator } from '../emulator/use-emulator';
import { preflightDeps, seededSpec } from './preflight-helpers';

const env = useTestEmulator();
const control = () => new EmulatorControl(env.emulator.endpoint);
const WORKFLOW_ID = 'aurora-migrate:us-east-1:preflight-test';

afterEach(async () => {
  await control().reset();
});

type Case = {
  name: string;
  mutate: (spec: MigrationInput) => void;
  setup?: () => Promise<void>;
  code: string;
  field: string;
  severity?: 'error' | 'warning';
};

const cases: Case[] = [
  {
    name: 'a spec for another Region',
    mutate: (s) => (s.region = 'eu-west-1'),
    code: 'PREFLIGHT_REGION_MISMATCH',
    field: 'region',
  },
  {
    name: 'an engine version the Region does not offer',
    mutate: (s) => (s.restore.EngineVersion = '8.0.mysql_aurora.3.04.2'),
    code: 'ENGINE_VERSION_UNKNOWN',
    field: 'restore.EngineVersion',
  },
  {
    name: 'an engine version of another major than the source',
    mutate: (s) => (s.restore.EngineVersion = '5.7.mysql_aurora.2.12.0'),
    code: 'ENGINE_VERSION_MAJOR_MISMATCH',
    field: 'restore.EngineVersion',
  },
  {
    name: 'an engine version older than the source minor',
    mutate: (s) => (s.restore.SourceEngineVersion = '8.0.36'),
    code: 'ENGINE_VERSION_TOO_OLD',
    field: 'restore.EngineVersion',
  },
  {
    name: 'an instance class not offered for S3 imports',
    mutate: (s) => (s.instances[1]!.DBInstanceClass = 'db.t2.micro'),
    code: 'INSTANCE_CLASS_NOT_ORDERABLE',
    field: 'instances[1].DBInstanceClass',
  },
  {
    name: 'db.serverless on Aurora MySQL 2',
    mutate: (s) => {
      s.restore.EngineVersion = '5.7.mysql_aurora.2.12.0';
      s.restore.SourceEngineVersion = '5.7.44';
      s.instances[0]!.DBInstanceClass = 'db.serverless';
    },
    code: 'INSTANCE_CLASS_NOT_ORDERABLE',
    field: 'instances[0].DBInstanceClass',
  },
  {
    name: 'a missing subnet group',
    mutate: (s) => (s.restore.DBSubnetGroupName = 'missing'),
    code: 'SUBNET_GROUP_NOT_FOUND',
    field: 'restore.DBSubnetGroupName',
  },
  {
    name: 'a missing cluster parameter group',
    mutate: (s) => (s.restore.DBClusterParameterGroupName = 'missing'),
    code: 'CLUSTER_PARAMETER_GROUP_NOT_FOUND',
    field: 'restore.DBClusterParameterGroupName',
  },
  {
    name: 'a cluster parameter group of another family',
    mutate: (s) => (s.restore.DBClusterParameterGroupName = 'default.aurora-mysql5.7'),
    code: 'CLUSTER_PARAMETER_GROUP_FAMILY_MISMATCH',
    field: 'restore.DBClusterParameterGroupName',
  },
  {
    name: 'a missing DB parameter group',
    mutate: (s) => (s.instances[0]!.DBParameterGroupName = 'missing'),
    code: 'PARAMETER_GROUP_NOT_FOUND',
    field: 'instances[0].DBParameterGroupName',
  },
  {
    name: 'a DB parameter group of another family',
    mutate: (s) => (s.instances[1]!.DBParameterGroupName = 'default.aurora-mysql5.7'),
    code: 'PARAMETER_GROUP_FAMILY_MISMATCH',
    field: 'instances[1].DBParameterGroupName',
  },
  {
    name: 'a missing option group',
    mutate: (s) => (s.restore.OptionGroupName = 'missing'),
    code: 'OPTION_GROUP_NOT_FOUND',
    field: 'restore.OptionGroupName',
  },
  {
    name: 'an option group of another major',
    mutate: (s) => (s.restore.OptionGroupName = 'default:aurora-mysql-5-7'),
    code: 'OPTION_GROUP_VERSION_MISMATCH',
    field: 'restore.OptionGroupName',
  },
  {
    name: 'an account at its cluster quota',
    mutate: () => undefined,
    setup: () => control().setQuotas({ DBClusters: 0 }),
    code: 'CLUSTER_QUOTA_EXCEEDED',
    field: 'restore.DBClusterIdentifier',
  },
  {
    name: 'an account without room for both instances',
    mutate: () => undefined,
    setup: () => control().setQuotas({ DBInstances: 1 }),
    code: 'INSTANCE_QUOTA_EXCEEDED',
    field: 'instances',
  },
  {
    name: 'a cluster identifier another owner already uses',
    mutate: (s) => (s.restore.DBClusterIdentifier = 'taken-cluster'),
    setup: async () => {
      await env.rds.send(
        new RestoreDBClusterFromS3Command(restoreInput(env.seeded, { DBClusterIdentifier: 'taken-cluster' })),
      );
    },
    code: 'CLUSTER_IDENTIFIER_TAKEN',
    field: 'restore.DBClusterIdentifier',
  },
  {
    name: 'a subnet-group check the caller may not run',
    mutate: (s) => (s.restore.DBSubnetGroupName = 'private'),
    setup: async () => {
      await control().addRule({
        match: { action: 'DescribeDBSubnetGroups' },
        fault: {
          type: 'error',
          code: 'AccessDenied',
          httpStatus: 403,
          message: 'User: x is not authorized to perform: rds:DescribeDBSubnetGroups',
        },
      });
    },
    code: 'PERMISSION_MISSING',
    field: 'restore.DBSubnetGroupName',
    severity: 'warning',
  },
];

function spec(): MigrationInput {
  return seededSpec(env.seeded);
}

/** The findings that are not the informational "how permissions were checked". */
const judged = (findings: { severity: string }[]) => findings.filter((f) => f.severity !== 'info');

describe('RDS pre-flight checks against the emulator', () => {
  test('there are at least 15 failing specs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  test('a spec the account can serve passes with no findings, and the requests carry the ownership tag', async () => {
    const s = spec();
    s.restore.DBSubnetGroupName = 'private';
    s.restore.DBClusterParameterGroupName = 'default.aurora-mysql8.0';
    s.instances[0]!.DBParameterGroupName = 'default.aurora-mysql8.0';
    const report = await runPreflight(preflightDeps(env.rds), { spec: s, workflowId: WORKFLOW_ID });
    expect(judged(report.findings)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.requests.restoreCluster.MasterUserPassword).toBe('<redacted>');
    expect(report.requests.restoreCluster.Tags).toContainEqual({ Key: OWNER_TAG_KEY, Value: WORKFLOW_ID });
    expect(report.requests.createInstances.map((r) => r.DBInstanceIdentifier)).toEqual(
      s.instances.map((i) => i.DBInstanceIdentifier),
    );
  });

  test('a cluster already tagged as this migration’s is not a conflict, nor counted against the quota', async () => {
    const s = spec();
    const id = s.restore.DBClusterIdentifier;
    await env.rds.send(
      new RestoreDBClusterFromS3Command(
        restoreInput(env.seeded, { DBClusterIdentifier: id, Tags: [{ Key: OWNER_TAG_KEY, Value: WORKFLOW_ID }] }),
      ),
    );
    // The account is full with that one cluster: a re-run adopts it, so it adds none.
    await control().setQuotas({ DBClusters: 1 });
    const report = await runPreflight(preflightDeps(env.rds), { spec: s, workflowId: WORKFLOW_ID });
    expect(judged(report.findings)).toEqual([]);
  });

  test.each(cases.map((c) => [c.name, c] as const))('refuses %s, naming the field and the fix', async (_name, c) => {
    await c.setup?.();
    const s = spec();
    c.mutate(s);
    const report = await runPreflight(preflightDeps(env.rds), { spec: s, workflowId: WORKFLOW_ID });
    const hit = report.findings.find((f) => f.code === c.code);
    expect(hit).toMatchObject({ code: c.code, path: c.field, severity: c.severity ?? 'error' });
    expect(hit?.fix.length).toBeGreaterThan(10);
    expect(report.ok).toBe((c.severity ?? 'error') === 'warning');
  });
});
