#!/usr/bin/env bash
# Installs every Debian package kiln needs to build, test and benchmark, and
# the npm packages of the browser tests (tests/browser/, `npm ci`:
# playwright-core and html-validate, pinned in package-lock.json).
# Idempotent: prints nothing and installs nothing when all is already there.
# Usage: scripts/install-deps.sh [--bench]
#   --bench adds wrk, hugo, hyperfine (bench/*.sh)
# clang 14 and its fuzzer runtime are always installed: scripts/test.sh runs
# the fuzzers (fuzz/run.sh).
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libsqlitecpp-dev libsqlite3-dev sqlite3
  libcmark-gfm-dev libcmark-gfm-extensions-dev
  libsource-highlight-dev
  libkainjow-mustache-dev
  libyaml-cpp-dev libtomlplusplus-dev libcli11-dev nlohmann-json3-dev
  libhowardhinnant-date-dev tzdata
  libssl-dev libxxhash-dev libjemalloc-dev
  libboost-dev
  libcurl4-openssl-dev
  libxml2-dev
  varnish varnish-modules rsync
  nginx-light libnginx-mod-http-cache-purge
  libgtest-dev libgmock-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev
  python3
  chromium
)
# Node.js 20 or later with npm runs the browser tests; Debian 12's nodejs is
# 18, so a machine without node gets it, but playwright-core 1.64 wants 20
# and html-validate 10.9 (tests/browser/html_validate.mjs) 20.19.
command -v npm >/dev/null || packages+=(nodejs npm)
for flag in "$@"; do
  case "$flag" in
    --bench) packages+=(wrk hugo hyperfine valgrind) ;;
    --fuzz) ;;  # what it added is now always installed
    *) echo "install-deps: unknown flag $flag (use --bench)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}" >&2
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# playwright-core drives Debian's /usr/bin/chromium: it must not download a
# browser of its own. npm keeps its own copy of the lock file in
# node_modules; a newer package-lock.json means the packages changed.
browser_dir="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
if [[ ! "$browser_dir/node_modules/.package-lock.json" -nt "$browser_dir/package-lock.json" ]]; then
  echo "install-deps: npm ci in tests/browser" >&2
  (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
fi
