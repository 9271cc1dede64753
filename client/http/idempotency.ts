/**
 * Idempotency keys of `POST /migrations`: an in-process LRU from key to the spec hash and the migration it
 * started. Same key and body → the same answer; same key, different body → conflict. The cluster-derived
 * workflow ID (and its memo's spec hash) keeps retries idempotent across processes even when the LRU forgets.
 */

/** What one idempotency key was used for. */
export interface IdempotentStart {
  specHash: string;
  id: string;
  createdAt: string;
}

/** A bounded least-recently-used map of idempotency keys. */
export class IdempotencyCache {
  private readonly entries = new Map<string, IdempotentStart>();

  /** @param capacity most keys remembered. @default 10000 */
  constructor(private readonly capacity = 10_000) {}

  /** The start recorded for `key`, refreshed as most recently used. */
  get(key: string): IdempotentStart | undefined {
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** Records the start made for `key`, evicting the least recently used key when full. */
  set(key: string, entry: IdempotentStart): void {
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }
}
