/** Command-line flags and environment variables of `node lib/emulator/main.js`, turned into EmulatorOptions. */
import type { EmulatorOptions } from './server';
import { DEFAULT_RATE_LIMIT, RateLimitError, parseRateLimit } from './rate-limit';
import { TimingsError, parseTimings } from './timings';

/** Raised for a bad flag or variable; the message names it. main.ts exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Usage text printed with a UsageError. */
export const USAGE =
  'usage: node lib/emulator/main.js [--port N] [--host H] [--state FILE] ' +
  '[--s3-endpoint URL --s3-region R --s3-access-key K --s3-secret-key S] [--timings JSON] [--rate-limit JSON] ' +
  '[--data-dir DIR] [--cluster-servers auto|off] ' +
  '[--secrets-endpoint URL --secrets-access-key K --secrets-secret-key S]';

const FLAG_ENV: Record<string, string | undefined> = {
  '--port': 'EMULATOR_PORT',
  '--host': 'EMULATOR_HOST',
  '--state': 'EMULATOR_STATE',
  '--s3-endpoint': 'EMULATOR_S3_ENDPOINT',
  '--s3-region': 'EMULATOR_S3_REGION',
  '--s3-access-key': 'EMULATOR_S3_ACCESS_KEY',
  '--s3-secret-key': 'EMULATOR_S3_SECRET_KEY',
  '--timings': 'EMULATOR_TIMINGS',
  '--rate-limit': 'EMULATOR_RATE_LIMIT',
  '--data-dir': 'EMULATOR_DATA_DIR',
  '--cluster-servers': 'EMULATOR_CLUSTER_SERVERS',
  '--secrets-endpoint': 'EMULATOR_SECRETS_ENDPOINT',
  '--secrets-access-key': 'EMULATOR_SECRETS_ACCESS_KEY',
  '--secrets-secret-key': 'EMULATOR_SECRETS_SECRET_KEY',
};

/** Parses flags (which win) and environment variables. */
export function parseEmulatorArgs(argv: string[], env: NodeJS.ProcessEnv): EmulatorOptions {
  const values = new Map<string, { value: string; source: string }>();
  for (const [flag, name] of Object.entries(FLAG_ENV)) {
    const value = name === undefined ? undefined : env[name];
    if (value !== undefined && value !== '') values.set(flag, { value, source: name ?? flag });
  }
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const [flag = '', inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    if (!(flag in FLAG_ENV)) throw new UsageError(`unknown argument ${arg}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`${flag} needs a value`);
    values.set(flag, { value, source: flag });
  }
  const options: EmulatorOptions = {};
  const port = values.get('--port');
  if (port) {
    if (!/^\d+$/.test(port.value) || Number(port.value) > 65535) {
      throw new UsageError(`${port.source} must be a port number from 0 to 65535, got ${port.value}`);
    }
    options.port = Number(port.value);
  }
  options.host = values.get('--host')?.value;
  options.statePath = values.get('--state')?.value;
  const s3Flags = ['--s3-endpoint', '--s3-region', '--s3-access-key', '--s3-secret-key'];
  const s3 = s3Flags.map((flag) => values.get(flag)?.value);
  const [endpoint, region, accessKeyId, secretAccessKey] = s3;
  if (endpoint !== undefined && region !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined) {
    options.s3 = { endpoint, region, accessKeyId, secretAccessKey };
  } else if (s3.some((v) => v !== undefined)) {
    const missing = s3Flags.filter((_, index) => s3[index] === undefined);
    throw new UsageError(`the S3 check needs all of ${s3Flags.join(', ')}; missing ${missing.join(', ')}`);
  }
  options.dataDir = values.get('--data-dir')?.value;
  const mode = values.get('--cluster-servers');
  if (mode) {
    if (mode.value !== 'auto' && mode.value !== 'off') {
      throw new UsageError(`${mode.source} must be auto or off, got ${mode.value}`);
    }
    options.clusterServers = mode.value;
  }
  options.secretsManager = secretsOptions(values);
  const timings = values.get('--timings');
  if (timings) options.timings = parseTimingsArg(timings.value, timings.source);
  const rateLimit = values.get('--rate-limit');
  if (rateLimit) options.rateLimit = parseRateLimitArg(rateLimit.value, rateLimit.source);
  return options;
}

/** The Secrets Manager for managed master secrets: all three flags, or none. */
function secretsOptions(values: Map<string, { value: string }>): EmulatorOptions['secretsManager'] {
  const flags = ['--secrets-endpoint', '--secrets-access-key', '--secrets-secret-key'];
  const [endpoint, accessKeyId, secretAccessKey] = flags.map((flag) => values.get(flag)?.value);
  if (endpoint !== undefined && accessKeyId !== undefined && secretAccessKey !== undefined) {
    return { endpoint, accessKeyId, secretAccessKey };
  }
  const missing = flags.filter((flag) => !values.has(flag));
  if (missing.length < flags.length) {
    throw new UsageError(`managed master secrets need all of ${flags.join(', ')}; missing ${missing.join(', ')}`);
  }
  return undefined;
}

function parseTimingsArg(text: string, source: string): EmulatorOptions['timings'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${source} must be JSON, e.g. '{"clusterCreatingMs":1000}'`);
  }
  try {
    return parseTimings(value, source);
  } catch (err) {
    if (err instanceof TimingsError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}

function parseRateLimitArg(text: string, source: string): EmulatorOptions['rateLimit'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${source} must be JSON, e.g. '{"burst":300,"ratePerSecond":12}' or '{"enabled":false}'`);
  }
  try {
    return parseRateLimit(value, source, DEFAULT_RATE_LIMIT);
  } catch (err) {
    if (err instanceof RateLimitError) throw new UsageError(err.message, { cause: err });
    throw err;
  }
}
