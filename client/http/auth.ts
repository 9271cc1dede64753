/**
 * Bearer-token authentication: the presented token is compared with every configured token in constant time
 * (sha256 digests of equal length through `timingSafeEqual`), so neither timing nor length reveals a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

/** A checker for `Authorization` header values against a fixed set of tokens. */
export function createTokenChecker(tokens: readonly string[]): (authorization: string | undefined) => boolean {
  const digests = tokens.map(digest);
  return (authorization) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const presented = digest(match?.[1] ?? '');
    let accepted = false;
    for (const candidate of digests) accepted = timingSafeEqual(presented, candidate) || accepted;
    return accepted && match !== null;
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
