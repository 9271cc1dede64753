/** Parameter rules RDS enforces server-side (the SDK checks nothing, not even required members). */
import { invalidCombination, invalidValue } from './errors';
import type { Params } from './query-protocol';
import type { TagRecord } from './records';

/** Validates an RDS identifier (1–63, letter first, letters/digits/hyphens, no `--`, no trailing `-`); lower-cases it. */
export function validIdentifier(name: string, value: string): string {
  const ok = /^[A-Za-z][A-Za-z0-9-]{0,62}$/.test(value) && !value.endsWith('-') && !value.includes('--');
  if (!ok) {
    throw invalidValue(
      `The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ` +
        'ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.',
    );
  }
  return value.toLowerCase();
}

/** Words the engine reserves, which cannot be the master user name. */
const RESERVED_USERNAMES = new Set(['rdsadmin', 'root', 'mysql', 'select', 'user', 'table', 'database']);

/** Validates MasterUsername: 1–16 letters or digits, starting with a letter, not reserved. */
export function validateMasterUsername(value: string): void {
  if (!/^[A-Za-z][A-Za-z0-9]{0,15}$/.test(value)) {
    throw invalidValue(
      'The parameter MasterUsername is not a valid identifier. It must be 1 to 16 letters or digits and begin with a letter.',
    );
  }
  if (RESERVED_USERNAMES.has(value.toLowerCase())) {
    throw invalidValue(`MasterUsername ${value} cannot be used as it is a reserved word used by the engine`);
  }
}

/** Validates a master password (8–41 printable ASCII, no `/`, `"`, `@` or space) without ever echoing it. */
export function validatePassword(value: string): void {
  if (value.length < 8) {
    throw invalidValue(
      'The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.',
    );
  }
  if (value.length > 41) {
    throw invalidValue(
      'The parameter MasterUserPassword is not a valid password because it is longer than 41 characters.',
    );
  }
  if (!/^[\x21-\x7e]+$/.test(value) || /[/"@]/.test(value)) {
    throw invalidValue(
      `The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '"', ' ' may be used.`,
    );
  }
}

/** The major (`5.7` or `8.0`) of a SourceEngineVersion such as `8.0.36` or `5.7`. */
export function sourceMajor(value: string): '5.7' | '8.0' {
  const match = /^(5\.7|8\.0)(\.\d+)?$/.exec(value);
  if (!match) {
    throw invalidValue(`Invalid source engine version: ${value}. MySQL versions 5.7 and 8.0 are supported.`);
  }
  return match[1] as '5.7' | '8.0';
}

/** The Aurora version used when EngineVersion is omitted, per source major (an emulator choice). */
export const DEFAULT_ENGINE_VERSIONS = { '5.7': '5.7.mysql_aurora.2.12.4', '8.0': '8.0.mysql_aurora.3.10.0' } as const;

/** Checks EngineVersion's format and that its major matches the source (5.7 ↔ Aurora 2, 8.0 ↔ Aurora 3). */
export function resolveEngineVersion(engineVersion: string | undefined, major: '5.7' | '8.0', source: string): string {
  if (engineVersion === undefined) return DEFAULT_ENGINE_VERSIONS[major];
  const match = /^(5\.7|8\.0)\.mysql_aurora\.([23])\.\d+(\.\d+)?$/.exec(engineVersion);
  if (!match || (match[1] === '5.7') !== (match[2] === '2')) {
    throw invalidValue(`Cannot find version ${engineVersion} for aurora-mysql`);
  }
  if (match[1] !== major) {
    throw invalidCombination(
      `The source engine version ${source} is not compatible with the DB engine version ${engineVersion}: ` +
        'a restore from Amazon S3 must keep the same major version.',
    );
  }
  return engineVersion;
}

/** Validates a DB instance class: `db.<family>.<size>` or `db.serverless`. */
export function validateInstanceClass(value: string): void {
  if (value !== 'db.serverless' && !/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(value)) {
    throw invalidValue(`Invalid DB Instance class: ${value}`);
  }
}

/** The request's `Tags.Tag.N.{Key,Value}`; later duplicates of a key win. */
export function tagsParam(params: Params): TagRecord[] {
  const byKey = new Map<string, string>();
  for (const tag of params.structList('Tags', 'Tag')) {
    const key = tag.optString('Key');
    if (key === undefined) throw invalidValue('Tag keys must not be empty.');
    if (key.length > 128) throw invalidValue(`Tag key ${key} is longer than 128 characters.`);
    byKey.set(key, tag.optString('Value') ?? '');
  }
  return [...byKey].map(([key, value]) => ({ key, value }));
}

/** `MaxRecords` (20–100, default 100) and `Marker` (an offset the emulator issued). */
export function paging(params: Params): { maxRecords: number; offset: number } {
  const maxRecords = params.optInteger('MaxRecords') ?? 100;
  if (maxRecords < 20 || maxRecords > 100) {
    throw invalidValue(`Invalid value ${maxRecords} for MaxRecords. Must be between 20 and 100.`);
  }
  const marker = params.optString('Marker');
  if (marker !== undefined && !/^\d+$/.test(marker)) throw invalidValue(`Invalid Marker: ${marker}`);
  return { maxRecords, offset: marker === undefined ? 0 : Number(marker) };
}

/** One page of items and the Marker of the next page, if any. */
export function page<T>(items: T[], params: Params): { items: T[]; marker?: string } {
  const { maxRecords, offset } = paging(params);
  const end = offset + maxRecords;
  return { items: items.slice(offset, end), marker: end < items.length ? String(end) : undefined };
}

/** Most values one filter of a Describe call takes. */
export const MAX_FILTER_VALUES = 100;

/** The request's `Filters.Filter.N` as name → values; names outside `allowed` are rejected. */
export function filtersParam(params: Params, allowed: string[]): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const filter of params.structList('Filters', 'Filter')) {
    const name = filter.optString('Name');
    if (name === undefined || !allowed.includes(name)) {
      throw invalidValue(`Unrecognized filter name: ${name ?? ''}`);
    }
    const values = [...(filters.get(name) ?? []), ...filter.stringList('Values', 'Value')];
    // RDS bounds a filter's values; one call covers at most 100 resources (the exact wording is unconfirmed).
    if (values.length > MAX_FILTER_VALUES) {
      throw invalidValue(
        `The filter ${name} accepts at most ${MAX_FILTER_VALUES} values; ${values.length} were given.`,
      );
    }
    filters.set(name, values);
  }
  return filters;
}
