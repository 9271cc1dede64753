/**
 * RDS's API rate limit: one token bucket for every action of an account and Region together (a burst of 300
 * requests, refilled at 12 a second, per aws-restore-facts.md §7). A call that finds the bucket empty is answered
 * `Throttling` / "Rate exceeded" with HTTP 400, exactly as RDS answers, and is not carried out.
 */

/** How the bucket behaves. */
export interface RateLimitSettings {
  /** Off lets every call through. @default true */
  enabled: boolean;
  /** Tokens the bucket holds when full (requests a burst may make). @default 300 */
  burst: number;
  /** Tokens added per second. @default 12 */
  ratePerSecond: number;
}

/** RDS's documented defaults. */
export const DEFAULT_RATE_LIMIT: RateLimitSettings = { enabled: true, burst: 300, ratePerSecond: 12 };

/** A bad rate-limit setting; the message names the field. */
export class RateLimitError extends Error {
  override readonly name = 'RateLimitError';
}

/** Reads settings from JSON (a control body or a flag), keeping unspecified fields from `base`. */
export function parseRateLimit(value: unknown, source: string, base: RateLimitSettings): RateLimitSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RateLimitError(`${source} must be an object such as {"enabled":true,"burst":300,"ratePerSecond":12}`);
  }
  const result = { ...base };
  for (const [key, field] of Object.entries(value)) {
    if (key === 'enabled') {
      if (typeof field !== 'boolean') throw new RateLimitError(`${source}.enabled must be true or false`);
      result.enabled = field;
    } else if (key === 'burst' || key === 'ratePerSecond') {
      if (typeof field !== 'number' || !Number.isFinite(field) || field <= 0) {
        throw new RateLimitError(`${source}.${key} must be a positive number, got ${JSON.stringify(field)}`);
      }
      result[key] = field;
    } else {
      throw new RateLimitError(`${source}.${key} is not a setting (allowed: enabled, burst, ratePerSecond)`);
    }
  }
  return result;
}

/** The account-and-Region bucket. Time is passed in so that tests and callers share one clock. */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private current: RateLimitSettings,
    now: number = Date.now(),
  ) {
    this.tokens = current.burst;
    this.updatedAt = now;
  }

  /** The settings in force. */
  get settings(): RateLimitSettings {
    return { ...this.current };
  }

  /** Replaces the settings and refills the bucket (a new budget starts full, as after a quiet period). */
  configure(settings: RateLimitSettings, now: number = Date.now()): void {
    this.current = { ...settings };
    this.tokens = settings.burst;
    this.updatedAt = now;
  }

  /** Takes one token; false means the call is throttled. Always true when the limit is off. */
  take(now: number = Date.now()): boolean {
    if (!this.current.enabled) return true;
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Tokens available now (fractional), for the control endpoint. */
  available(now: number = Date.now()): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.current.burst, this.tokens + elapsed * this.current.ratePerSecond);
    this.updatedAt = now;
  }
}
