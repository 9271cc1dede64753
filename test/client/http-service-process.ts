/**
 * The HTTP service as its own process (`node lib/client/cli/main.js serve`, port 0), the way replicas run in
 * production: separate memory, one shared Temporal. Stopped by SIGTERM (graceful) or SIGKILL (a crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, cliEnv } from './cli-helpers';
import { TOKEN, type TestServer } from './http-helpers';

/** A service process; `base` is where it listens. */
export interface ServiceProcess extends Pick<TestServer, 'base'> {
  child: ChildProcess;
  output: () => string;
  /** Ends the process and waits for its exit. @default 'SIGTERM' */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `aurora-migrate serve` for `taskQueue`, with `extraEnv` added (e.g. an OTLP endpoint); resolves once
 * it prints its address.
 */
export async function spawnHttpService(
  taskQueue: string,
  extraEnv: Record<string, string> = {},
): Promise<ServiceProcess> {
  const env = { ...cliEnv(taskQueue), AURORA_MIGRATE_HTTP_TOKENS: TOKEN, AURORA_MIGRATE_HTTP_PORT: '0', ...extraEnv };
  const child = spawn(process.execPath, [CLI, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in 30 s: ${output}`)), 30_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const address = /HTTP service on (http:\/\/[\d.]+:\d+)/.exec(output)?.[1];
      if (address) {
        clearTimeout(timer);
        resolve(address);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${output}`));
    });
  }).catch(async (err: unknown) => {
    await stop('SIGKILL');
    throw err;
  });
  return { child, base, output: () => output, stop };
}
