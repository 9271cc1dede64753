/**
 * Runs the RDS emulator as a process: `node lib/emulator/main.js [--port N] [--state FILE] …` (see cli-options.ts).
 * Prints one JSON line when listening, and saves state and exits 0 on SIGINT/SIGTERM.
 */
import { USAGE, UsageError, parseEmulatorArgs } from './cli-options';
import { startEmulator } from './server';

async function main(): Promise<void> {
  let options;
  try {
    options = parseEmulatorArgs(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`emulator: ${err.message}\n${USAGE}`);
      process.exit(2);
    }
    throw err;
  }
  const emulator = await startEmulator(options);
  process.stdout.write(`${JSON.stringify({ event: 'listening', endpoint: emulator.endpoint })}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    emulator.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('emulator: error while stopping:', err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error('emulator:', err);
  process.exit(1);
});
