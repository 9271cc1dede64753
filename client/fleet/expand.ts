/**
 * The template form of a fleet manifest: one spec with `{id}` placeholders, and per database an identifier and
 * optional overrides. Expansion is pure: substitution first, then the overrides merged on top.
 */

/** The placeholder every string of the template may contain; replaced by the database's `id`. */
export const ID_PLACEHOLDER = '{id}';

/**
 * The spec of one database: `template` with `{id}` replaced by `id` in every string, `DBClusterIdentifier`
 * defaulting to `id`, then `overrides` merged in (objects merge key by key; lists and values replace).
 */
export function expandTemplate(template: Record<string, unknown>, id: string, overrides?: unknown): unknown {
  const substituted = substitute(template, id) as Record<string, unknown>;
  const restore = isRecord(substituted.restore) ? substituted.restore : {};
  const withId = { ...substituted, restore: { DBClusterIdentifier: id, ...restore } };
  return overrides === undefined ? withId : merge(withId, overrides);
}

function substitute(value: unknown, id: string): unknown {
  if (typeof value === 'string') return value.split(ID_PLACEHOLDER).join(id);
  if (Array.isArray(value)) return value.map((v) => substitute(v, id));
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, id)]));
  return value;
}

function merge(base: unknown, over: unknown): unknown {
  if (!isRecord(base) || !isRecord(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

/** True for a plain object (not a list, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
