#!/usr/bin/env bash
# Installs everything aurora-migrate needs on a fresh machine, and nothing twice:
#   - npm packages (npm ci, only when package-lock.json changed since the last install);
#   - the Temporal CLI (dev server + Web UI) and versitygw (S3), built with `go install` into a per-user cache
#     outside the repo (${AURORA_MIGRATE_CACHE_DIR:-~/.cache/aurora-migrate}/bin), unless one is given by
#     AURORA_MIGRATE_TEMPORAL_BIN / AURORA_MIGRATE_VERSITYGW_BIN or found on PATH;
#   - moto's S3 server in .venv, only if versitygw cannot be built;
#   - the TypeScript build (lib/).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
cache="${AURORA_MIGRATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aurora-migrate}"
bin="$cache/bin"
mkdir -p "$bin"

say() { printf '[bootstrap] %s\n' "$*" >&2; }

if [ ! -f node_modules/.package-lock.json ] || ! cmp -s package-lock.json node_modules/.aurora-lock-stamp; then
  say "installing npm packages (npm ci)…"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.aurora-lock-stamp
fi

have() { # name, explicit-path-variable
  local explicit="${!2:-}"
  if [ -n "$explicit" ]; then [ -x "$explicit" ] && return 0; say "$2=$explicit is not executable"; exit 1; fi
  command -v "$1" >/dev/null 2>&1 && return 0
  [ -x "$bin/$1" ]
}

go_install() { # module@version
  if ! command -v go >/dev/null 2>&1; then say "Go is not installed: install Go 1.24+ to build $1"; return 1; fi
  say "building $1 with go install (first run only; a few minutes)…"
  GOBIN="$bin" GOFLAGS="${GOFLAGS:--buildvcs=false}" go install "$1"
}

if ! have temporal AURORA_MIGRATE_TEMPORAL_BIN; then
  go_install github.com/temporalio/cli/cmd/temporal@v1.5.1
fi

if ! have versitygw AURORA_MIGRATE_VERSITYGW_BIN; then
  if ! go_install github.com/versity/versitygw/cmd/versitygw@v1.7.0; then
    say "versitygw could not be built; falling back to moto's S3 server in .venv"
    if [ ! -x .venv/bin/moto_server ]; then
      python3 -m venv .venv
      .venv/bin/pip install --quiet 'moto[server]==5.*'
    fi
  fi
fi

if [ ! -f lib/.build-stamp ] || [ -n "$(find workflows activities worker client config emulator scripts bench tsconfig.json package-lock.json -newer lib/.build-stamp -print -quit 2>/dev/null)" ]; then
  say "compiling TypeScript…"
  # Compile beside lib/ and swap it in: processes running from lib/ (a demo, a benchmark) never see it missing.
  rm -rf lib.next
  npx tsc -p tsconfig.json --outDir lib.next
  touch lib.next/.build-stamp
  rm -rf lib.previous
  if [ -d lib ]; then mv lib lib.previous; fi
  mv lib.next lib
  rm -rf lib.previous
fi
