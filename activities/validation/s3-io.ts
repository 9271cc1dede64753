/**
 * The S3 calls the validator makes: paginated listing, ranged GETs, the SSE-C probe and the bucket's Region.
 * S3 errors other than the documented "cannot tell" cases propagate for `classifyAwsError` to translate.
 */
import {
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ListedObject } from './layout';

/** Lists every object under `prefix` (all pages). */
export async function listAllObjects(
  s3: S3Client,
  bucket: string,
  prefix: string,
  signal?: AbortSignal,
): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix === '' ? undefined : prefix,
        ContinuationToken: token,
      }),
      { abortSignal: signal },
    );
    for (const o of page.Contents ?? []) {
      if (o.Key === undefined) continue;
      out.push(
        o.StorageClass === undefined
          ? { key: o.Key, size: o.Size ?? 0 }
          : { key: o.Key, size: o.Size ?? 0, storageClass: o.StorageClass },
      );
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token !== undefined);
  return out;
}

/** Reads bytes `[start, end)` of an object with one ranged GET. */
export async function getRange(
  s3: S3Client,
  bucket: string,
  key: string,
  start: number,
  end: number,
  signal?: AbortSignal,
): Promise<Buffer> {
  if (end <= start) return Buffer.alloc(0);
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }), {
    abortSignal: signal,
  });
  if (!res.Body) return Buffer.alloc(0);
  const bytes = await res.Body.transformToByteArray();
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** True when the object is encrypted with a customer-provided key (SSE-C), which Aurora cannot read. */
export async function isSseCustomerKeyObject(
  s3: S3Client,
  bucket: string,
  key: string,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: signal });
    return head.SSECustomerAlgorithm !== undefined;
  } catch (err) {
    // S3 answers a HEAD without the customer key with a bare 400 Bad Request.
    if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 400) return true;
    throw err;
  }
}

/** The bucket's Region (`''`/null/`EU` normalised), or undefined when the server does not implement the call. */
export async function bucketRegion(s3: S3Client, bucket: string, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const res = await s3.send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal: signal });
    const loc = res.LocationConstraint as string | undefined | null;
    if (loc === undefined || loc === null || loc === '') return 'us-east-1';
    return loc === 'EU' ? 'eu-west-1' : loc;
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NotImplemented' || e.$metadata?.httpStatusCode === 501 || e.$metadata?.httpStatusCode === 405)
      return undefined;
    throw err;
  }
}
