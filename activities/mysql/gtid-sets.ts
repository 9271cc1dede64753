/**
 * GTID set arithmetic on MySQL's text form (`uuid:1-5:7,uuid2:1-3`): whether one set contains another, and how
 * many transactions one has that another lacks. Used to decide "caught up" in GTID mode, where comparing
 * `Seconds_Behind_*` alone would lose writes.
 */

/** Intervals per server UUID (or `uuid:tag` on 8.4), inclusive, sorted and merged. */
export type GtidSet = Map<string, Array<[number, number]>>;

/** Parses MySQL's text form; whitespace and newlines are ignored, an empty string is the empty set. */
export function parseGtidSet(text: string): GtidSet {
  const set: GtidSet = new Map();
  for (const part of text.replace(/\s+/g, '').split(',')) {
    if (!part) continue;
    const pieces = part.split(':');
    const uuid = pieces[0]!.toLowerCase();
    const intervals = set.get(uuid) ?? [];
    let tag = '';
    for (const piece of pieces.slice(1)) {
      const match = /^(\d+)(?:-(\d+))?$/.exec(piece);
      if (!match) {
        tag = `:${piece.toLowerCase()}`;
        continue;
      }
      const start = Number(match[1]);
      const end = Number(match[2] ?? match[1]);
      if (tag) {
        const tagged = set.get(uuid + tag) ?? [];
        tagged.push([start, end]);
        set.set(uuid + tag, tagged);
      } else {
        intervals.push([start, end]);
      }
    }
    if (intervals.length) set.set(uuid, intervals);
  }
  for (const [key, intervals] of set) set.set(key, merge(intervals));
  return set;
}

function merge(intervals: Array<[number, number]>): Array<[number, number]> {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** How many transactions of `wanted` are missing from `have`. */
export function missingTransactions(have: string | GtidSet, wanted: string | GtidSet): number {
  const a = typeof have === 'string' ? parseGtidSet(have) : have;
  const b = typeof wanted === 'string' ? parseGtidSet(wanted) : wanted;
  let missing = 0;
  for (const [uuid, intervals] of b) {
    const covered = a.get(uuid) ?? [];
    for (const [start, end] of intervals) {
      let count = end - start + 1;
      for (const [cs, ce] of covered) {
        const overlap = Math.min(end, ce) - Math.max(start, cs) + 1;
        if (overlap > 0) count -= overlap;
      }
      missing += count;
    }
  }
  return missing;
}

/** True when `have` contains every transaction of `wanted`. */
export function gtidSetContains(have: string | GtidSet, wanted: string | GtidSet): boolean {
  return missingTransactions(have, wanted) === 0;
}
