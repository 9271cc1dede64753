/**
 * Runs the compiled CLI (`lib/client/cli/main.js`, built by `npm run build`) as a real child process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TEST_CODEC_KEYS } from '../helpers/migration';
import { testStack } from '../helpers/stack';

/** Path of the compiled CLI. */
export const CLI = join(__dirname, '..', '..', 'lib', 'client', 'cli', 'main.js');

/** What one CLI run printed and how it exited. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a CLI run needs to reach the test stack on `taskQueue`. */
export function cliEnv(taskQueue: string): Record<string, string> {
  const stack = testStack();
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    TEMPORAL_ADDRESS: stack.temporal.address,
    TEMPORAL_NAMESPACE: stack.temporal.namespace,
    AURORA_MIGRATE_TASK_QUEUE: taskQueue,
    AURORA_MIGRATE_CODEC_KEYS: TEST_CODEC_KEYS,
    AURORA_MIGRATE_S3_ENDPOINT: stack.s3.endpoint,
    AURORA_MIGRATE_RDS_ENDPOINT: stack.emulator.endpoint,
    AURORA_MIGRATE_IAM_ENDPOINT: stack.moto.endpoint,
    AURORA_MIGRATE_KMS_ENDPOINT: stack.moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: stack.s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: stack.s3.secretAccessKey,
    AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1',
    // The ETA's model until a restore completes: the test emulator's restore (about 2 s), not AWS's ten minutes,
    // which would make a worker started with this environment read statuses minutes apart.
    AURORA_MIGRATE_RESTORE_FIXED_SECONDS: '2',
  };
}

/** Runs `aurora-migrate <args>` and resolves with its exit code and output (never rejects on exit codes). */
export function runCli(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
