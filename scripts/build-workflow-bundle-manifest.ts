/** The name of the manifest the bundle step writes beside `lib/workflow-bundle.js`. */

/** File name of the bundle's manifest (`{ "sources": <workflowSourcesDigest> }`), beside the bundle. */
export const WORKFLOW_BUNDLE_MANIFEST = 'workflow-bundle.json';
