/**
 * The real worker as a child process (`node lib/worker/main.js`), so that its memory and CPU can be measured
 * on their own and so that it never shares an event loop with the peer strategies' timers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { BenchStack } from './bench-stack';
import { readProcUsage, type ProcUsage } from './proc';

/** A running worker process. */
export interface WorkerProcess {
  pid: number;
  /** Latest /proc reading (VmHWM is a peak, CPU is cumulative). */
  usage(): ProcUsage | undefined;
  /** SIGTERM, wait for exit; returns the last usage read before it exited. */
  stop(): Promise<ProcUsage | undefined>;
}

/** Starts a worker on `taskQueue` and resolves once it logs `worker-started`. */
export async function startWorkerProcess(
  stack: BenchStack,
  taskQueue: string,
  logName: string,
): Promise<WorkerProcess> {
  const log = createWriteStream(join(stack.settings.dataDir, `${logName}.log`));
  const child: ChildProcess = spawn(process.execPath, [join(stack.settings.repoRoot, 'lib', 'worker', 'main.js')], {
    env: { ...stack.workerEnv, AURORA_MIGRATE_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let last: ProcUsage | undefined;
  const sampler = setInterval(() => {
    if (child.pid) last = readProcUsage(child.pid) ?? last;
  }, 500);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    let head = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (head.length < 4096) head += chunk.toString();
      if (head.includes('"event":"worker-started"')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));
    void exited.then(() => reject(new Error(`worker ${logName} exited early; see ${logName}.log`)));
  });
  const pid = child.pid ?? 0;
  return {
    pid,
    usage: () => (last = readProcUsage(pid) ?? last),
    async stop() {
      last = readProcUsage(pid) ?? last;
      clearInterval(sampler);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      log.end();
      return last;
    },
  };
}
