#!/usr/bin/env bash
# The whole test suite: configure, build (warnings as errors), run every test
# (the fuzzers' kept inputs included, as fuzz_replay.*), then run each
# fuzzer for KILN_FUZZ_SECONDS (default 20) in its own clang build,
# BUILD_DIR-fuzz (fuzz/run.sh). What CI runs (.ci/run).
# Usage: scripts/test.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_WERROR=ON >/dev/null
cmake --build "$build_dir" -j"$(nproc)"
(cd "$build_dir" && ctest --output-on-failure -j"$(nproc)" --timeout 600)
KILN_FUZZ_BUILD_DIR="${build_dir%/}-fuzz" fuzz/run.sh "${KILN_FUZZ_SECONDS:-20}"
