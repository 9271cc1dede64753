/**
 * The one boundary where AWS SDK errors become Temporal failures. Every activity that calls AWS passes its
 * errors through classifyAwsError, so retry behaviour is decided here and nowhere else.
 */
import { ApplicationFailure } from '@temporalio/common';
import { FailureTypes } from '../workflows/errors';

/** What we read from an AWS SDK v3 error (a ServiceException, or a Node network error). */
interface AwsErrorLike {
  name?: string;
  message?: string;
  code?: string;
  Code?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

/** Facts about one AWS error, without its stack, safe to put in failure details and logs. */
export interface AwsErrorFacts {
  name: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  sdkAttempts?: number;
}

const THROTTLING_NAMES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
]);

const TRANSIENT_NAMES = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'InternalError',
  'ServiceUnavailable',
  'AbortError',
]);

/**
 * The InvalidParameterValue messages RestoreDBClusterFromS3 returns while a new IAM role or bucket policy has
 * not yet propagated (Terraform retries the same ones; see aws-restore-facts §1.4).
 */
const PROPAGATION_PATTERNS = [
  /Files from the specified Amazon S3 bucket cannot be downloaded/i,
  /S3_SNAPSHOT_INGESTION/i,
  /S3 bucket cannot be found/i,
];

/** Secrets Manager errors that a retry cannot fix, with what to do about each (GetSecretValue's documented errors). */
const SECRET_UNAVAILABLE_ADVICE: Record<string, string | undefined> = {
  ResourceNotFoundException:
    "No such secret: create it, or correct the ARN (the worker reads it with its own credentials, in the ARN's Region).",
  InvalidRequestException:
    'The secret is scheduled for deletion or disabled: restore it (aws secretsmanager restore-secret) or name another.',
  AccessDeniedException:
    "Grant the worker's role secretsmanager:GetSecretValue on the secret (and kms:Decrypt on its key).",
  DecryptionFailure: "The worker cannot decrypt the secret: grant its role kms:Decrypt on the secret's KMS key.",
  InvalidParameterException: 'Secrets Manager refused the request: check that the ARN names a secret, not a version.',
};

/** Reads the facts of an error thrown by an AWS SDK client. */
export function awsErrorFacts(err: unknown): AwsErrorFacts {
  const e = (err ?? {}) as AwsErrorLike;
  return {
    name: e.name ?? e.Code ?? e.code ?? 'Error',
    message: e.message ?? String(err),
    httpStatus: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
    sdkAttempts: e.$metadata?.attempts,
  };
}

/** True when the error says RDS cannot use the ingestion role or bucket yet (IAM/S3 propagation). */
export function isPropagationError(err: unknown): boolean {
  const { name, message } = awsErrorFacts(err);
  return name === 'InvalidParameterValue' && PROPAGATION_PATTERNS.some((p) => p.test(message));
}

const ACCESS_DENIED_NAMES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'UnauthorizedAccess',
]);

/** True when AWS refused the caller a read it has no permission for (a check to report, not a failure). */
export function isAccessDeniedError(err: unknown): boolean {
  const { name, httpStatus } = awsErrorFacts(err);
  return ACCESS_DENIED_NAMES.has(name) || (httpStatus === 403 && name !== 'SignatureDoesNotMatch');
}

const NOT_FOUND_NAMES = new Set([
  'NoSuchEntity',
  'NoSuchEntityException',
  'NotFoundException',
  'DBSubnetGroupNotFoundFault',
  'DBParameterGroupNotFoundFault',
  'DBClusterParameterGroupNotFoundFault',
  'OptionGroupNotFoundFault',
  'DBClusterNotFoundFault',
  'DBInstanceNotFoundFault',
]);

/** True when a read-only lookup says the named resource does not exist (IAM, KMS and RDS spellings). */
export function isNotFoundError(err: unknown): boolean {
  return NOT_FOUND_NAMES.has(awsErrorFacts(err).name);
}

/**
 * True when the service does not implement the action (an emulator such as moto answers 500/501 with an HTML
 * page the SDK cannot parse): the caller should fall back to another way of checking, and say so.
 */
export function isNotImplementedError(err: unknown): boolean {
  const { name, message, httpStatus } = awsErrorFacts(err);
  return (
    name === 'NotImplemented' ||
    name === 'NotImplementedError' ||
    httpStatus === 501 ||
    (httpStatus === 500 && /not ?implemented|Deserialization error|XML parse error/i.test(message))
  );
}

/** True when AWS said to slow down (a throttling error code, the SDK's throttling flag, or HTTP 429). */
export function isThrottlingError(err: unknown): boolean {
  const e = (err ?? {}) as AwsErrorLike;
  const { name, httpStatus } = awsErrorFacts(err);
  return e.$retryable?.throttling === true || THROTTLING_NAMES.has(name) || httpStatus === 429;
}

