/**
 * `parseManifest`: turns an untrusted fleet manifest (a file, an HTTP body) into the fleet's input, or into
 * issues that each name the field (`databases[3].restore.S3Prefix`), what was wrong and what to do. Every
 * database is checked by the same `parseSpec` a lone migration goes through, so nothing starts on bad input.
 *
 * Two forms: `databases` a list of specs; or `template` (a spec whose strings may contain `{id}`) with
 * `databases` a list of `{ id, overrides? }`.
 */
import type { FleetDatabase, FleetOptions } from '../../workflows/fleet/types';
import type { SpecIssue } from '../spec/issue';
import { parseSpec, type ParseSpecOptions } from '../spec/parse';
import { specHash } from '../spec-metadata';
import { expandTemplate, ID_PLACEHOLDER, isRecord } from './expand';
import { checkFleetOptions } from './manifest-options';

/** Most databases in one manifest: the fleet's input (every spec) must stay under Temporal's 2 MB payload limit. */
export const MAX_FLEET_DATABASES = 2000;

/** Most issues reported at once (a template mistake repeats for every database). */
const MAX_ISSUES = 50;

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,99}$/i;
const TOP_LEVEL = ['$schema', 'name', 'options', 'template', 'databases'];
const TEMPLATE_ITEM = ['id', 'overrides'];

/** A fleet ready to start: its name, options and every database's validated spec. */
export interface ParsedFleet {
  name: string;
  options: FleetOptions;
  databases: FleetDatabase[];
}

/** The outcome of parsing a manifest. */
export type ParseManifestResult = { ok: true; fleet: ParsedFleet } | { ok: false; issues: SpecIssue[] };

/** Checks a manifest and every database in it; see the module comment for the two forms. */
export function parseManifest(input: unknown, options: ParseSpecOptions = {}): ParseManifestResult {
  if (!isRecord(input)) {
    return fail([{ path: '', message: 'must be an object with name, databases and optionally template and options' }]);
  }
  const issues: SpecIssue[] = [];
  for (const key of Object.keys(input)) {
    if (!TOP_LEVEL.includes(key))
      issues.push({ path: key, message: `is not a known field; allowed: ${TOP_LEVEL.slice(1).join(', ')}` });
  }
  const name = input.name;
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    issues.push({
      path: 'name',
      message: 'must name the fleet: 1 to 100 letters, digits or hyphens, starting with a letter or digit',
    });
  }
  const checkedOptions = checkFleetOptions(input.options);
  issues.push(...checkedOptions.issues);
  const template = input.template;
  if (template !== undefined && !isRecord(template)) {
    issues.push({ path: 'template', message: `must be a migration spec whose strings may contain ${ID_PLACEHOLDER}` });
  }
  const list = input.databases;
  if (!Array.isArray(list) || list.length === 0) {
    issues.push({
      path: 'databases',
      message: template
        ? 'must be a non-empty list of { id, overrides? }'
        : 'must be a non-empty list of migration specs (or give a template and a list of { id, overrides? })',
    });
    return fail(issues);
  }
  if (list.length > MAX_FLEET_DATABASES) {
    issues.push({
      path: 'databases',
      message: `has ${list.length} entries; at most ${MAX_FLEET_DATABASES} fit one fleet: split the manifest`,
    });
    return fail(issues);
  }
  const databases: FleetDatabase[] = [];
  (list as unknown[]).forEach((item, index) => {
    const at = `databases[${index}]`;
    const raw = isRecord(template) ? fromTemplate(template, item, at, issues) : item;
    if (raw === undefined) return;
    const parsed = parseSpec(raw, options);
    if (!parsed.ok) {
      const origin = isRecord(template) && isRecord(item) ? ` (database "${String(item.id)}" from the template)` : '';
      for (const issue of parsed.issues)
        issues.push({ path: issue.path ? `${at}.${issue.path}` : at, message: issue.message + origin });
      return;
    }
    if (parsed.spec.replication !== undefined) {
      issues.push({
        path: `${at}.replication`,
        message: 'binlog catch-up and cutover are not available in this version yet: remove the replication section',
      });
      return;
    }
    databases.push({ spec: parsed.spec, specHash: specHash(parsed.spec) });
  });
  if (issues.length === 0) issues.push(...crossChecks(databases));
  if (issues.length > 0 || typeof name !== 'string') return fail(issues);
  return { ok: true, fleet: { name, options: checkedOptions.options, databases } };
}

/** One database of the template form; undefined (with issues) when the item itself is malformed. */
function fromTemplate(template: Record<string, unknown>, item: unknown, at: string, issues: SpecIssue[]): unknown {
  if (!isRecord(item)) {
    issues.push({ path: at, message: 'must be { id, overrides? } (the manifest has a template)' });
    return undefined;
  }
  for (const key of Object.keys(item)) {
    if (!TEMPLATE_ITEM.includes(key))
      issues.push({ path: `${at}.${key}`, message: 'is not a known field; allowed: id, overrides (a partial spec)' });
  }
  if (typeof item.id !== 'string' || item.id.trim() === '') {
    issues.push({ path: `${at}.id`, message: `is required: the identifier that replaces ${ID_PLACEHOLDER}` });
    return undefined;
  }
  if (item.overrides !== undefined && !isRecord(item.overrides)) {
    issues.push({ path: `${at}.overrides`, message: 'must be a partial migration spec (an object)' });
    return undefined;
  }
  return expandTemplate(template, item.id, item.overrides);
}

/** Across databases: one Region, and no cluster or instance identifier twice. */
function crossChecks(databases: FleetDatabase[]): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const region = databases[0]?.spec.region;
  const seen = new Map<string, string>();
  databases.forEach(({ spec }, index) => {
    const at = `databases[${index}]`;
    if (spec.region !== region) {
      issues.push({
        path: `${at}.region`,
        message: `is ${spec.region}, but databases[0] is in ${region}: a fleet runs in one Region (a worker serves one); split the manifest by Region`,
      });
    }
    const ids = [
      [`${at}.restore.DBClusterIdentifier`, `cluster ${spec.restore.DBClusterIdentifier.toLowerCase()}`],
      ...spec.instances.map((i, n) => [
        `${at}.instances[${n}].DBInstanceIdentifier`,
        `instance ${i.DBInstanceIdentifier.toLowerCase()}`,
      ]),
    ] as const;
    for (const [path, key] of ids) {
      const first = seen.get(key);
      if (first) issues.push({ path, message: `repeats ${first} (${key}): every database needs its own identifiers` });
      else seen.set(key, path);
    }
  });
  return issues;
}

function fail(issues: SpecIssue[]): ParseManifestResult {
  if (issues.length <= MAX_ISSUES) return { ok: false, issues };
  return {
    ok: false,
    issues: [
      ...issues.slice(0, MAX_ISSUES),
      { path: '', message: `and ${issues.length - MAX_ISSUES} more issues (fix these first)` },
    ],
  };
}
