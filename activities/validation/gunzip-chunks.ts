/**
 * Gunzips an async byte source as an async generator. Stopping early (the consumer breaks out of its loop, or
 * returns) is a normal end, not an error: it ends the inflater and the source quietly. `stream/promises`'
 * `pipeline` with an async-function destination treats that early return as an abort and rejects with
 * `AbortError`, which is how quick mode's early stop on a `.tar.gz` once became the validation's result.
 */
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Yields the gunzipped bytes of `source`; corrupt gzip data throws zlib's error (`code` `Z_…`). */
export async function* gunzipChunks(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  const input = Readable.from(source);
  const inflater = createGunzip();
  // The callback form forwards an error of either side to the other (a failed GET fails the loop below) and,
  // unlike the promise form, owns no abort of its own; its premature-close report on an early stop is expected.
  pipeline(input, inflater, () => undefined);
  let finished = false;
  try {
    for await (const buf of inflater as AsyncIterable<Buffer>) yield buf;
    finished = true;
  } finally {
    if (!finished) {
      inflater.destroy();
      input.destroy();
    }
  }
}
