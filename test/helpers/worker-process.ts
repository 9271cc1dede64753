/**
 * The real worker as a child process (`node lib/worker/main.js`), so tests can SIGKILL it at any instant and
 * start another, as a crash in production would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import { testStack } from './stack';
import { testWorkerEnv } from './worker-env';

/** A worker process and how to end it. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Resolves once the worker says it started. */
  started: Promise<void>;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts a worker process for the given task queue against the given (default: shared) emulator; `extraEnv`
 * adds settings (e.g. AURORA_MIGRATE_METRICS_PORT).
 */
export function spawnWorkerProcess(
  config: AppConfig,
  emulatorEndpoint = testStack().emulator.endpoint,
  extraEnv: Record<string, string> = {},
): WorkerProcess {
  const stack = testStack();
  const child = spawn(process.execPath, [join(__dirname, '..', '..', 'lib', 'worker', 'main.js')], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: stack.temporal.address,
      TEMPORAL_NAMESPACE: stack.temporal.namespace,
      AURORA_MIGRATE_TASK_QUEUE: config.taskQueue,
      ...testWorkerEnv(emulatorEndpoint),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const started = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('"event":"worker-started"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${output}`)));
  });
  started.catch(() => undefined);
  return {
    child,
    started,
    output: () => output,
    kill: async (signal = 'SIGKILL') => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
  };
}
