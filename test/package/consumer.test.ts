import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { WORKFLOW_BUNDLE_MANIFEST } from '../../scripts/build-workflow-bundle-manifest';
import { workflowSourcesDigest } from '../../scripts/workflow-sources-digest';
import { cliEnv } from '../client/cli-helpers';
import { sampleSpec, uploadDirectoryBackup } from '../helpers/migration';
import { testStack, uniqueName } from '../helpers/stack';
import { NODE_SUPPORT_WARNING } from '../helpers/node-support-warning';
import {
  APPROVE_MJS,
  CONSUMER_PACKAGE_JSON,
  consumerTsconfig,
  DRY_RUN_AND_START_TS,
  NODE10_TS,
  readmeLibraryExample,
} from './consumer-files';
import { makeConsumerFolder } from './consumer-folder';

// A service that depends on aurora-migrate, as it would: the project packed with `npm pack`, the tarball
// installed with npm into an empty folder outside the checkout (so nothing resolves from the repo's
// node_modules), a worker started from the installed `aurora-migrate` bin, and two scripts that import the
// package — one TypeScript compiled against its declarations and required, one ES module — each running a real
// migration on the test stack.
const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..');
let consumerDir: string;
let worker: ChildProcess | undefined;
let workerOutput = '';
let packedFiles: string[] = [];
const taskQueue = uniqueName('pkg-tq');
const env = { ...cliEnv(taskQueue), AURORA_MIGRATE_RDS_ENDPOINT: testStack().emulator.endpoint };
const timings: string[] = [];
/** The node10-resolution compile, once started (see compileNode10). */
let node10Compile: Promise<unknown> | undefined;

/**
 * Starts (once) the node10-resolution check: it only reads the installed declarations, so it compiles while the
 * first migration runs (it is CPU, the migration mostly waits for RDS) rather than after both; its test awaits it.
 */
function compileNode10(): Promise<unknown> {
  if (!node10Compile) {
    writeFileSync(join(consumerDir, 'node10.ts'), NODE10_TS);
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = ['--module', 'commonjs', '--moduleResolution', 'node10', '--strict', '--skipLibCheck', '--noEmit'];
    const types = ['--types', 'node', '--typeRoots', join(repoRoot, 'node_modules', '@types')];
    node10Compile = timed('tsc node10', () =>
      run(process.execPath, [tsc, ...args, ...types, 'node10.ts'], { cwd: consumerDir }),
    );
    node10Compile.catch(() => undefined);
  }
  return node10Compile;
}

/** Runs `step`, noting how long it took (printed after the file, so a slow step is seen). */
async function timed<T>(name: string, step: () => Promise<T>): Promise<T> {
  const start = Date.now();
  try {
    return await step();
  } finally {
    timings.push(`${name} ${((Date.now() - start) / 1000).toFixed(1)} s`);
  }
}

function assertBuildIsCurrent(): void {
  const manifest = join(repoRoot, 'lib', WORKFLOW_BUNDLE_MANIFEST);
  const current =
    existsSync(join(repoRoot, 'lib', 'client', 'index.d.ts')) &&
    existsSync(manifest) &&
    (JSON.parse(readFileSync(manifest, 'utf8')) as { sources?: string }).sources === workflowSourcesDigest(repoRoot);
  if (!current) throw new Error('lib/ is missing or older than the sources: run `bash scripts/bootstrap.sh` first');
}

async function startInstalledWorker(): Promise<void> {
  const bin = join(consumerDir, 'node_modules', '.bin', 'aurora-migrate');
  const child = spawn(bin, ['worker'], { cwd: consumerDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  worker = child;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      workerOutput += chunk.toString();
      if (workerOutput.includes('"event":"worker-started"')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (workerOutput += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`the installed worker exited with ${code}: ${workerOutput}`)));
  });
}

async function specFile(options: { requireApproval?: boolean } = {}): Promise<string> {
  const backup = await uploadDirectoryBackup({ version: '8.0' });
  const spec = sampleSpec({ ...backup, sourceEngineVersion: '8.0.35', options });
  const file = join(consumerDir, `${spec.restore.DBClusterIdentifier}.json`);
  writeFileSync(file, JSON.stringify(spec));
  return file;
}

/** Runs a consumer script with node from the consumer folder; returns the JSON line it printed. */
async function runConsumer(script: string, spec: string): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [script, spec], { cwd: consumerDir, env, timeout: 60_000 });
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as Record<string, unknown>;
}

