/**
 * `parseSpec`: the one entry point that turns untrusted input (a file, an HTTP body, a library argument) into a
 * `MigrationInput`, or into a list of issues that each name the field, what was wrong and what is allowed.
 */
import type { z } from 'zod';
import type { MigrationInput } from '../../workflows/types';
import { checkSpecCombinations } from './combinations';
import { formatPath, type SpecIssue } from './issue';
import { instanceSchema, migrationSpecSchema, optionsSchema, restoreSchema } from './schema';
import { closestName } from './suggest';

/** The outcome of parsing a spec. */
export type ParseSpecResult = { ok: true; spec: MigrationInput } | { ok: false; issues: SpecIssue[] };

/** Options of `parseSpec`. */
export interface ParseSpecOptions {
  /** Region used when the spec names none (e.g. from AWS_REGION). */
  defaultRegion?: string;
}

/** Checks a spec against the schema and the cross-field rules; fills `ManageMasterUserPassword` by default. */
export function parseSpec(input: unknown, options: ParseSpecOptions = {}): ParseSpecResult {
  const withRegion =
    isRecord(input) && input.region === undefined && options.defaultRegion
      ? { ...input, region: options.defaultRegion }
      : input;
  const result = migrationSpecSchema.safeParse(withRegion, { error: describeIssue });
  const secret = passwordOf(input);
  if (!result.success) {
    return { ok: false, issues: scrub(result.error.issues.flatMap(toSpecIssues), secret) };
  }
  const { $schema: _editorHint, ...data } = result.data;
  const spec = data as MigrationInput;
  const combinationIssues = checkSpecCombinations(spec);
  if (combinationIssues.length > 0) return { ok: false, issues: scrub(combinationIssues, secret) };
  if (spec.restore.MasterUserPassword === undefined && spec.restore.ManageMasterUserPassword === undefined) {
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

function passwordOf(input: unknown): string | undefined {
  if (!isRecord(input) || !isRecord(input.restore)) return undefined;
  const password = input.restore.MasterUserPassword;
  return typeof password === 'string' && password.length >= 3 ? password : undefined;
}

function scrub(issues: SpecIssue[], secret: string | undefined): SpecIssue[] {
  if (!secret) return issues;
  return issues.map((issue) => ({ path: issue.path, message: issue.message.split(secret).join('***') }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
