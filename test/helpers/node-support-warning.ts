/**
 * What the AWS SDK prints when the Node it runs on is out of its support (NodeVersionSupportWarning today,
 * NodeDeprecationWarning in earlier releases). Nothing hides it: processes must not print it because they run on
 * a supported Node (scripts/node-runtime.sh).
 */
export const NODE_SUPPORT_WARNING =
  /NodeVersionSupportWarning|NodeDeprecationWarning|no longer support Node|require node >=/i;
