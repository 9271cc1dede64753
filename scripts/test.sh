#!/usr/bin/env bash
# The test command: bootstrap what is missing, lint, then run every jest suite against real servers that the
# suite starts and stops itself. Any server left running by a crash is killed on the way out.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# A supported Node LTS first on PATH (installed into the cache when the machine's is older): see the script.
source scripts/node-runtime.sh
bash scripts/bootstrap.sh

mkdir -p .tmp
export AURORA_TEST_PIDS_FILE="$repo/.tmp/test-pids-$$"
: >"$AURORA_TEST_PIDS_FILE"
cleanup() {
  while read -r pid; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done <"$AURORA_TEST_PIDS_FILE"
  rm -f "$AURORA_TEST_PIDS_FILE"
}
trap cleanup EXIT

echo "== lint (eslint + prettier)"
npx eslint . --max-warnings=0
npx prettier --check . --log-level=warn

echo "== tests (jest, real Temporal dev server + S3 server + RDS emulator)"
npx jest --runInBand "$@"
