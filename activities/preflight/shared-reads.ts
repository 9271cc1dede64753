/**
 * Answers that are the same for every migration of a burst (the engine version, the orderable classes, the
 * account's quotas, the named groups), kept by one worker for a short time and shared by its pre-flights, so
 * that a burst of N starts costs a few catalogue calls, not N of each. RDS meters every call of the account
 * against one budget; the pre-flight should spend it on what is this migration's own (its identifiers).
 */

/** How long a worker reuses a catalogue or quota answer: about a burst of starts, not longer. */
export const SHARED_READ_TTL_MS = 15_000;

/** Entries kept at most; expired ones are dropped first, then the oldest. */
const MAX_ENTRIES = 500;

interface Entry {
  value: Promise<unknown>;
  /** Absent while the read is in flight (a concurrent caller joins it). */
  expiresAt?: number;
}

/**
 * A read-through cache with in-flight sharing: concurrent callers of one key share one read; a failed read is
 * not kept (the next caller reads again), nor is an answer `keep` refuses (e.g. "not found", which the user may
 * fix at once and re-run).
 */
export class SharedReads {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs = SHARED_READ_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer for `key`: a live one, the one in flight, or a new `read()`. */
  get<T>(key: string, read: () => Promise<T>, keep: (value: T) => boolean = () => true): Promise<T> {
    const found = this.entries.get(key);
    if (found && (found.expiresAt === undefined || found.expiresAt > this.now())) return found.value as Promise<T>;
    const entry: Entry = { value: Promise.resolve() };
    const value = read().then(
      (answer) => {
        if (keep(answer)) entry.expiresAt = this.now() + this.ttlMs;
        else this.forget(key, entry);
        return answer;
      },
      (err: unknown) => {
        this.forget(key, entry);
        throw err;
      },
    );
    entry.value = value;
    this.prune();
    this.entries.set(key, entry);
    return value;
  }

  private forget(key: string, entry: Entry): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }

  private prune(): void {
    if (this.entries.size < MAX_ENTRIES) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.entries.delete(key);
    }
    // Map order is insertion order: the oldest go first.
    for (const key of this.entries.keys()) {
      if (this.entries.size < MAX_ENTRIES) break;
      this.entries.delete(key);
    }
  }
}
