/**
 * The project runs on a supported Node LTS: `npm test` and `npm run demo` put one first on PATH
 * (scripts/node-runtime.sh), so this very test process, the servers and CLI processes it spawns, and the AWS SDK
 * inside them run on it, and the SDK's Node-version warning never appears.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = join(__dirname, '..', '..');

test('jest runs on an even Node major of at least 22, as package.json engines asks', () => {
  const major = Number(process.versions.node.split('.')[0]);
  expect(major).toBeGreaterThanOrEqual(22);
  expect(major % 2).toBe(0);
  const engines = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } })
    .engines.node;
  expect(engines).toBe('>=22.12.0');
});

test('the code is type-checked for the Node major that engines names: its @types/node and @tsconfig base', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as {
    engines: { node: string };
    devDependencies: Record<string, string>;
  };
  const floor = /^>=(\d+)\./.exec(pkg.engines.node)?.[1];
  expect(floor).toBeDefined();
  // Types of a newer Node would let code call what the oldest supported Node lacks; older types hide its APIs.
  expect(pkg.devDependencies['@types/node']?.split('.')[0]).toBe(floor);
  expect(pkg.devDependencies[`@tsconfig/node${floor}`]).toBeDefined();
  const tsconfig = JSON.parse(readFileSync(join(repo, 'tsconfig.json'), 'utf8')) as { extends: string };
  expect(tsconfig.extends).toBe(`@tsconfig/node${floor}/tsconfig.json`);
  // The Node that scripts/node-runtime.sh installs satisfies engines too.
  const installs = /AURORA_MIGRATE_NODE_VERSION:-(\d+)\./.exec(
    readFileSync(join(repo, 'scripts/node-runtime.sh'), 'utf8'),
  );
  expect(Number(installs?.[1])).toBeGreaterThanOrEqual(Number(floor));
});

test('a child on the same Node builds AWS SDK clients without the SDK’s Node-version warning', async () => {
  const script =
    "const { S3Client } = require('@aws-sdk/client-s3'); const { RDSClient } = require('@aws-sdk/client-rds');" +
    "new S3Client({ region: 'us-east-1' }); new RDSClient({ region: 'us-east-1' }); console.log(process.version);";
  const { stdout, stderr } = await run(process.execPath, ['-e', script], { cwd: repo });
  expect(stdout.trim()).toBe(process.version);
  expect(stderr).not.toMatch(/NodeVersionSupportWarning|NodeDeprecationWarning/);
  expect(stderr).toBe('');
});

test('the Temporal SDK’s native module loads on this Node', async () => {
  const { stdout } = await run(process.execPath, ['-e', "require('@temporalio/core-bridge'); console.log('loaded')"], {
    cwd: repo,
  });
  expect(stdout.trim()).toBe('loaded');
});
