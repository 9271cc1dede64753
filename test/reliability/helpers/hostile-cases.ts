/**
 * A seeded generator of hostile inputs for the HTTP service and the CLI: specs with missing, mistyped,
 * unknown, oversized or deeply nested fields, invalid JSON, invalid UTF-8, prototype-pollution keys, bodies
 * past the size limit, wrong content types and YAML bombs. Every case is invalid by construction and says
 * which field (path) a correct rejection must name.
 */

/** One request body (or spec file) and what its rejection must name. */
export interface HostileCase {
  /** `category: detail`, for reports and failure messages. */
  name: string;
  category: string;
  method: 'POST';
  /** Path (and query) on the HTTP service. */
  path: string;
  body: Buffer;
  /** Content-Type header; undefined sends none. */
  contentType?: string;
  /**
   * Paths a VALIDATION_ERROR must name (one of them, or a path below one); `''` is the spec as a whole.
   * Undefined: the rejection is about the body itself (size, media type, syntax), not a field.
   */
  expectPaths?: string[];
  /** For spec files: the extension the CLI sees (`.json`, `.yaml`). */
  fileExtension?: '.json' | '.yaml';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Spec = { [key: string]: Json };

/** A valid spec (the bucket does not exist: nothing here is meant to reach S3 or start a migration). */
export function validSpec(clusterId: string): Spec {
  return {
    region: 'us-east-1',
    restore: {
      DBClusterIdentifier: clusterId,
      Engine: 'aurora-mysql',
      EngineVersion: '8.0.mysql_aurora.3.07.1',
      MasterUsername: 'admin',
      SourceEngine: 'mysql',
      SourceEngineVersion: '8.0.36',
      S3BucketName: 'reliability-hostile-no-such-bucket',
      S3Prefix: 'backups/full',
      S3IngestionRoleArn: 'arn:aws:iam::123456789012:role/aurora-s3-import',
      Tags: [{ Key: 'team', Value: 'data' }],
    },
    instances: [{ DBInstanceIdentifier: `${clusterId}-writer`, DBInstanceClass: 'db.r6g.large', PromotionTier: 1 }],
    options: { pollInterval: '30s', onFailure: 'retain' },
  };
}

/** Where a spec case is sent: the start routes and the dry run. */
const SPEC_ROUTES = ['/migrations', '/migrations', '/migrations', '/?Action=RestoreDBClusterFromS3', '/validate'];

const REQUIRED = [
  'restore',
  'instances',
  'restore.DBClusterIdentifier',
  'restore.Engine',
  'restore.MasterUsername',
  'restore.SourceEngine',
  'restore.SourceEngineVersion',
  'restore.S3BucketName',
  'restore.S3IngestionRoleArn',
  'instances[0].DBInstanceIdentifier',
  'instances[0].DBInstanceClass',
];

/** Fields and values each of them refuses (wrong types and out-of-rule values). */
const BAD_VALUES: Array<[string, Json[]]> = [
  ['restore.DBClusterIdentifier', [1, true, null, [], {}, '', '1abc', 'a--b', 'abc-', 'x'.repeat(64), 'ab_c', 'é']],
  ['restore.Engine', ['aurora-postgresql', 'mysql', 'AURORA-MYSQL', 7, null]],
  ['restore.EngineVersion', ['9.9.mysql_aurora.1', '5.7.mysql_aurora.2.12.0', 8, []]],
  ['restore.MasterUsername', ['admin-1', '', '1admin', 'a'.repeat(17), 42, {}]],
  ['restore.MasterUserPassword', ['short', 'has/slash-long', 'has"quote-long', 'a'.repeat(42), 12345678]],
  ['restore.SourceEngineVersion', ['9.9', '8.0.x', '', 8.0, null]],
  ['restore.S3BucketName', ['UPPER', 'a', 'bad_bucket!', 'x'.repeat(64), false]],
  ['restore.S3IngestionRoleArn', ['arn:aws:iam::1:role/x', 'role', '', {}]],
  ['restore.S3Prefix', [5, 'p'.repeat(1025), []]],
  ['restore.Port', [80, 99999, 3306.5, '3306', true]],
  ['restore.BackupRetentionPeriod', [0, 36, 'seven', -1]],
  ['restore.StorageEncrypted', ['yes', 1, 'true', null]],
  ['restore.DeletionProtection', ['no', 0, []]],
  ['restore.VpcSecurityGroupIds', ['sg-123', ['sg-zz'], [1], {}]],
  ['restore.EnableCloudwatchLogsExports', [['everything'], 'audit', [null]]],
  ['restore.Tags', [{}, 'team=data', [{ Key: 'aws:x', Value: 'v' }], [{ Key: '', Value: 'v' }], [{ Key: 'k' }], [5]]],
  ['restore.ServerlessV2ScalingConfiguration', ['0.5-8', { MinCapacity: 0.3, MaxCapacity: 8 }, { MinCapacity: 1 }]],
  ['restore.StorageType', ['gp3', 1]],
  ['instances', [[], {}, 'writer', [null], [1, 2]]],
  ['instances[0].DBInstanceClass', ['r6g.large', 'db.', '', 5]],
  ['instances[0].PromotionTier', [16, -1, '1', 1.5]],
  ['instances[0].MonitoringInterval', [2, '60', -1]],
  ['options', [[], 'fast', 5]],
  ['options.pollInterval', ['soon', -5, 0, true, {}, '5 parsecs', 1.5]],
  ['options.validation', ['thorough', 1]],
  ['options.onFailure', ['explode', false]],
  ['options.requireApproval', ['yes', 1]],
  ['region', ['mars-1', 5, '', 'US-EAST-1']],
];

const UNKNOWN_KEYS = ['DBClusterIdentifer', 'masterUserPassword', 'Engine ', 'x', 'ΩΩΩ', '$where', '__defineGetter__'];
const PARENTS = ['', 'restore', 'instances[0]', 'options', 'restore.Tags[0]'];
const UNKNOWN_VALUES: Json[] = [1, 'x', null, {}, []];

/** One spec from the generator's tables, and the paths its rejection must name (one of them). */
export interface TableCase {
  name: string;
  spec: Spec;
  expectPaths: string[];
}

/**
 * Every spec the random generator can draw from its tables: each required field removed, each unknown field added,
 * each bad value set, and each removal combined with each bad value. Checked exhaustively (and cheaply, by the parser alone) so a table
 * entry the product accepts fails every run instead of the run whose seed happens to draw it.
 */
export function tableCases(clusterId: string): TableCase[] {
  const cases: TableCase[] = [];
  for (const path of REQUIRED) {
    cases.push({ name: `missing ${path}`, spec: removeAt(validSpec(clusterId), path), expectPaths: [path] });
  }
  for (const parent of PARENTS) {
    for (const key of UNKNOWN_KEYS) {
      const path = parent ? `${parent}.${key}` : key;
      for (const value of UNKNOWN_VALUES) {
        const shown = `unknown ${path} = ${JSON.stringify(value)}`;
        cases.push({ name: shown, spec: setAt(validSpec(clusterId), path, value), expectPaths: [path] });
      }
    }
  }
  for (const [path, values] of BAD_VALUES) {
    for (const value of values) {
      const shown = `${path} = ${JSON.stringify(value).slice(0, 40)}`;
      cases.push({ name: shown, spec: setAt(validSpec(clusterId), path, value), expectPaths: [path] });
      for (const missing of REQUIRED) {
        cases.push({
          name: `missing ${missing} + ${shown}`,
          spec: setAt(removeAt(validSpec(clusterId), missing), path, value),
          expectPaths: [missing, path],
        });
      }
    }
  }
  return cases;
}

/** Builds `count` HTTP cases (spec routes and the decision and event routes) from `random`. */
export function generateHttpCases(random: () => number, count: number, clusterId: string): HostileCase[] {
  const makers = caseMakers(random, clusterId);
  const cases: HostileCase[] = [];
  for (let i = 0; i < count; i++) {
    const [, make] = pick(random, makers);
    cases.push(make());
  }
  return cases;
}

/** Builds `count` spec-file cases for `aurora-migrate start <file>`, YAML bombs included. */
export function generateCliCases(random: () => number, count: number, clusterId: string): HostileCase[] {
  const makers = caseMakers(random, clusterId).filter(([weight]) => weight !== 'http-only');
  const yaml = yamlCases(clusterId);
  const cases: HostileCase[] = [];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) {
      cases.push(yaml[(i / 4) % yaml.length]!);
      continue;
    }
    const made = pick(random, makers)[1]();
    cases.push({ ...made, fileExtension: made.fileExtension ?? (random() < 0.8 ? '.json' : '.yaml') });
  }
  return cases;
}

