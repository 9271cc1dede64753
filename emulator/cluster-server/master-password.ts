/**
 * The master password a restored cluster's server gets: the spec's MasterUserPassword, or, with
 * ManageMasterUserPassword, one generated here (RDS generates it and keeps it in Secrets Manager). It lives only
 * in memory until the server is provisioned; it never enters the state file, a log line or a response.
 */
import { randomInt } from 'node:crypto';
import type { Params } from '../query-protocol';

/** Characters RDS allows in a master password: printable ASCII but space, `/`, `"` and `@`. */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#$%^&*()-_=+[]{}<>?.,:;~';

/** The password and whether the emulator generated it (ManageMasterUserPassword). */
export interface MasterPassword {
  password: string;
  /**
   * True for ManageMasterUserPassword: the one place that must store `password` as the cluster's managed
   * secret (MasterUserSecret.SecretArn) so that clients can read it.
   */
  generated: boolean;
}

/** A 28-character password from RDS's allowed characters. */
export function generateMasterPassword(length = 28): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** The master password of a RestoreDBClusterFromS3 request (already validated by the handler). */
export function masterPasswordOf(params: Params): MasterPassword {
  const given = params.optString('MasterUserPassword');
  return given === undefined
    ? { password: generateMasterPassword(), generated: true }
    : { password: given, generated: false };
}
