#!/usr/bin/env bash
# Installs every Debian package kiln needs to build, test and benchmark.
# Idempotent: prints nothing and installs nothing when all is already there.
# Usage: scripts/install-deps.sh [--bench] [--fuzz]
#   --bench adds nginx, wrk, hugo, hyperfine (bench/*.sh)
#   --fuzz adds clang 14 and its fuzzer runtime (fuzz/run.sh)
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
  varnish varnish-modules rsync
  libgtest-dev libgmock-dev libbenchmark-dev
  python3
)
for flag in "$@"; do
  case "$flag" in
    --bench) packages+=(nginx-light wrk hugo hyperfine valgrind) ;;
    --fuzz) packages+=(clang-14 libclang-rt-14-dev) ;;
    *) echo "install-deps: unknown flag $flag (use --bench or --fuzz)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
SUDO=""
[[ $(id -u) -ne 0 ]] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
