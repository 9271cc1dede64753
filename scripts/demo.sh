#!/usr/bin/env bash
# The demo command: bootstrap what is missing, then run one migration end to end on the embedded stack.
#   npm run demo            run it (Temporal + Web UI stay up afterwards for browsing)
#   npm run demo -- stop    stop the Temporal server a previous demo left running
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# A supported Node LTS first on PATH (installed into the cache when the machine's is older): see the script.
source scripts/node-runtime.sh
bash scripts/bootstrap.sh
exec node lib/scripts/demo/main.js "$@"
