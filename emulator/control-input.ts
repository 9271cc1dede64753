/** Validation of the control endpoint's JSON bodies; every error names the offending field. */

/** Raised for a malformed control request; the control endpoint answers 400 `{ error }`. */
export class ControlInputError extends Error {
  override readonly name = 'ControlInputError';
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** Reads an object field, or undefined when absent. */
export function optObject(
  value: Record<string, unknown>,
  field: string,
  path: string,
): Record<string, unknown> | undefined {
  const raw = value[field];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ControlInputError(`${path}${field} must be an object`, `${path}${field}`);
  }
  return raw as Record<string, unknown>;
}

/** Reads a string field, or undefined when absent. */
export function optString(value: Record<string, unknown>, field: string, path: string): string | undefined {
  const raw = value[field];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || raw === '') {
    throw new ControlInputError(`${path}${field} must be a non-empty string`, `${path}${field}`);
  }
  return raw;
}

/** Reads a number field within [min, max], or undefined when absent. */
export function optNumber(
  value: Record<string, unknown>,
  field: string,
  path: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const raw = value[field];
  if (raw === undefined) return undefined;
  if (
    typeof raw !== 'number' ||
    !Number.isFinite(raw) ||
    raw < min ||
    raw > max ||
    (integer && !Number.isInteger(raw))
  ) {
    const kind = integer ? 'an integer' : 'a number';
    throw new ControlInputError(`${path}${field} must be ${kind} from ${min} to ${max}`, `${path}${field}`);
  }
  return raw;
}

/** Reads a string field that must be one of `allowed`. */
export function optEnum<T extends string>(
  value: Record<string, unknown>,
  field: string,
  path: string,
  allowed: readonly T[],
): T | undefined {
  const raw = optString(value, field, path);
  if (raw === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ControlInputError(`${path}${field} must be one of ${allowed.join(', ')}`, `${path}${field}`);
  }
  return raw as T;
}
