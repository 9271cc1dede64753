/** Entrypoint: `node lib/worker/main.js` (or `aurora-migrate worker`). */
import { runWorker } from './run';

async function main(): Promise<void> {
  await runWorker();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.name}: ${err.message}` : err);
  process.exit(1);
});
