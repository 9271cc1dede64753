/**
 * Authentication of the HTTP service. Bearer tokens on every route; HTTP Basic only where a route allows it
 * (`POST /events/rds`, because an SNS subscription can carry credentials only in its URL, which SNS sends as
 * Basic). Every comparison is of sha256 digests of equal length through `timingSafeEqual`, against every
 * configured value, so neither timing nor length reveals a secret.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A checker for `Authorization` header values against a fixed set of tokens. */
export function createTokenChecker(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  return createChecker(tokens, (authorization) => /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]);
}

/** A checker for `Authorization: Basic` values against fixed `user:password` pairs. */
export function createBasicChecker(pairs: readonly string[]): (authorization: string | undefined) => boolean {
  return createChecker(pairs, (authorization) => {
    const encoded = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization)?.[1];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  });
}

/** True when the header uses the Basic scheme (whether or not its credentials are right). */
export function isBasicScheme(authorization: string | undefined): boolean {
  return /^Basic\s/i.test(authorization ?? '');
}

function createChecker(secrets: readonly string[], extract: (authorization: string) => string | undefined) {
  const digests = secrets.map(digest);
  return (authorization: string | undefined): boolean => {
    const presented = extract(authorization ?? '');
    const presentedDigest = digest(presented ?? '');
    let accepted = false;
    for (const candidate of digests) accepted = timingSafeEqual(presentedDigest, candidate) || accepted;
    return accepted && presented !== undefined;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
