/**
 * The value rules of RestoreDBClusterFromS3 and CreateDBInstance parameters, as predicates that return the
 * reason a value is wrong (or undefined when it is fine). Messages say what is allowed and never echo the value,
 * so that a password cannot leak through an error.
 */
import { msToNumber, type Duration } from '@temporalio/common/lib/time';

/** A rule: undefined when the value is acceptable, otherwise what is wrong and what is allowed. */
export type Rule = (value: string) => string | undefined;

/** RDS cluster and instance identifiers: 1–63 letters, digits or hyphens, letter first, no `--` or trailing `-`. */
export const identifierRule: Rule = (value) => {
  if (value.length < 1 || value.length > 63) return `must be 1 to 63 characters long (got ${value.length})`;
  if (!/^[A-Za-z]/.test(value)) return 'must start with a letter';
  if (!/^[A-Za-z0-9-]+$/.test(value)) return 'may contain only letters, digits and hyphens';
  if (value.endsWith('-')) return 'must not end with a hyphen';
  if (value.includes('--')) return 'must not contain two consecutive hyphens';
  return undefined;
};

/** AWS Region names such as `us-east-1`, `eu-central-1`, `us-gov-west-1`, `cn-north-1`. */
export const regionRule: Rule = (value) =>
  /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2}$/.test(value)
    ? undefined
    : 'must be an AWS Region name such as us-east-1 or eu-west-2';

/** S3 general purpose bucket naming rules. */
export const bucketRule: Rule = (value) => {
  if (value.length < 3 || value.length > 63) return `must be 3 to 63 characters long (got ${value.length})`;
  if (!/^[a-z0-9.-]+$/.test(value)) return 'may contain only lower-case letters, digits, dots and hyphens';
  if (!/^[a-z0-9]/.test(value) || !/[a-z0-9]$/.test(value)) return 'must begin and end with a letter or digit';
  if (value.includes('..')) return 'must not contain two adjacent dots';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(value)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(value)) return 'must not start with xn--, sthree- or amzn-s3-demo-';
  if (/(-s3alias|--ol-s3|--x-s3|--table-s3)$/.test(value))
    return 'must not end with a reserved suffix (-s3alias, --ol-s3)';
  return undefined;
};

/** An IAM role ARN, in the aws, aws-cn or aws-us-gov partition. */
export const roleArnRule: Rule = (value) =>
  /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/.test(value)
    ? undefined
    : 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/aurora-s3-import';

const RESERVED_USERNAMES = new Set(['rdsadmin', 'rdsrepladmin', 'rdsproxyadmin', 'mysql', 'root']);

/** Aurora MySQL master user names: 1–16 letters or digits, letter first, not a reserved name. */
export const masterUsernameRule: Rule = (value) => {
  if (value.length < 1 || value.length > 16) return `must be 1 to 16 characters long (got ${value.length})`;
  if (!/^[A-Za-z]/.test(value)) return 'must start with a letter';
  if (!/^[A-Za-z0-9]+$/.test(value)) return 'may contain only letters and digits';
  if (RESERVED_USERNAMES.has(value.toLowerCase())) return 'is a name Aurora reserves; choose another (e.g. admin)';
  return undefined;
};

/** Aurora MySQL master passwords: 8–41 printable ASCII characters except space, `/`, `"` and `@`. */
export const masterPasswordRule: Rule = (value) => {
  if (value.length < 8 || value.length > 41) return `must be 8 to 41 characters long (got ${value.length})`;
  if (!/^[\x21-\x7e]+$/.test(value)) return 'may contain only printable ASCII characters (no spaces)';
  if (/[/"@]/.test(value)) return 'must not contain /, " or @';
  return undefined;
};

/** `5.7` or `8.0`, optionally with a minor: `5.7.44`, `8.0.36`. */
export const sourceEngineVersionRule: Rule = (value) =>
  /^(5\.7|8\.0)(\.\d{1,3})?$/.test(value)
    ? undefined
    : 'must be a MySQL 5.7 or 8.0 version such as 5.7.44 or 8.0.36 (8.4 and 5.6 sources are not supported)';

/** Aurora MySQL versions: `5.7.mysql_aurora.2.x.y` or `8.0.mysql_aurora.3.x.y`. */
export const engineVersionRule: Rule = (value) =>
  /^(5\.7\.mysql_aurora\.2|8\.0\.mysql_aurora\.3)\.\d{1,2}\.\d{1,2}$/.test(value)
    ? undefined
    : 'must be an Aurora MySQL version such as 5.7.mysql_aurora.2.12.0 or 8.0.mysql_aurora.3.04.0';

/** The MySQL major (`5.7` or `8.0`) of a source or Aurora engine version. */
export function mysqlMajor(version: string): string {
  return version.slice(0, 3);
}

/** Instance classes: `db.<family>.<size>` (e.g. `db.r6g.large`) or `db.serverless`. */
export const instanceClassRule: Rule = (value) =>
  value === 'db.serverless' || /^db\.[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(value)
    ? undefined
    : 'must be an instance class such as db.r6g.large or db.serverless';

/** Temporal durations: `500ms`, `30s`, `5m`, `48h`, `7d`. */
export const durationRule: Rule = (value) =>
  /^\d+(\.\d+)? *(ms|s|m|h|d)$/.test(value)
    ? undefined
    : 'must be a duration such as 30s, 5m, 48h or 7d, or a number of milliseconds';

/**
 * Milliseconds of a duration, read exactly as the workflow will read it (Temporal's parser); NaN when it cannot
 * be read (zod runs refinements even on a value another check already refused).
 */
export function durationMs(value: string | number): number {
  try {
    return msToNumber(value as Duration);
  } catch {
    return NaN;
  }
}

/** VPC security group IDs such as `sg-0123456789abcdef0`. */
export const securityGroupRule: Rule = (value) =>
  /^sg-[0-9a-f]{8,17}$/.test(value) ? undefined : 'must be a security group ID such as sg-0123456789abcdef0';

/** `hh24:mi-hh24:mi` in UTC. */
export const backupWindowRule: Rule = (value) =>
  /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(value)
    ? undefined
    : 'must be hh24:mi-hh24:mi in UTC, e.g. 03:00-03:30';

/** `ddd:hh24:mi-ddd:hh24:mi` in UTC. */
export const maintenanceWindowRule: Rule = (value) =>
  /^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$/i.test(
    value,
  )
    ? undefined
    : 'must be ddd:hh24:mi-ddd:hh24:mi in UTC, e.g. sun:05:00-sun:05:30';

/** AWS Directory Service directory IDs such as `d-1234567890` (Kerberos `Domain`). */
export const domainRule: Rule = (value) =>
  /^d-[0-9a-f]{10}$/.test(value) ? undefined : 'must be a Directory Service directory ID such as d-1234567890';

/** IAM role names (not ARNs): 1–64 of letters, digits and `+=,.@_-`. */
export const roleNameRule: Rule = (value) =>
  /^[\w+=,.@-]{1,64}$/.test(value)
    ? undefined
    : 'must be an IAM role name (not an ARN) of 1–64 letters, digits or +=,.@_- such as rds-directory-access';
