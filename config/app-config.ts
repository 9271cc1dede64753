/**
 * Application settings, loaded once from the environment, typed and fail-fast. The Temporal connection itself
 * comes from `@temporalio/envconfig` (see temporal-connection.ts); this file holds everything else.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_TASK_QUEUE } from '../workflows/ids';

/** A configuration variable had a value we cannot use. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

/** One AES-256 key of the payload codec. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

/** Everything aurora-migrate reads from its environment, besides the Temporal connection. */
export interface AppConfig {
  taskQueue: string;
  aws: {
    /** Default Region for migrations whose spec names none; undefined leaves it to the AWS chain. */
    region?: string;
    /** RDS endpoint override (the emulator); undefined means the real regional endpoint. */
    rdsEndpoint?: string;
    /** S3 endpoint override (a local S3 server); undefined means real S3. */
    s3Endpoint?: string;
    s3ForcePathStyle: boolean;
    /** Secrets Manager endpoint override (moto); undefined means the real regional endpoint. */
    secretsEndpoint?: string;
    /** IAM endpoint override (moto); undefined means real IAM. */
    iamEndpoint?: string;
    /** KMS endpoint override (moto); undefined means the real regional endpoint. */
    kmsEndpoint?: string;
    /**
     * SDK attempts per call. Three absorbs a brief throttle inside one activity attempt; the activity retry
     * policy takes the long tail. The two multiply, so keep this small. @default 3
     */
    maxAttempts: number;
    /**
     * Most RDS requests (every attempt) this process sends per second, on average. RDS meters the account and
     * Region as one bucket of 12 a second shared with every other caller, so the default leaves a third of it
     * to the console, Terraform and other teams. @default 8
     */
    rdsCallsPerSecond: number;
    /** RDS requests this process may send at once after a quiet period (RDS's own burst is 300). @default 40 */
    rdsCallBurst: number;
    /**
     * Keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY(/AWS_SESSION_TOKEN) of the environment this config was
     * loaded from; undefined leaves credentials to the standard AWS chain (profiles, SSO, IMDS, …).
     */
    credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  };
  /** Payload encryption keys; the first is the one new payloads are encrypted with. Empty: no encryption. */
  codecKeys: CodecKey[];
  http: {
    host: string;
    port: number;
    /** Bearer tokens accepted by the HTTP service. Empty: authentication is refused for every request. */
    tokens: string[];
    /** Largest request body accepted, in bytes. @default 1048576 */
    bodyLimit: number;
    /**
     * `user:password` pairs SNS may present as HTTP Basic credentials on `POST /events/rds` (taken from the
     * subscription URL `https://user:password@host/events/rds`). Empty: Basic is refused there too. No other
     * route ever accepts Basic.
     */
    snsBasicAuth: string[];
    /** SNS topics whose messages `POST /events/rds` accepts. Empty: any topic whose signature verifies. */
    snsTopicArns: string[];
  };
  /** Base URL of the Temporal Web UI, for links. */
  webUiUrl?: string;
  /** Worker capacity; undefined leaves the Temporal SDK's default. */
  worker: {
    /** Workflow tasks in progress at once (`maxConcurrentWorkflowTaskExecutions`; SDK default 40). */
    maxWorkflowTasks?: number;
    /** Activities in progress at once (`maxConcurrentActivityTaskExecutions`; SDK default 100). */
    maxActivities?: number;
    /** Threads running workflow code (`workflowThreadPoolSize`; SDK default 1). */
    workflowThreads?: number;
    /**
     * Activity starts per second on the task queue, across every worker polling it
     * (`maxTaskQueueActivitiesPerSecond`, enforced by the Temporal server). The status checks run there, each
     * one RDS call at most, so RDS's account budget (12/s sustained) holds however many workers run.
     * Undefined: no limit (`0`). @default 8
     */
    taskQueueActivitiesPerSecond?: number;
  };
  /**
   * The restore ETA's model before this deployment has completed restores to learn from: `time = fixed +
   * bytes / rate`. AWS publishes no rate ("several hours per TiB"); 100 MiB/s is about 3 h per TiB.
   */
  restoreEstimate: {
    /** @default 100 */
    mibPerSecond: number;
    /** @default 600 */
    fixedSeconds: number;
  };
  /** Metrics and tracing; both off unless configured. */
  telemetry: TelemetrySettings;
}