type Maker = () => HostileCase;

function caseMakers(random: () => number, clusterId: string): Array<['any' | 'http-only', Maker]> {
  const spec = (): Spec => validSpec(clusterId);
  const route = (): string => pick(random, SPEC_ROUTES);
  const json = (category: string, detail: string, value: unknown, expectPaths?: string[]): HostileCase => ({
    name: `${category}: ${detail}`,
    category,
    method: 'POST',
    path: route(),
    body: Buffer.from(JSON.stringify(value)),
    contentType: 'application/json',
    expectPaths,
  });
  const raw = (category: string, detail: string, body: Buffer | string, extra: Partial<HostileCase> = {}) => ({
    name: `${category}: ${detail}`,
    category,
    method: 'POST' as const,
    path: route(),
    body: Buffer.isBuffer(body) ? body : Buffer.from(body),
    contentType: 'application/json',
    ...extra,
  });

  return [
    [
      'any',
      () => {
        const path = pick(random, REQUIRED);
        return json('missing field', path, removeAt(spec(), path), [path]);
      },
    ],
    [
      'any',
      () => {
        const [path, values] = pick(random, BAD_VALUES);
        const value = pick(random, values);
        return json('bad value', `${path} = ${JSON.stringify(value).slice(0, 40)}`, setAt(spec(), path, value), [path]);
      },
    ],
    [
      'any',
      () => {
        const parent = pick(random, PARENTS);
        const key = pick(random, UNKNOWN_KEYS);
        const value = setAt(spec(), parent ? `${parent}.${key}` : key, pick(random, UNKNOWN_VALUES));
        return json('unknown field', `${parent || '(root)'}.${key}`, value, [parent ? `${parent}.${key}` : key]);
      },
    ],
    [
      'any',
      () => {
        const path = pick(random, [
          'restore.DBClusterIdentifier',
          'restore.MasterUsername',
          'restore.S3Prefix',
          'restore.Tags[0].Value',
          'restore.S3BucketName',
          'instances[0].DBInstanceClass',
        ]);
        const size = 2000 + Math.floor(random() * 600_000);
        return json('huge string', `${path} of ${size} chars`, setAt(spec(), path, 'A'.repeat(size)), [path]);
      },
    ],
    [
      'any',
      () => {
        // Kept short: a long unknown name costs seconds of edit distance (see the focused test of that bug).
        const size = 100 + Math.floor(random() * 900);
        const key = 'K'.repeat(size);
        return json('huge key', `restore.<${size} chars>`, setAt(spec(), `restore.${key}`, 1), ['restore.K']);
      },
    ],
    [
      'any',
      () => {
        const depth = 100 + Math.floor(random() * 4000);
        const arrays = random() < 0.3;
        const path = pick(random, ['restore.Tags[0].Value', 'options.pollInterval', 'restore.DBClusterIdentifier']);
        const text = JSON.stringify(setAt(spec(), path, '@@DEEP@@')).replace(
          '"@@DEEP@@"',
          arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
        );
        return raw('deep nesting', `${depth} levels of ${arrays ? 'arrays' : 'objects'} at ${path}`, text, {
          expectPaths: [path],
        });
      },
    ],
    [
      'any',
      () => {
        const text = JSON.stringify(spec());
        const variants: Array<[string, string]> = [
          ['truncated', text.slice(0, Math.floor(random() * (text.length - 1)))],
          ['trailing comma', text.replace(/}$/, ',}')],
          ['single quotes', text.replace(/"/g, "'")],
          ['NaN', text.replace('"retain"}', '"retain","x":NaN}')],
          ['comment', `// spec\n${text}`],
          ['two documents', `${text}${text}`],
          ['bare word', 'spec'],
          ['unbalanced', '{"restore": {'],
        ];
        const [detail, body] = pick(random, variants);
        return raw('invalid JSON', detail, body, { fileExtension: '.json' });
      },
    ],
    [
      'any',
      () => {
        const text = JSON.stringify(spec());
        const where = random() < 0.5 ? 'restore.DBClusterIdentifier' : 'restore.unknownÿ';
        const marker = where === 'restore.DBClusterIdentifier' ? clusterId : '"S3Prefix"';
        const at = text.indexOf(marker) + (where === 'restore.DBClusterIdentifier' ? 3 : 1);
        const bytes = Buffer.concat([
          Buffer.from(text.slice(0, at)),
          Buffer.from(where === 'restore.DBClusterIdentifier' ? [0xff, 0xfe, 0xc3] : [0xff, 0xc0, 0x80]),
          Buffer.from(text.slice(at)),
        ]);
        const path = where === 'restore.DBClusterIdentifier' ? where : 'restore';
        return raw('invalid UTF-8', `bytes in ${where}`, bytes, { expectPaths: [path] });
      },
    ],
    [
      'any',
      () => {
        const bytes = Buffer.from(Array.from({ length: 64 + Math.floor(random() * 4000) }, () => (random() * 256) | 0));
        return raw('invalid UTF-8', `${bytes.length} random bytes`, bytes);
      },
    ],
    [
      'any',
      () => {
        const where = pick(random, ['', 'restore', 'options', 'instances[0]']);
        const key = pick(random, ['__proto__', 'constructor', 'prototype']);
        const value = key === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}';
        const s = spec();
        const text = insertRawKey(s, where, key, value);
        return raw('prototype pollution', `${key} in ${where || '(root)'}`, text, {
          expectPaths: [where ? `${where}.${key}` : key],
        });
      },
    ],
    [
      'http-only',
      () => {
        const huge = random() < 0.5;
        const body = huge
          ? JSON.stringify(setAt(spec(), 'restore.S3Prefix', 'p'.repeat(2 * 1024 * 1024)))
          : 'x'.repeat(2 * 1024 * 1024 + 17);
        return raw('oversized', huge ? '2 MiB spec' : '2 MiB garbage', body);
      },
    ],
    [
      'http-only',
      () => {
        const type = pick(random, [
          'text/plain',
          'application/xml',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/jsonx',
          'image/png',
        ]);
        return raw('content type', type, JSON.stringify(spec()), { contentType: type });
      },
    ],
    ['http-only', () => raw('content type', 'none', JSON.stringify(spec()), { contentType: undefined })],
    [
      'any',
      () => {
        const value = pick(random, [[], [spec()], 'spec', 42, null, true, {}] as Json[]);
        return json('not a spec object', JSON.stringify(value).slice(0, 30), value, ['']);
      },
    ],
    [
      'any',
      () => {
        const paths = [pick(random, REQUIRED), pick(random, BAD_VALUES)[0]];
        let value: Spec = removeAt(spec(), paths[0]!);
        const [, values] = BAD_VALUES.find(([p]) => p === paths[1])!;
        value = setAt(value, paths[1]!, pick(random, values));
        return json('several problems', paths.join(' + '), value, paths);
      },
    ],
    [
      'http-only',
      () => ({
        ...raw('action', 'not RestoreDBClusterFromS3', JSON.stringify(spec())),
        path: `/?Action=${pick(random, ['CreateDBCluster', 'DeleteDBCluster', 'restoredbclusterfroms3', ''])}`,
        expectPaths: ['Action'],
      }),
    ],
    [
      'http-only',
      () => {
        const reject = random() < 0.5;
        const bodies: Array<[Json, string]> = [
          [{}, 'by'],
          [{ by: 5 }, 'by'],
          [{ by: '   ' }, 'by'],
          [{ by: 'x'.repeat(300), reason: 'r' }, 'by'],
          [{ by: 'ops', reason: 'r'.repeat(2001) }, 'reason'],
          [{ by: 'ops', reason: 7 }, 'reason'],
        ];
        if (reject) bodies.push([{ by: 'ops' }, 'reason']);
        const [body, path] = pick(random, bodies);
        return {
          ...raw('decision body', `${reject ? 'reject' : 'approve'} ${JSON.stringify(body).slice(0, 40)}`, ''),
          path: `/migrations/${encodeURIComponent(`aurora-migrate:us-east-1:${clusterId}`)}/${reject ? 'reject' : 'approve'}`,
          body: Buffer.from(JSON.stringify(body)),
          expectPaths: [path],
        };
      },
    ],
    [
      'http-only',
      () => {
        const bodies: Json[] = [
          {},
          { detail: 5 },
          { source: 'aws.rds', 'detail-type': 'RDS DB Cluster Event', detail: 'x' },
          { Type: 'Notification', Message: '{not json' },
          { Type: 'Notification', Message: 5 },
          [],
          'event',
        ];
        return {
          ...raw('rds event', 'malformed', JSON.stringify(pick(random, bodies))),
          path: '/events/rds',
          expectPaths: [],
        };
      },
    ],
  ];
}

