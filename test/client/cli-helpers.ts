/**
 * Runs the compiled CLI (`lib/client/cli/main.js`, built by `npm run build`) as a real child process.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { testWorkerEnv } from '../helpers/worker-env';
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
    ...testWorkerEnv(),
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
