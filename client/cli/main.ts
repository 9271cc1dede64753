#!/usr/bin/env node
/**
 * Entry point of the `aurora-migrate` binary (package.json `bin`).
 */
import { runCli } from './program';

async function main(): Promise<void> {
  process.exitCode = await runCli(
    process.argv,
    {
      out: (text) => void process.stdout.write(text),
      err: (text) => void process.stderr.write(text),
      isTty: process.stdout.isTTY === true,
    },
    process.env,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
