/**
 * A client-side budget for one process's RDS calls: a token bucket that makes a request wait (never fail) for
 * its turn, added to the RDS client as middleware after the SDK's retry step, so that every attempt, retried or
 * not, is counted. Waiting here keeps this worker's share of the account's RDS budget (12 a second for every
 * caller together) no matter how many migrations it runs.
 */
import type { RDSClient, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-rds';
import type { FinalizeRequestMiddleware } from '@smithy/types';

type FinalizeMiddleware = FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes>;

/** Hands out one token per request at `ratePerSecond`, at most `burst` at once, in arrival order. */
export class RequestLimiter {
  private tokens: number;
  private updatedAt = Date.now();
  private readonly queue: Array<() => void> = [];
  private timer: NodeJS.Timeout | undefined;
  /** Requests that had to wait for a token, since start. */
  delayed = 0;
  /** Requests let through, since start (each SDK attempt is one). */
  granted = 0;

  constructor(
    readonly ratePerSecond: number,
    readonly burst: number,
  ) {
    this.tokens = burst;
  }

  /** Resolves when this request may go. */
  acquire(): Promise<void> {
    this.refill();
    if (this.queue.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      this.granted += 1;
      return Promise.resolve();
    }
    this.delayed += 1;
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.schedule();
    });
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.updatedAt) / 1000) * this.ratePerSecond);
    this.updatedAt = now;
  }

  private schedule(): void {
    if (this.timer) return;
    const waitMs = Math.max(0, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.queue.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.granted += 1;
        this.queue.shift()?.();
      }
      if (this.queue.length > 0) this.schedule();
    }, waitMs);
  }
}

/** Makes every request of `client` (each attempt) wait for a token of `limiter`; returns the client. */
export function limitRequests(client: RDSClient, limiter: RequestLimiter): RDSClient {
  const waitForToken: FinalizeMiddleware = (next) => async (args) => {
    await limiter.acquire();
    return next(args);
  };
  client.middlewareStack.addRelativeTo(waitForToken, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'auroraMigrateRequestLimiter',
    override: true,
  });
  return client;
}