/** Where metrics are served and traces are sent. */
export interface TelemetrySettings {
  /**
   * `host:port` of the worker's Prometheus endpoint (`http://<address>/metrics`), from
   * AURORA_MIGRATE_METRICS_PORT and AURORA_MIGRATE_METRICS_HOST (default 127.0.0.1); undefined: no endpoint.
   */
  metricsAddress?: string;
  /** OTLP/HTTP URL that receives spans (e.g. `http://collector:4318/v1/traces`); undefined: tracing off. */
  tracesEndpoint?: string;
  /** `service.name` of the spans. @default 'aurora-migrate' */
  serviceName: string;
}

type Env = Record<string, string | undefined>;

/** Reads and checks every setting once; throws a ConfigError naming the variable at the first bad one. */
export function loadConfig(env: Env = process.env): AppConfig {
  const rdsEndpoint = optionalUrl(env, 'AURORA_MIGRATE_RDS_ENDPOINT');
  const s3Endpoint = optionalUrl(env, 'AURORA_MIGRATE_S3_ENDPOINT');
  return {
    taskQueue: env.AURORA_MIGRATE_TASK_QUEUE?.trim() || DEFAULT_TASK_QUEUE,
    aws: {
      region: env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || undefined,
      rdsEndpoint,
      s3Endpoint,
      s3ForcePathStyle: bool(env, 'AURORA_MIGRATE_S3_FORCE_PATH_STYLE', s3Endpoint !== undefined),
      secretsEndpoint: optionalUrl(env, 'AURORA_MIGRATE_SECRETS_ENDPOINT'),
      iamEndpoint: optionalUrl(env, 'AURORA_MIGRATE_IAM_ENDPOINT'),
      kmsEndpoint: optionalUrl(env, 'AURORA_MIGRATE_KMS_ENDPOINT'),
      maxAttempts: int(env, 'AURORA_MIGRATE_AWS_MAX_ATTEMPTS', 3, 1, 10),
      rdsCallsPerSecond: int(env, 'AURORA_MIGRATE_RDS_CALLS_PER_SECOND', 8, 1, 1000),
      rdsCallBurst: int(env, 'AURORA_MIGRATE_RDS_CALL_BURST', 40, 1, 10_000),
      credentials: staticCredentials(env),
    },
    codecKeys: codecKeys(env),
    http: {
      host: env.AURORA_MIGRATE_HTTP_HOST?.trim() || '127.0.0.1',
      port: int(env, 'AURORA_MIGRATE_HTTP_PORT', 8080, 0, 65535),
      tokens: tokens(env),
      bodyLimit: int(env, 'AURORA_MIGRATE_HTTP_BODY_LIMIT', 1024 * 1024, 1024, 64 * 1024 * 1024),
      snsBasicAuth: snsBasicAuth(env),
      snsTopicArns: list(fromValueOrFile(env, 'AURORA_MIGRATE_SNS_TOPIC_ARNS')).map((arn) => {
        if (!/^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/.test(arn)) {
          throw new ConfigError('AURORA_MIGRATE_SNS_TOPIC_ARNS', `expected SNS topic ARNs, got ${JSON.stringify(arn)}`);
        }
        return arn;
      }),
    },
    webUiUrl: optionalUrl(env, 'AURORA_MIGRATE_WEB_UI_URL'),
    worker: {
      maxWorkflowTasks: optionalInt(env, 'AURORA_MIGRATE_WORKER_WORKFLOW_TASKS', 2, 10_000),
      maxActivities: optionalInt(env, 'AURORA_MIGRATE_WORKER_ACTIVITIES', 1, 10_000),
      workflowThreads: optionalInt(env, 'AURORA_MIGRATE_WORKER_WORKFLOW_THREADS', 1, 64),
      taskQueueActivitiesPerSecond:
        int(env, 'AURORA_MIGRATE_TASK_QUEUE_ACTIVITIES_PER_SECOND', 8, 0, 100_000) || undefined,
    },
    restoreEstimate: {
      mibPerSecond: int(env, 'AURORA_MIGRATE_RESTORE_MIB_PER_SECOND', 100, 1, 1_000_000),
      fixedSeconds: int(env, 'AURORA_MIGRATE_RESTORE_FIXED_SECONDS', 600, 0, 7 * 86_400),
    },
    telemetry: {
      metricsAddress: metricsAddress(env),
      tracesEndpoint: tracesEndpoint(env),
      serviceName: env.OTEL_SERVICE_NAME?.trim() || 'aurora-migrate',
    },
  };
}

