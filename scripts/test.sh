#!/usr/bin/env bash
# The test command: bootstrap what is missing, lint, then run every jest suite against real servers that the
# suite starts and stops itself. Any server left running by a crash is killed on the way out.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
bash scripts/bootstrap.sh

cleanup() {
  local pids=.tmp/test-run/pids
  if [ -f "$pids" ]; then
    while read -r pid; do [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; done <"$pids"
  fi
}
trap cleanup EXIT

echo "== lint (eslint + prettier)"
npx eslint . --max-warnings=0
npx prettier --check . --log-level=warn

echo "== tests (jest, real Temporal dev server + S3 server + RDS emulator)"
npx jest --runInBand "$@"