beforeAll(async () => {
  assertBuildIsCurrent();
  consumerDir = makeConsumerFolder('aurora-migrate-consumer-');
  const { stdout } = await timed('pack', () =>
    run('npm', ['pack', '--json', '--pack-destination', consumerDir], { cwd: repoRoot }),
  );
  const [packed] = JSON.parse(stdout) as [{ filename: string; files: { path: string }[] }];
  const { filename } = packed;
  packedFiles = packed.files.map((f) => f.path);
  writeFileSync(join(consumerDir, 'package.json'), CONSUMER_PACKAGE_JSON);
  // From npm's cache when it has everything (offline runs), otherwise from the registry, as any consumer would.
  await timed('install', () =>
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(consumerDir, filename)], {
      cwd: consumerDir,
      env: { ...process.env, npm_config_loglevel: 'error' },
      timeout: 150_000,
    }),
  );
  await timed('worker start', startInstalledWorker);
}, 180_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker!.once('exit', resolve));
    worker.kill('SIGTERM');
    await timed('worker stop', () => exited);
  }
  if (consumerDir) await timed('remove', () => Promise.resolve(rmSync(consumerDir, { recursive: true, force: true })));
  console.log(`consumer steps: ${timings.join(', ')}`);
});

test('the tarball holds the build, its declarations and the workflow bundle, not the sources or tests', () => {
  const files = packedFiles;
  expect(files).toEqual(
    expect.arrayContaining([
      'lib/client/index.js',
      'lib/client/index.d.ts',
      'lib/client/cli/main.js',
      'lib/worker/run.d.ts',
      'lib/workflow-bundle.js',
      'client/spec/migration-spec.schema.json',
    ]),
  );
  expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
  expect(
    files.filter((f) => f.startsWith('test/') || f.startsWith('lib/bench/') || f.startsWith('lib/scripts/')),
  ).toEqual([]);
});

test('the installed worker starts from the packed workflow bundle (no bundling at start) and without the SDK’s Node warning', () => {
  expect(workerOutput).toContain('"event":"worker-started"');
  expect(workerOutput).not.toContain('bundling the workflow code now');
  expect(workerOutput).not.toMatch(NODE_SUPPORT_WARNING);
});

test('a TypeScript service and the README library example compile against the declarations, and its required build dry-runs, starts and follows a migration to completion', async () => {
  writeFileSync(join(consumerDir, 'dry-run-and-start.ts'), DRY_RUN_AND_START_TS);
  writeFileSync(
    join(consumerDir, 'readme-example.mts'),
    readmeLibraryExample(readFileSync(join(repoRoot, 'README.md'), 'utf8')),
  );
  writeFileSync(join(consumerDir, 'tsconfig.json'), consumerTsconfig(join(repoRoot, 'node_modules', '@types')));
  // The repo's compiler, but the consumer's resolution: `aurora-migrate` is the installed package's `types`.
  await timed('tsc node16', () =>
    run(process.execPath, [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumerDir], {
      cwd: consumerDir,
    }),
  );
  const compiled = readFileSync(join(consumerDir, 'out', 'dry-run-and-start.js'), 'utf8');
  expect(compiled).toContain('require("aurora-migrate")');

  void compileNode10();
  const spec = await timed('upload 1', () => specFile());
  const seen = await timed('migration 1', () => runConsumer(join(consumerDir, 'out', 'dry-run-and-start.js'), spec));
  expect(seen).toMatchObject({
    parsedOk: false,
    dryRun: { ok: true, format: 'directory' },
    refused: ['restore.DBClusterIdentifier'],
    started: { attached: false },
    lastStatus: 'COMPLETED',
    outcome: { outcome: 'completed', status: 'COMPLETED' },
  });
  expect(seen.steps).toEqual(expect.arrayContaining(['waiting-for-cluster', 'completed']));
  const outcome = seen.outcome as { result: { cluster: { Status: string }; instances: unknown[] } };
  expect(outcome.result.cluster.Status).toBe('available');
  expect(outcome.result.instances).toHaveLength(1);
});

test('an ES module imports the named exports, approves a migration waiting for approval, and gets its result', async () => {
  writeFileSync(join(consumerDir, 'approve.mjs'), APPROVE_MJS);
  const spec = await timed('upload 2', () => specFile({ requireApproval: true }));
  const seen = await timed('migration 2', () => runConsumer(join(consumerDir, 'approve.mjs'), spec));
  expect(seen).toMatchObject({
    waitedAt: 'awaiting-approval',
    decision: { approved: true, by: 'consumer', reason: 'ESM test' },
    result: { cluster: { Status: 'available' }, approval: { approved: true, by: 'consumer' } },
    subpaths: { runWorker: 'function', buildHttpServer: 'function' },
  });
  expect(seen.failureTypes).toBeGreaterThan(5);
});

test('a TypeScript service on the older node10 resolution finds the types of the main entry and both subpaths', async () => {
  await timed('node10 wait', compileNode10);
});
