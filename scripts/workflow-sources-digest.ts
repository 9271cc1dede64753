/**
 * A digest of what a workflow bundle is made of: every file under `workflows/` and the versions of the Temporal
 * packages bundled with them. Two equal digests mean the bundle built from one serves the other.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** The Temporal packages whose code goes into the bundle. */
const BUNDLED_PACKAGES = ['@temporalio/workflow', '@temporalio/common', '@temporalio/worker'];

/** SHA-256 (hex) over the workflow sources of the checkout at `repoRoot` and the bundled packages' versions. */
export function workflowSourcesDigest(repoRoot: string): string {
  const hash = createHash('sha256');
  const dir = join(repoRoot, 'workflows');
  for (const file of listFiles(dir)) {
    hash.update(`${relative(repoRoot, file)}\0`);
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  for (const name of BUNDLED_PACKAGES) {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    hash.update(`${name}@${manifest.version}\0`);
  }
  return hash.digest('hex');
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}
