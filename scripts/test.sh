#!/usr/bin/env bash
# The whole test suite: configure, build (warnings as errors), run every test
# (the fuzzers' kept inputs included, as fuzz_replay.*), then run each
# fuzzer for KILN_FUZZ_SECONDS (default 20) in its own clang build,
# BUILD_DIR-fuzz (fuzz/run.sh). What CI runs (.ci/run).
# Each phase's wall time is printed as it ends, and all of them at the end
# (with the load average), so a CI log says where the minutes went.
# KILN_CI_ASAN=1 adds the whole suite under ASan+UBSan (scripts/asan.sh in
# BUILD_DIR-asan); not on by default: measured and scaled, it would take a
# clean run from 17 minutes to about 37, past the 30 allowed (README,
# "What CI runs").
# Usage: scripts/test.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

timings=()
phase() {  # phase NAME COMMAND...: runs COMMAND, records its wall time
  local name=$1 start=$SECONDS
  shift
  "$@"
  timings+=("$(printf '%-10s %4d s' "$name" $((SECONDS - start)))")
  echo "test.sh: $name took $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
}
report() { printf 'test.sh: %s\n' "${timings[@]}" "total      $SECONDS s" >&2; }
trap report EXIT

phase install scripts/install-deps.sh
phase configure cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_WERROR=ON >/dev/null
phase build cmake --build "$build_dir" -j"$(nproc)"
phase ctest bash -c 'cd "$1" && ctest --output-on-failure -j"$(nproc)" --timeout 600' _ "$build_dir"
phase fuzz env KILN_FUZZ_BUILD_DIR="${build_dir%/}-fuzz" fuzz/run.sh "${KILN_FUZZ_SECONDS:-20}"
if [[ ${KILN_CI_ASAN:-0} == 1 ]]; then
  phase asan scripts/asan.sh "${build_dir%/}-asan"
fi
