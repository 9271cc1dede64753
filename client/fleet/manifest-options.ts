/**
 * The `options` of a fleet manifest, checked field by field with messages that say what is allowed.
 */
import type { FleetOptions } from '../../workflows/fleet/types';
import { durationMs } from '../spec/rules';
import type { SpecIssue } from '../spec/issue';
import { isRecord } from './expand';

/** Most migrations a fleet may run at once: beyond this, RDS's shared API budget (12/s) is the bottleneck. */
export const MAX_IN_FLIGHT_LIMIT = 500;

const INTEGER_FIELDS: Record<string, { min: number; max: number; meaning: string }> = {
  maxInFlight: { min: 1, max: MAX_IN_FLIGHT_LIMIT, meaning: 'migrations running at once' },
  failureBudget: { min: 1, max: 1_000_000, meaning: 'failures after which no new migration starts' },
  waveSize: { min: 1, max: 1_000_000, meaning: 'databases per wave' },
  continueAsNewAfter: { min: 1, max: 10_000, meaning: 'databases per workflow run before continue-as-new' },
};
const DURATION_FIELDS = ['approvalTimeout', 'adoptedPollInterval'];
const KNOWN = [...Object.keys(INTEGER_FIELDS), ...DURATION_FIELDS, 'approvalBetweenWaves'];

/** Checks `options` (absent is fine); issues are under `options.<field>`. */
export function checkFleetOptions(value: unknown): { options: FleetOptions; issues: SpecIssue[] } {
  if (value === undefined) return { options: {}, issues: [] };
  if (!isRecord(value)) return { options: {}, issues: [{ path: 'options', message: 'must be an object' }] };
  const issues: SpecIssue[] = [];
  for (const [key, v] of Object.entries(value)) {
    const path = `options.${key}`;
    const range = INTEGER_FIELDS[key];
    if (range) {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < range.min || v > range.max)
        issues.push({ path, message: `must be a whole number from ${range.min} to ${range.max} (${range.meaning})` });
    } else if (DURATION_FIELDS.includes(key)) {
      const msValue = typeof v === 'string' || typeof v === 'number' ? durationMs(v) : NaN;
      if (!(msValue >= 1000))
        issues.push({ path, message: 'must be a duration of at least 1s, such as 30s, 5m or 7d' });
    } else if (key === 'approvalBetweenWaves') {
      if (typeof v !== 'boolean') issues.push({ path, message: 'must be true or false' });
    } else {
      issues.push({ path, message: `is not a known option; allowed: ${KNOWN.join(', ')}` });
    }
  }
  return { options: value, issues };
}
