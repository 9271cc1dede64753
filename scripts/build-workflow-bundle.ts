/**
 * The build's workflow bundle: `node lib/scripts/build-workflow-bundle.js` bundles `lib/workflows/` with
 * `bundleWorkflowCode` into `lib/workflow-bundle.js`, which workers start from (`workflowBundle`), and writes
 * beside it `lib/workflow-bundle.json`, the digest of the sources it was built from, so tests can tell a
 * bundle older than `workflows/`. Run by `scripts/bootstrap.sh` after tsc; prints one line.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildWorkflowBundle, WORKFLOW_BUNDLE_FILE } from '../worker/workflow-bundle';
import { WORKFLOW_BUNDLE_MANIFEST } from './build-workflow-bundle-manifest';
import { workflowSourcesDigest } from './workflow-sources-digest';

async function main(): Promise<void> {
  const buildDir = join(__dirname, '..');
  const repoRoot = join(buildDir, '..');
  const code = await buildWorkflowBundle(join(buildDir, 'workflows'));
  const out = join(buildDir, WORKFLOW_BUNDLE_FILE);
  // Written beside and renamed: a worker starting now reads the old bundle or the new one, never half of one.
  writeFileSync(`${out}.partial`, code);
  renameSync(`${out}.partial`, out);
  writeFileSync(
    join(buildDir, WORKFLOW_BUNDLE_MANIFEST),
    JSON.stringify({ sources: workflowSourcesDigest(repoRoot) }, null, 2) + '\n',
  );
  console.error(
    `[bootstrap] workflow bundle ${join(buildDir, '..', 'lib', WORKFLOW_BUNDLE_FILE)} (${(code.length / 1e6).toFixed(1)} MB)`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? `${err.message}` : err);
  process.exit(1);
});
