/**
 * The `replication` section's schema: the source MySQL Aurora replicates from, the mode, the cutover policy and
 * its limits. Cross-field rules (exactly one password form, literal passwords only over encrypted payloads) live
 * in `replication-combinations.ts`.
 */
import { z } from 'zod';
import { CutoverModes, ReplicationModes, VerifyModes } from '../../workflows/replication-types';
import * as rules from './rules';

/** Host names and IP addresses; the procedures quote them into CHANGE MASTER TO, so no quotes or spaces. */
const HOST_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9.:-]{0,253}[A-Za-z0-9])?$/;

/** MySQL 5.7 and 8.0 user names: at most 32 characters (5.7: 32 since 5.7.8); no quotes (the procedures' quoting). */
const USER_PATTERN = /^[A-Za-z0-9_.$-]{1,32}$/;

/** A Secrets Manager secret's ARN (any partition), as the spec's `…SecretArn` fields take it. */
export const SECRET_ARN_PATTERN = /^arn:aws(-cn|-us-gov)?:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;

const duration = z
  .union([
    z.number().int({ error: 'must be a whole number of milliseconds' }).positive({ error: 'must be positive' }),
    z
      .string()
      .superRefine((value, ctx) => {
        const reason = rules.durationRule(value);
        if (reason) ctx.addIssue({ code: 'custom', message: reason });
      })
      .meta({ description: 'Duration such as 30s, 5m, 48h, 7d.' }),
  ])
  .meta({ description: 'A duration: a string such as 30s, 48h, 7d, or milliseconds.' });

/** A duration of at least `minMs`, refused with `why` otherwise. */
function atLeast(minMs: number, why: string) {
  return duration.refine((value) => rules.durationMs(value) >= minMs, { error: why });
}

/** The source MySQL, as the Aurora writer connects to it. */
export const replicationSourceSchema = z
  .strictObject({
    host: z
      .string()
      .regex(HOST_PATTERN, {
        error: 'must be a host name or IP address the Aurora writer can reach (no spaces or quotes)',
      })
      .meta({ description: 'Host name or IP address of the source, reachable from the Aurora writer.' }),
    port: z
      .number()
      .int({ error: 'must be a whole number from 1 to 65535' })
      .min(1, { error: 'must be at least 1' })
      .max(65535, { error: 'must be at most 65535' })
      .meta({ description: 'Port of the source. @default 3306' })
      .optional(),
    user: z
      .string()
      .regex(USER_PATTERN, { error: 'must be a MySQL user name of 1–32 letters, digits, _ . $ or -' })
      .meta({ description: 'Replication user: REPLICATION SLAVE and REPLICATION CLIENT on the source.' }),
    passwordSecretArn: z
      .string()
      .regex(SECRET_ARN_PATTERN, {
        error:
          'must be a Secrets Manager secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:secret:repl-AbCdEf',
      })
      .meta({ description: 'Secrets Manager secret with the password (JSON key "password", or the whole string).' })
      .optional(),
    password: z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(256, { error: 'must be at most 256 characters long' })
      .refine((value) => !/["'\\]/.test(value), {
        error: 'must not contain quotes or backslashes (the RDS procedures quote it into CHANGE MASTER TO)',
      })
      .meta({
        description:
          'Literal password; only when payloads are encrypted (AURORA_MIGRATE_CODEC_KEYS). Prefer passwordSecretArn.',
        writeOnly: true,
      })
      .optional(),
    tls: z
      .boolean({ error: 'must be true or false' })
      .meta({ description: 'Encrypt the replication connection (ssl_encryption = 1). @default false' })
      .optional(),
  })
  .meta({ description: 'The source MySQL the cluster replicates from.' });

/** Replication from the source after the restore, and the cutover. */
export const replicationSchema = z
  .strictObject({
    source: replicationSourceSchema,
    mode: z
      .enum(ReplicationModes, { error: 'must be binlog-position or gtid' })
      .meta({
        description: 'binlog-position (the backup’s file/position) or gtid (auto-position). @default binlog-position',
      })
      .optional(),
    cutover: z
      .enum(CutoverModes, { error: 'must be manual or automatic' })
      .meta({
        description: 'manual (a cutover request with by/reason) or automatic (lag ≤ maxLagSeconds). @default manual',
      })
      .optional(),
    maxLagSeconds: z
      .number()
      .int({ error: 'must be a whole number of seconds from 0 to 3600' })
      .min(0, { error: 'must be at least 0' })
      .max(3600, { error: 'must be at most 3600' })
      .meta({ description: 'Automatic cutover: lag, in seconds, consecutive reads must stay at or under. @default 5' })
      .optional(),
    freezeTimeout: atLeast(5_000, 'must be at least 5s (the source must stay read-only long enough to drain)')
      .refine((value) => rules.durationMs(value) <= 24 * 3600_000, {
        error: 'must be at most 24h (the source is read-only, i.e. down for writes, all that time)',
      })
      .meta({ description: 'Longest time the source may stay read-only during the cutover. @default 5m' })
      .optional(),
    verify: z
      .enum(VerifyModes, { error: 'must be checksum, counts or none' })
      .meta({ description: 'Per-table check at cutover: CHECKSUM TABLE, COUNT(*), or none. @default checksum' })
      .optional(),
    statusInterval: atLeast(1_000, 'must be at least 1s (each read is an activity heartbeat)')
      .meta({ description: 'How often replication status is read while catching up. @default 10s' })
      .optional(),
    cutoverTimeout: duration
      .meta({ description: 'How long a manual cutover waits for its request. @default 7d' })
      .optional(),
  })
  .meta({
    description:
      'Binlog replication from the source into the restored cluster, then a cutover. Validated, but a start with ' +
      'this section is refused in this version (catch-up and cutover are not built yet): set replication up by ' +
      "hand from the result's binlog coordinates.",
  });
