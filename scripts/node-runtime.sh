#!/usr/bin/env bash
# Puts a supported Node.js LTS first on PATH, installing one into the per-user cache when the machine's is older.
#   source scripts/node-runtime.sh        (bootstrap.sh, test.sh and demo.sh do: everything after runs on it)
#   bash scripts/node-runtime.sh CMD…     runs CMD on it (npm run bench, npm run test:reliability)
#
# Why: Node 20 is out of support, the AWS SDK warns on every run and its releases after early January 2027 need
# Node >= 22. A `node` on PATH of an even major >= 22 (an LTS line: 22.12+, 24, …) is used as it is; otherwise Node
# $AURORA_MIGRATE_NODE_VERSION (default below) comes from the npm registry, where Node's own binaries are the
# packages node-<os>-<arch> (bin/node only; the machine's npm, plain JavaScript, then runs on that node too).
# `npm pack` checks the tarball against the registry's integrity hash. AURORA_MIGRATE_NODE_BIN names a node
# binary to use instead. The Temporal SDK's native module is Node-API, so one prebuilt binary serves every major.
set -euo pipefail

aurora_node_runtime() {
  local say_prefix='[node-runtime]'
  local want="${AURORA_MIGRATE_NODE_VERSION:-24.22.3}"
  local cache="${AURORA_MIGRATE_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/aurora-migrate}"
  if [ -n "${AURORA_MIGRATE_NODE_BIN:-}" ]; then
    [ -x "$AURORA_MIGRATE_NODE_BIN" ] || { echo "$say_prefix AURORA_MIGRATE_NODE_BIN=$AURORA_MIGRATE_NODE_BIN is not executable" >&2; return 1; }
    PATH="$(dirname "$AURORA_MIGRATE_NODE_BIN"):$PATH"
    return 0
  fi
  local current major minor
  current="$(node -p 'process.versions.node' 2>/dev/null || true)"
  major="${current%%.*}"
  minor="${current#*.}"
  minor="${minor%%.*}"
  # engines asks for >=22.12.0: an even (LTS) major from 22 on, and on 22 itself minor 12 or later.
  if [ -n "$major" ] && [ "$major" -ge 22 ] && [ $((major % 2)) -eq 0 ] && { [ "$major" -gt 22 ] || [ "$minor" -ge 12 ]; }; then
    return 0
  fi

  local dest="$cache/node-v$want"
  if [ ! -x "$dest/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || {
      echo "$say_prefix no npm to fetch Node $want with: install Node.js 22 or 24 (https://nodejs.org)" >&2
      return 1
    }
    local os arch
    case "$(uname -s)" in Linux) os=linux ;; Darwin) os=darwin ;; *) os=unsupported ;; esac
    case "$(uname -m)" in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch=unsupported ;; esac
    if [ "$os" = unsupported ] || [ "$arch" = unsupported ]; then
      echo "$say_prefix no Node binary package for $(uname -s)/$(uname -m): install Node.js 22 or 24 yourself" >&2
      return 1
    fi
    echo "$say_prefix Node ${current:-(none)} is not a supported LTS; installing Node $want (node-$os-$arch from the npm registry, first run only) into $dest…" >&2
    local work
    work="$(mktemp -d)"
    (cd "$work" && npm pack "node-$os-$arch@$want" --silent --no-audit --no-fund >/dev/null)
    rm -rf "$dest.partial" && mkdir -p "$dest.partial"
    tar -xzf "$work"/node-"$os"-"$arch"-*.tgz -C "$dest.partial" --strip-components=1
    rm -rf "$work"
    "$dest.partial/bin/node" -e 'process.exit(0)' || {
      echo "$say_prefix the downloaded Node $want does not run on this machine" >&2
      return 1
    }
    rm -rf "$dest" && mv "$dest.partial" "$dest"
  fi
  PATH="$dest/bin:$PATH"
  export PATH
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  aurora_node_runtime
  exec "$@"
else
  aurora_node_runtime
fi
