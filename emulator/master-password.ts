/**
 * The master password as Aurora keeps it: a one-way verifier (scrypt with a random salt), never the password.
 * Tests prove that a restore received a given password by asking whether a candidate matches, the way one
 * would check by logging in; nothing the emulator stores, logs or answers can give the password back.
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;
/** scrypt cost: low, since an emulator verifier guards test passwords and a restore must stay fast. */
const SCRYPT_OPTIONS = { N: 1024 };

/** `scrypt$<salt hex>$<hash hex>` of `password`. */
export function passwordVerifier(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(password, salt, KEY_LENGTH, SCRYPT_OPTIONS).toString('hex')}`;
}

/** True when `candidate` is the password `verifier` was made from. */
export function matchesVerifier(verifier: string, candidate: string): boolean {
  const [scheme, salt, hash] = verifier.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'hex');
  return timingSafeEqual(scryptSync(candidate, Buffer.from(salt, 'hex'), expected.length, SCRYPT_OPTIONS), expected);
}
