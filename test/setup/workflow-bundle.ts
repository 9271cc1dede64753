/**
 * The workflow bundle a test run uses, chosen once by the global setup: the build's `lib/workflow-bundle.js`
 * when it was built from the workflow sources as they are now, otherwise a bundle of the current sources in
 * the run's folder, so a test never checks workflow code older than the checkout's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORKFLOW_BUNDLE_MANIFEST } from '../../scripts/build-workflow-bundle-manifest';
import { workflowSourcesDigest } from '../../scripts/workflow-sources-digest';
import { buildWorkflowBundle, WORKFLOW_BUNDLE_FILE } from '../../worker/workflow-bundle';

/** Returns the path of the bundle this run's workers and replay tests load. */
export async function chooseTestWorkflowBundle(repoRoot: string, runDir: string): Promise<string> {
  const prebuilt = join(repoRoot, 'lib', WORKFLOW_BUNDLE_FILE);
  const manifest = join(repoRoot, 'lib', WORKFLOW_BUNDLE_MANIFEST);
  if (existsSync(prebuilt) && existsSync(manifest)) {
    const { sources } = JSON.parse(readFileSync(manifest, 'utf8')) as { sources?: string };
    if (sources === workflowSourcesDigest(repoRoot)) return prebuilt;
  }
  process.stderr.write(
    `[test] ${prebuilt} is missing or older than workflows/ (bash scripts/bootstrap.sh rebuilds it): ` +
      'this run bundles the current workflow sources\n',
  );
  const own = join(runDir, WORKFLOW_BUNDLE_FILE);
  writeFileSync(own, await buildWorkflowBundle(join(repoRoot, 'workflows')));
  return own;
}
