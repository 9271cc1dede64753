import { parseManifest } from '../../client/fleet/manifest';
import { SAMPLE_ROLE_ARN } from '../../scripts/fixtures/sample-spec';
import { parseSpecText } from '../../client/spec/load';

const template = {
  region: 'us-east-1',
  restore: {
    Engine: 'aurora-mysql',
    EngineVersion: '8.0.mysql_aurora.3.07.1',
    MasterUsername: 'admin',
    SourceEngine: 'mysql',
    SourceEngineVersion: '8.0.36',
    S3BucketName: 'fleet-backups',
    S3Prefix: 'nightly/{id}/full',
    S3IngestionRoleArn: SAMPLE_ROLE_ARN,
  },
  instances: [{ DBInstanceIdentifier: '{id}-writer', DBInstanceClass: 'db.r6g.large' }],
};

function issuesOf(input: unknown) {
  const parsed = parseManifest(input);
  if (parsed.ok) throw new Error('expected the manifest to be refused');
  return parsed.issues;
}

describe('fleet manifests', () => {
  test('a template with identifiers expands into one validated spec per database, overrides merged in', () => {
    const parsed = parseManifest({
      name: 'orders',
      options: { maxInFlight: 2, failureBudget: 1 },
      template,
      databases: [
        { id: 'orders-1' },
        {
          id: 'orders-2',
          overrides: { instances: [{ DBInstanceIdentifier: 'o2-w', DBInstanceClass: 'db.r6g.xlarge' }] },
        },
      ],
    });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));

    const [first, second] = parsed.fleet.databases;
    expect(first?.spec.restore).toMatchObject({ DBClusterIdentifier: 'orders-1', S3Prefix: 'nightly/orders-1/full' });
    expect(first?.spec.restore.ManageMasterUserPassword).toBe(true);
    expect(first?.spec.instances).toEqual([
      { DBInstanceIdentifier: 'orders-1-writer', DBInstanceClass: 'db.r6g.large' },
    ]);
    expect(second?.spec.instances).toEqual([{ DBInstanceIdentifier: 'o2-w', DBInstanceClass: 'db.r6g.xlarge' }]);
    expect(first?.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(first?.specHash).not.toBe(second?.specHash);
    expect(parsed.fleet.options).toEqual({ maxInFlight: 2, failureBudget: 1 });
  });

  test('a list of full specs is accepted as it is, from YAML too', () => {
    const yaml = [
      'name: two',
      'databases:',
      ...['a', 'b'].flatMap((id) => [
        `  - region: us-east-1`,
        `    restore: ${JSON.stringify({ ...template.restore, DBClusterIdentifier: id, S3Prefix: id })}`,
        `    instances: [{ DBInstanceIdentifier: ${id}-w, DBInstanceClass: db.r6g.large }]`,
      ]),
    ].join('\n');
    const parsed = parseManifest(parseSpecText(yaml, 'fleet.yaml'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    expect(parsed.fleet.databases.map((d) => d.spec.restore.DBClusterIdentifier)).toEqual(['a', 'b']);
  });

  test('a bad database is named by its index and field path, with what is allowed', () => {
    const issues = issuesOf({
      name: 'orders',
      template,
      databases: [{ id: 'good' }, { id: 'bad', overrides: { restore: { SourceEngineVersion: 'eight' } } }],
    });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe('databases[1].restore.SourceEngineVersion');
    expect(issues[0]?.message).toContain('(database "bad" from the template)');
  });

  test('repeated identifiers and mixed Regions are refused with the entry they clash with', () => {
    const issues = issuesOf({
      name: 'orders',
      template,
      databases: [{ id: 'one' }, { id: 'ONE' }, { id: 'two', overrides: { region: 'eu-west-1' } }],
    });
    expect(issues.map((i) => i.path)).toEqual([
      'databases[1].restore.DBClusterIdentifier',
      'databases[1].instances[0].DBInstanceIdentifier',
      'databases[2].region',
    ]);
    expect(issues[0]?.message).toContain('repeats databases[0].restore.DBClusterIdentifier');
    expect(issues[2]?.message).toContain('one Region');
  });

  test('bad options, a missing name and unknown fields are each named', () => {
    const issues = issuesOf({
      options: { maxInFlight: 0, waveSize: 1.5, approvalBetweenWaves: 'yes', adoptedPollInterval: '10ms', speed: 3 },
      template,
      databases: [{ id: 'a', extra: true }],
      owner: 'me',
    });
    expect(issues.map((i) => i.path).sort()).toEqual(
      [
        'owner',
        'name',
        'options.maxInFlight',
        'options.waveSize',
        'options.approvalBetweenWaves',
        'options.adoptedPollInterval',
        'options.speed',
        'databases[0].extra',
      ].sort(),
    );
    expect(issues.find((i) => i.path === 'options.maxInFlight')?.message).toContain('from 1 to');
  });

  test('an empty list, or template items without an id, are refused before anything else', () => {
    expect(issuesOf({ name: 'x', databases: [] }).map((i) => i.path)).toEqual(['databases']);
    expect(issuesOf({ name: 'x', template, databases: [{}] }).map((i) => i.path)).toEqual(['databases[0].id']);
    expect(issuesOf('not a manifest').map((i) => i.path)).toEqual(['']);
  });

  test('a replication section is refused until catch-up exists', () => {
    const issues = issuesOf({
      name: 'x',
      template: {
        ...template,
        replication: {
          source: {
            host: 'db.example.com',
            user: 'repl',
            passwordSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:r',
          },
        },
      },
      databases: [{ id: 'a' }],
    });
    expect(issues.some((i) => i.path.startsWith('databases[0].replication'))).toBe(true);
  });
});
