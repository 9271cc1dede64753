/**
 * `parseSpec`: the one entry point that turns untrusted input (a file, an HTTP body, a library argument) into a
 * `MigrationInput`, or into a list of issues that each name the field, what was wrong and what is allowed.
 */
import type { z } from 'zod';
import type { MigrationInput } from '../../workflows/types';
import { checkSpecCombinations } from './combinations';
import { formatPath, type SpecIssue } from './issue';
import { checkReplicationCombinations } from './replication-combinations';
import { replicationSchema, replicationSourceSchema } from './replication-schema';
import { instanceSchema, migrationSpecSchema, optionsSchema, restoreSchema } from './schema';
import { closestName } from './suggest';

/** The outcome of parsing a spec. */
export type ParseSpecResult = { ok: true; spec: MigrationInput } | { ok: false; issues: SpecIssue[] };

/** Options of `parseSpec`. */
export interface ParseSpecOptions {
  /** Region used when the spec names none (e.g. from AWS_REGION). */
  defaultRegion?: string;
  /**
   * True when payloads are encrypted (AURORA_MIGRATE_CODEC_KEYS set): only then may the spec carry a literal
   * replication password. @default false
   */
  payloadsEncrypted?: boolean;
}

/** Checks a spec against the schema and the cross-field rules; fills `ManageMasterUserPassword` by default. */
export function parseSpec(input: unknown, options: ParseSpecOptions = {}): ParseSpecResult {
  const withRegion =
    isRecord(input) && input.region === undefined && options.defaultRegion
      ? { ...input, region: options.defaultRegion }
      : input;
  const result = migrationSpecSchema.safeParse(withRegion, { error: describeIssue });
  const secrets = passwordsOf(input);
  if (!result.success) {
    return { ok: false, issues: scrub(result.error.issues.flatMap(toSpecIssues), secrets) };
  }
  const { $schema: _editorHint, ...data } = result.data;
  const spec = data as MigrationInput;
  const combinationIssues = [
    ...checkSpecCombinations(spec),
    ...checkReplicationCombinations(spec, { payloadsEncrypted: options.payloadsEncrypted === true }),
  ];
  if (combinationIssues.length > 0) return { ok: false, issues: scrub(combinationIssues, secrets) };
  if (
    spec.restore.MasterUserPassword === undefined &&
    spec.restore.MasterUserPasswordSecretArn === undefined &&
    spec.restore.ManageMasterUserPassword === undefined
  ) {
    spec.restore.ManageMasterUserPassword = true;
  }
  return { ok: true, spec };
}

/** Unknown names longer than this get no "did you mean": the longest field name has 34 characters. */
const MAX_SUGGESTIBLE_NAME = 64;

function toSpecIssues(issue: z.core.$ZodIssue): SpecIssue[] {
  if (issue.code !== 'unrecognized_keys') return [{ path: formatPath(issue.path), message: issue.message }];
  const known = knownKeysAt(issue.path);
  return issue.keys.map((key) => {
    if (key.length > MAX_SUGGESTIBLE_NAME) {
      // Far longer than any field: not a typo. No edit distance (its cost grows with the name), and only the
      // name's start is echoed, so a megabyte key is neither slow nor sent back.
      return {
        path: formatPath([...issue.path, `${key.slice(0, 32)}…`]),
        message: `is not a known field (a ${key.length}-character name); allowed fields here: ${known.join(', ')}`,
      };
    }
    const suggestion = closestName(key, known);
    const hint = suggestion ? `; did you mean "${suggestion}"?` : `; allowed fields here: ${known.join(', ')}`;
    return { path: formatPath([...issue.path, key]), message: `is not a known field${hint}` };
  });
}

function knownKeysAt(path: readonly PropertyKey[]): string[] {
  const pattern = path.map((part) => (typeof part === 'number' ? '*' : String(part))).join('.');
  switch (pattern) {
    case '':
      return Object.keys(migrationSpecSchema.shape);
    case 'restore':
      return Object.keys(restoreSchema.shape);
    case 'restore.ServerlessV2ScalingConfiguration':
      return ['MinCapacity', 'MaxCapacity', 'SecondsUntilAutoPause'];
    case 'instances.*':
      return Object.keys(instanceSchema.shape);
    case 'options':
      return Object.keys(optionsSchema.shape);
    case 'replication':
      return Object.keys(replicationSchema.shape);
    case 'replication.source':
      return Object.keys(replicationSourceSchema.shape);
    default:
      return pattern.endsWith('Tags.*') ? ['Key', 'Value'] : [];
  }
}

/** Messages for issues the schema does not word itself. Never includes the input value. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `is required (${article(issue.expected)})`;
      return `must be ${article(issue.expected)}, got ${typeName(issue.input)}`;
    case 'invalid_union':
      return 'must be a duration such as 30s, 5m, 48h or 7d, or a whole number of milliseconds';
    default:
      return undefined;
  }
}

function article(expected: string): string {
  const names: Record<string, string> = {
    object: 'an object',
    array: 'a list',
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
  };
  return names[expected] ?? expected;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The passwords an input carries (master and replication), so that no issue message can echo them. */
function passwordsOf(input: unknown): string[] {
  if (!isRecord(input)) return [];
  const master = isRecord(input.restore) ? input.restore.MasterUserPassword : undefined;
  const replication =
    isRecord(input.replication) && isRecord(input.replication.source) ? input.replication.source.password : undefined;
  return [master, replication].filter((p): p is string => typeof p === 'string' && p.length >= 3);
}

function scrub(issues: SpecIssue[], secrets: string[]): SpecIssue[] {
  if (secrets.length === 0) return issues;
  return issues.map((issue) => ({
    path: issue.path,
    message: secrets.reduce((message, secret) => message.split(secret).join('***'), issue.message),
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