/** YAML documents the CLI must refuse without hanging or running out of memory. */
function yamlCases(clusterId: string): HostileCase[] {
  const lines = (text: string[]): Buffer => Buffer.from(text.join('\n') + '\n');
  const base = (name: string, body: Buffer, expectPaths?: string[]): HostileCase => ({
    name: `YAML: ${name}`,
    category: 'YAML',
    method: 'POST',
    path: '/migrations',
    body,
    contentType: 'application/yaml',
    expectPaths,
    fileExtension: '.yaml',
  });
  const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i < 10; i++) {
    const prev = String.fromCharCode(96 + i);
    const next = String.fromCharCode(97 + i);
    laughs.push(`${next}: &${next} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
  }
  laughs.push(`restore: *j`);
  return [
    base('billion laughs', lines(laughs)),
    base('alias loop in restore', lines(['restore: &r', '  DBClusterIdentifier: *r'])),
    base('deep flow nesting', Buffer.from('restore: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n'), ['restore']),
    base(
      'custom tags',
      lines(['restore: !!js/function "function(){ process.exit(7) }"', 'instances: !!binary aGVsbG8=']),
    ),
    base('duplicate keys', lines(['restore: {}', 'restore: {}'])),
    base('merge key bomb', lines(['base: &b {DBClusterIdentifier: x}', 'restore: {<<: [*b, *b, *b], Engine: 1}'])),
    base('empty document', Buffer.from(''), ['']),
    base('only a comment', Buffer.from('# nothing here\n'), ['']),
    base('tabs for indentation', Buffer.from('restore:\n\tDBClusterIdentifier: x\n')),
    base('prototype key', lines([`__proto__: {polluted: true}`, `restore: {DBClusterIdentifier: ${clusterId}}`])),
  ];
}

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Splits `restore.Tags[0].Value` into `['restore', 'Tags', 0, 'Value']`. */
function segments(path: string): Array<string | number> {
  return path
    .split('.')
    .flatMap((part) =>
      part
        .split(/\[(\d+)\]/)
        .filter((p, i) => p !== '' || i === 0)
        .map((p, i) => (i % 2 ? Number(p) : p)),
    )
    .filter((p) => p !== '');
}

function setAt(spec: Spec, path: string, value: unknown): Spec {
  const parts = segments(path);
  let node = spec as Record<string | number, unknown>;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string | number, unknown>;
  }
  Object.defineProperty(node, parts[parts.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return spec;
}

function removeAt(spec: Spec, path: string): Spec {
  const parts = segments(path);
  let node = spec as Record<string | number, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string | number, unknown>;
  delete node[parts[parts.length - 1]!];
  return spec;
}

/** The spec as JSON text with `"key": value` written raw into the object at `where` (so `__proto__` survives). */
function insertRawKey(spec: Spec, where: string, key: string, value: string): string {
  const marker = '"@@INSERT@@":0';
  const withMarker = setAt(spec, where ? `${where}.@@INSERT@@` : '@@INSERT@@', 0);
  return JSON.stringify(withMarker).replace(marker, `"${key}":${value}`);
}