/**
 * Where the Prometheus endpoint listens: on 127.0.0.1 unless a host is given (`0.0.0.0` in a container), on
 * the given port; no port, no endpoint. Port 0 is refused: scrapers need to know the port.
 */
function metricsAddress(env: Env): string | undefined {
  const port = optionalInt(env, 'AURORA_MIGRATE_METRICS_PORT', 1, 65535);
  const host = env.AURORA_MIGRATE_METRICS_HOST?.trim() || '127.0.0.1';
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)$/.test(host)) {
    throw new ConfigError(
      'AURORA_MIGRATE_METRICS_HOST',
      `expected a host name or IP address such as 127.0.0.1 or 0.0.0.0, got ${JSON.stringify(host)}`,
    );
  }
  return port === undefined ? undefined : `${host}:${port}`;
}

/**
 * OpenTelemetry's standard variables: the traces endpoint as given, else `/v1/traces` under the general one.
 * Neither set means tracing is off.
 */
function tracesEndpoint(env: Env): string | undefined {
  const traces = optionalUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  if (traces) return traces;
  const base = optionalUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return base ? `${base}/v1/traces` : undefined;
}

function staticCredentials(env: Env): AppConfig['aws']['credentials'] {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId && !secretAccessKey) return undefined;
  if (!accessKeyId || !secretAccessKey) {
    throw new ConfigError(
      accessKeyId ? 'AWS_SECRET_ACCESS_KEY' : 'AWS_ACCESS_KEY_ID',
      'set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither to use the standard credential chain',
    );
  }
  return { accessKeyId, secretAccessKey, sessionToken: env.AWS_SESSION_TOKEN?.trim() || undefined };
}

function optionalUrl(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  if (!value) return undefined;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new ConfigError(name, `expected an http(s) URL such as http://127.0.0.1:4566, got ${JSON.stringify(value)}`);
  }
  return value.replace(/\/+$/, '');
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function optionalInt(env: Env, name: string, min: number, max: number): number | undefined {
  return env[name]?.trim() ? int(env, name, 0, min, max) : undefined;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(name, `expected true or false, got ${JSON.stringify(raw)}`);
}

function fromValueOrFile(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`]?.trim();
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`${name}_FILE`, `cannot read ${file}: ${(err as Error).message}`);
    }
  }
  return env[name];
}

function tokens(env: Env): string[] {
  const raw = fromValueOrFile(env, 'AURORA_MIGRATE_HTTP_TOKENS') ?? '';
  const list = raw
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
  for (const token of list) {
    if (token.length < 16) {
      throw new ConfigError('AURORA_MIGRATE_HTTP_TOKENS', 'each token must be at least 16 characters long');
    }
  }
  return list;
}

function list(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(/[\s,]+/)
    .map((t) => t.trim())
    .filter(Boolean);
}

/** `user:password` pairs; the password is as strong as a bearer token (16+ characters), since it is one. */
function snsBasicAuth(env: Env): string[] {
  const name = 'AURORA_MIGRATE_SNS_BASIC_AUTH';
  const pairs = list(fromValueOrFile(env, name));
  for (const pair of pairs) {
    const sep = pair.indexOf(':');
    if (sep <= 0) throw new ConfigError(name, 'expected entries of the form <user>:<password>');
    if (pair.length - sep - 1 < 16) throw new ConfigError(name, 'each password must be at least 16 characters long');
  }
  return pairs;
}

/** `id:base64key` pairs, comma- or newline-separated; the first pair encrypts, all decrypt (key rotation). */
function codecKeys(env: Env): CodecKey[] {
  const raw = fromValueOrFile(env, 'AURORA_MIGRATE_CODEC_KEYS') ?? '';
  const name = 'AURORA_MIGRATE_CODEC_KEYS';
  const keys: CodecKey[] = [];
  for (const entry of raw.split(/[\s,]+/).filter(Boolean)) {
    const sep = entry.indexOf(':');
    if (sep <= 0) throw new ConfigError(name, 'expected entries of the form <key-id>:<base64 32-byte key>');
    const id = entry.slice(0, sep);
    const key = Buffer.from(entry.slice(sep + 1), 'base64');
    if (key.length !== 32) {
      throw new ConfigError(name, `key ${id} must be 32 bytes of base64 (openssl rand -base64 32), got ${key.length}`);
    }
    if (keys.some((k) => k.id === id)) throw new ConfigError(name, `key id ${id} appears twice`);
    keys.push({ id, key });
  }
  return keys;
}
