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
  /** The error this one wraps (fetch's `TypeError: fetch failed` holds the socket's error here). */
  cause?: unknown;
  /** An AggregateError's errors (Node's connect to every address of a name, when all of them fail). */
  errors?: unknown;
}

/** Facts about one AWS error, without its stack, safe to put in failure details and logs. */
export interface AwsErrorFacts {
  name: string;
  message: string;
  httpStatus?: number;
  requestId?: string;
  sdkAttempts?: number;
  /**
   * The Node network error code (ECONNREFUSED, ENOTFOUND, …) of the error or of one it wraps: the request got
   * no HTTP response at all.
   */
  networkCode?: string;
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

/**
 * The network error in `err` or in the errors it wraps (`cause`, an AggregateError's `errors`), a few levels
 * deep. The SDK's Node handler throws the socket's error itself, but its fetch handler (and anything built on
 * fetch) throws `TypeError: fetch failed` with the socket's error as `cause`: both are the same outage.
 */
function networkErrorIn(err: unknown, depth = 0): AwsErrorLike | undefined {
  if (depth > 4 || err === null || typeof err !== 'object') return undefined;
  const e = err as AwsErrorLike;
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e;
  if (typeof e.name === 'string' && NETWORK_CODES.has(e.name)) return e;
  const wrapped = [e.cause, ...(Array.isArray(e.errors) ? (e.errors as unknown[]) : [])];
  for (const inner of wrapped) {
    const found = networkErrorIn(inner, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * A network code named in the text of an error that got no HTTP response. The SDK's retry middleware rewraps
 * anything that is not an `Error` of its own realm as `new Error("AWS SDK error wrapper for " + err)`, which keeps
 * only the text: a socket error thrown across realms (jest's sandbox, a vm context) arrives that way, its code and
 * cause gone.
 */
function networkCodeInText(e: AwsErrorLike, message: string): string | undefined {
  if (e.$metadata?.httpStatusCode !== undefined || e.$fault !== undefined) return undefined;
  const words = message.match(/\b(?:E[A-Z_]+|UND_ERR_[A-Z_]+)\b/g) ?? [];
  return words.find((word) => NETWORK_CODES.has(word));
}

/** Reads the facts of an error thrown by an AWS SDK client. */
export function awsErrorFacts(err: unknown): AwsErrorFacts {
  const e = (err ?? {}) as AwsErrorLike;
  const network = networkErrorIn(err);
  const raw = e.message || String(err);
  // An error status whose body is not in the protocol's format (moto answers KMS's JSON protocol with XML
  // errors; proxies answer with HTML): the parse error alone would hide that the service did answer, and how.
  const own =
    e.$metadata?.httpStatusCode !== undefined && /Deserialization error/.test(raw)
      ? `HTTP ${e.$metadata.httpStatusCode} with a body the SDK could not parse (Deserialization error: ${raw.split('\n')[0]})`
      : raw;
  // A wrapper's own message ("fetch failed") says nothing of the cause: name the socket's error too.
  const inner = network && network !== e && network.message ? network.message : undefined;
  const message = inner && !own.includes(inner) ? `${own} (${inner})` : own;
  return {
    name: e.name ?? e.Code ?? e.code ?? 'Error',
    message,
    httpStatus: e.$metadata?.httpStatusCode,
    requestId: e.$metadata?.requestId,
    sdkAttempts: e.$metadata?.attempts,
    networkCode: network ? (network.code ?? network.name) : networkCodeInText(e, message),
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
  const { name, message, httpStatus, networkCode } = awsErrorFacts(err);
  if (isThrottlingError(err)) return true;
  if (TRANSIENT_NAMES.has(name)) return true;
  if (networkCode !== undefined) return true;
  if (httpStatus !== undefined && [500, 502, 503, 504].includes(httpStatus)) return true;
  // No HTTP response at all (socket hang up, connection dropped): the request may or may not have landed.
  // "fetch failed" is the whole text fetch gives for any network failure (HTTP errors are responses, not throws).
  return httpStatus === undefined && e.$fault === undefined && /socket|network|hang up|fetch failed/i.test(message);
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
