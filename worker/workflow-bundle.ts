/**
 * The workflow code a worker runs: the bundle built ahead of time with `lib/` (`lib/workflow-bundle.js`, as
 * Temporal advises for production), or, when there is none, a bundle made at start, quietly and said once.
 * The replay tests load the same file, so what they check is what the workers run.
 */
import { bundleWorkflowCode, DefaultLogger, type WorkerOptions } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the prebuilt bundle, beside `workflows/` in the build output (`lib/workflow-bundle.js`). */
export const WORKFLOW_BUNDLE_FILE = 'workflow-bundle.js';

/**
 * Workflow interceptor modules baked into the bundle. With `workflowBundle`, Temporal ignores
 * `interceptors.workflowModules` at worker start, so a workflow interceptor is added here: the migration's
 * metrics and its per-run tracing (workflows/interceptors.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES: readonly string[] = [require.resolve('../workflows/interceptors')];

/** Where the build puts the bundle relative to this module: `lib/worker/` → `lib/workflow-bundle.js`. */
export function prebuiltWorkflowBundlePath(): string {
  return join(__dirname, '..', WORKFLOW_BUNDLE_FILE);
}

/**
 * Bundles the workflows at `workflowsPath` (default: this build's `workflows/`) with webpack. Webpack's report
 * goes nowhere unless the bundle fails, when it is thrown with the error.
 */
export async function buildWorkflowBundle(workflowsPath = require.resolve('../workflows')): Promise<string> {
  const report: string[] = [];
  const logger = new DefaultLogger('INFO', (entry) => report.push(entry.message));
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath,
      workflowInterceptorModules: [...WORKFLOW_INTERCEPTOR_MODULES],
      logger,
    });
    return code;
  } catch (err) {
    throw new Error(`bundling the workflow code at ${workflowsPath} failed:\n${report.join('\n')}`, { cause: err });
  }
}

/**
 * The `workflowBundle` option of a worker. An explicit path must exist (a clear error otherwise); with none,
 * the build's prebuilt bundle is used, and where there is none (running from sources, or a build without the
 * bundle step) the code is bundled now, with one line on stderr saying so and how to avoid it.
 */
export async function workflowBundleOption(explicitPath?: string): Promise<Pick<WorkerOptions, 'workflowBundle'>> {
  if (explicitPath !== undefined) {
    if (!existsSync(explicitPath))
      throw new Error(`the workflow bundle ${explicitPath} does not exist: build it with \`npm run build\``);
    return { workflowBundle: { codePath: explicitPath } };
  }
  const prebuilt = prebuiltWorkflowBundlePath();
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  if (__filename.endsWith('.js'))
    console.error(
      `aurora-migrate: no prebuilt workflow bundle at ${prebuilt}; bundling the workflow code now ` +
        '(about a second per worker start; `npm run build` writes the bundle)',
    );
  return { workflowBundle: { code: await buildWorkflowBundle() } };
}
