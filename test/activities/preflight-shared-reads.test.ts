/** The worker's shared pre-flight answers: one read per key while it lives, never a failure or a refused answer. */
import { SharedReads } from '../../activities/preflight/shared-reads';

function clock(start = 0) {
  const c = { now: start, read: () => c.now };
  return c;
}

test('concurrent and later callers of one key share one read until it expires', async () => {
  const time = clock();
  const cache = new SharedReads(1000, time.read);
  let reads = 0;
  const read = async () => {
    reads += 1;
    await new Promise((r) => setTimeout(r, 10));
    return reads;
  };
  expect(await Promise.all([cache.get('k', read), cache.get('k', read), cache.get('k', read)])).toEqual([1, 1, 1]);
  time.now = 999;
  expect(await cache.get('k', read)).toBe(1);
  time.now = 1000;
  expect(await cache.get('k', read)).toBe(2);
  expect(await cache.get('other', read)).toBe(3);
  expect(reads).toBe(3);
});

test('a failed read and an answer keep refuses are read again by the next caller', async () => {
  const cache = new SharedReads(60_000);
  let calls = 0;
  const failing = (): Promise<string> => {
    calls += 1;
    return Promise.reject(new Error('AccessDenied'));
  };
  await expect(cache.get('denied', failing)).rejects.toThrow('AccessDenied');
  await expect(cache.get('denied', failing)).rejects.toThrow('AccessDenied');
  expect(calls).toBe(2);

  let missing = 0;
  const notFound = (): Promise<string | undefined> => {
    missing += 1;
    return Promise.resolve(undefined);
  };
  const found = (v: unknown) => v !== undefined;
  expect(await cache.get('group', notFound, found)).toBeUndefined();
  expect(await cache.get('group', notFound, found)).toBeUndefined();
  expect(missing).toBe(2);
  expect(await cache.get('group', () => Promise.resolve('g'), found)).toBe('g');
  expect(await cache.get('group', notFound, found)).toBe('g');
  expect(missing).toBe(2);
});
