/**
 * The files of a service that installs aurora-migrate from its tarball: a TypeScript module compiled against the
 * installed declarations and run with `require` (CommonJS), and an ES module run with `import`. Each prints one
 * JSON line of what it saw; the test asserts on it. They use only the package's public entry points.
 */

/** `package.json` of the consumer: CommonJS by default, so `.js` is required and `.mjs` imported. */
export const CONSUMER_PACKAGE_JSON = JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2);

/**
 * tsconfig of the consumer: Node's own resolution (package `exports` and their `types` condition), strict.
 * `skipLibCheck` as most services set it: @temporalio/common's own declarations import the untyped `ms`.
 */
export function consumerTsconfig(typeRoots: string): string {
  return JSON.stringify(
    {
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'es2022',
        strict: true,
        skipLibCheck: true,
        outDir: 'out',
        typeRoots: [typeRoots],
        types: ['node'],
      },
      files: ['dry-run-and-start.ts', 'readme-example.mts'],
    },
    null,
    2,
  );
}

/** The TypeScript example of the README's "The library" section, checked as an ES module of the consumer. */
export function readmeLibraryExample(readme: string): string {
  const example = /## The library\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!example) throw new Error('README.md has no ```ts block under "## The library"');
  return example;
}

/**
 * Dry run, a refused bad spec, then a start followed with `watchProgress` to the end and `migrationOutcome`.
 * Argument: the spec file.
 */
export const DRY_RUN_AND_START_TS = `
import { readFileSync } from 'node:fs';
import {
  connect,
  InvalidSpecError,
  migrationOutcome,
  parseSpec,
  startMigration,
  validateSpecBackup,
  watchProgress,
  type MigrationInput,
  type MigrationStatus,
} from 'aurora-migrate';

async function main(): Promise<void> {
  const spec = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as MigrationInput;
  const parsed = parseSpec({ ...spec, instances: [] });
  const { client, config } = await connect();
  try {
    const report = await validateSpecBackup(config, spec);
    let refused: string[] = [];
    try {
      await startMigration(client, config, { ...spec, restore: { ...spec.restore, DBClusterIdentifier: '-bad' } });
    } catch (err) {
      if (err instanceof InvalidSpecError) refused = err.issues.map((issue) => issue.path);
      else throw err;
    }
    const started = await startMigration(client, config, spec);
    const seen: MigrationStatus[] = [];
    for await (const status of watchProgress(client, started.workflowId, { intervalMs: 250 })) seen.push(status);
    const outcome = await migrationOutcome(client, started.workflowId);
    console.log(
      JSON.stringify({
        parsedOk: parsed.ok,
        dryRun: { ok: report.ok, format: report.format },
        refused,
        started,
        steps: [...new Set(seen.map((s) => s.step))],
        lastStatus: seen[seen.length - 1]?.status,
        outcome,
      }),
    );
  } finally {
    await client.connection.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
`;

/**
 * ESM: a start that waits for approval, `approveMigration`, then `getResult`; also the named exports of the
 * subpaths. Argument: the spec file (with `options.requireApproval`).
 */
export const APPROVE_MJS = `
import { readFileSync } from 'node:fs';
import { approveMigration, connect, getProgress, getResult, startMigration, FailureTypes } from 'aurora-migrate';
import { runWorker } from 'aurora-migrate/worker';
import { buildHttpServer } from 'aurora-migrate/http';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const { client, config } = await connect();
try {
  const started = await startMigration(client, config, spec);
  let progress;
  for (let i = 0; i < 240; i += 1) {
    progress = await getProgress(client, started.workflowId);
    if (progress.step === 'awaiting-approval' || progress.status !== 'RUNNING') break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const waitedAt = progress.step;
  const decision = await approveMigration(client, started.workflowId, { by: 'consumer', reason: 'ESM test' });
  const result = await getResult(client, started.workflowId);
  console.log(
    JSON.stringify({
      waitedAt,
      decision,
      result,
      subpaths: { runWorker: typeof runWorker, buildHttpServer: typeof buildHttpServer },
      failureTypes: Object.keys(FailureTypes).length,
    }),
  );
} finally {
  await client.connection.close();
}
`;

/**
 * For TypeScript's older `node10` resolution (no `exports`): each entry point's types, the subpaths through
 * `typesVersions`. Type-checked only.
 */
export const NODE10_TS = `
import { runWorker, type RunWorkerOptions } from 'aurora-migrate/worker';
import { buildHttpServer, type HttpServerOptions } from 'aurora-migrate/http';
import { connect, startMigration, type MigrationInput, type StartedMigration } from 'aurora-migrate';

export async function startAll(spec: MigrationInput, options: RunWorkerOptions): Promise<StartedMigration> {
  const { client, config, target } = await connect();
  const http: HttpServerOptions = { client, config, target };
  void buildHttpServer(http);
  void runWorker(options);
  return startMigration(client, config, spec);
}
`;