/** True for throttling, 5xx and network errors: the ones a later attempt can fix by itself. */
export function isTransientAwsError(err: unknown): boolean {
  const e = (err ?? {}) as AwsErrorLike;
  const { name, httpStatus } = awsErrorFacts(err);
  if (isThrottlingError(err)) return true;
  if (TRANSIENT_NAMES.has(name)) return true;
  if (e.code && NETWORK_CODES.has(e.code)) return true;
  if (NETWORK_CODES.has(name)) return true;
  if (httpStatus !== undefined && [500, 502, 503, 504].includes(httpStatus)) return true;
  // No HTTP response at all (socket hang up, connection dropped): the request may or may not have landed.
  return httpStatus === undefined && e.$fault === undefined && /socket|network|ECONN|hang up/i.test(e.message ?? '');
}

/** How an AWS call ended, as the metrics count it: throttling apart from other transient errors. */
export type AwsCallOutcome = 'ok' | 'throttled' | 'transient' | 'error';

/** The outcome of a call that threw `err`, by the same rules as classifyAwsError. */
export function awsCallOutcome(err: unknown): Exclude<AwsCallOutcome, 'ok'> {
  if (isThrottlingError(err)) return 'throttled';
  return isTransientAwsError(err) ? 'transient' : 'error';
}

/** Options of classifyAwsError. */
export interface ClassifyOptions {
  /** What we were doing, e.g. `RestoreDBClusterFromS3 for cluster c1`; starts the failure message. */
  operation: string;
  /**
   * For RestoreDBClusterFromS3 only: when the propagation window (started at the activity's first attempt)
   * ends. Before it, propagation errors retry; after it, they fail with advice.
   */
  propagationDeadlineMs?: number;
  /** Now, in ms since the epoch. */
  nowMs?: number;
  /**
   * For Secrets Manager reads only: the spec field that names the secret (e.g. restore.MasterUserPasswordSecretArn).
   * A secret that cannot be read (missing, deleted, denied, undecryptable) then fails as SecretUnavailable.
   */
  secretField?: string;
}

/**
 * Turns any error from an AWS call into an ApplicationFailure: transient ones retryable, IAM/S3 propagation
 * retryable within its window, everything else non-retryable with the AWS code, message and request ID.
 */
export function classifyAwsError(err: unknown, options: ClassifyOptions): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const facts = awsErrorFacts(err);
  const where = `${options.operation}: ${facts.name}: ${facts.message}${facts.requestId ? ` (request ${facts.requestId})` : ''}`;
  if (isTransientAwsError(err)) {
    return ApplicationFailure.create({ type: FailureTypes.AwsTransient, message: where, details: [facts] });
  }
  if (options.secretField !== undefined && SECRET_UNAVAILABLE_ADVICE[facts.name] !== undefined) {
    return ApplicationFailure.create({
      type: FailureTypes.SecretUnavailable,
      nonRetryable: true,
      message: `${options.secretField}: the secret cannot be read (${where}). ${SECRET_UNAVAILABLE_ADVICE[facts.name]}`,
      details: [{ ...facts, field: options.secretField }],
    });
  }
  if (isPropagationError(err) && options.propagationDeadlineMs !== undefined) {
    const now = options.nowMs ?? Date.now();
    if (now < options.propagationDeadlineMs) {
      return ApplicationFailure.create({ type: FailureTypes.IamPropagation, message: where, details: [facts] });
    }
    return ApplicationFailure.create({
      type: FailureTypes.IamPropagationExpired,
      nonRetryable: true,
      message:
        `${where}. RDS still cannot read the bucket after the propagation window: check that S3IngestionRoleArn ` +
        'trusts rds.amazonaws.com, grants s3:ListBucket and s3:GetBucketLocation on the bucket and s3:GetObject ' +
        "on its objects (plus kms:Decrypt for SSE-KMS), that the bucket is in the cluster's Region, and that " +
        'the caller has iam:PassRole on the role.',
      details: [facts],
    });
  }
  return ApplicationFailure.create({
    type: FailureTypes.AwsRejected,
    nonRetryable: true,
    message: `${where}${adviceFor(facts.name)}`,
    details: [facts],
  });
}

function adviceFor(name: string): string {
  switch (name) {
    case 'DBSubnetGroupNotFoundFault':
      return '. Create the DB subnet group or fix DBSubnetGroupName.';
    case 'DBClusterQuotaExceededFault':
    case 'InstanceQuotaExceededFault':
    case 'StorageQuotaExceededFault':
      return '. Raise the quota in Service Quotas or delete unused resources.';
    case 'KMSKeyNotAccessibleFault':
      return '. Let the caller (and RDS) use the KMS key: check the key policy and that the key is enabled.';
    case 'InvalidS3BucketFault':
      return ". Check S3BucketName, that the bucket is in the cluster's Region, and that S3IngestionRoleArn can read it.";
    case 'AccessDenied':
    case 'AccessDeniedException':
      return '. Grant the caller the missing rds: action (and iam:PassRole on the ingestion role).';
    default:
      return '';
  }
}
