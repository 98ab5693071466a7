#!/usr/bin/env bash
# The whole test suite, what CI runs (.ci/run):
#   - configure, build (warnings as errors) and run every test, the fuzzers'
#     kept inputs included (fuzz_replay.*);
#   - each fuzzer for KILN_FUZZ_SECONDS (default 20) in its own clang build,
#     BUILD_DIR-fuzz (fuzz/run.sh), under ASan and UBSan;
#   - the whole suite under ASan (scripts/asan.sh in BUILD_DIR-asan;
#     KILN_ASAN_UBSAN=1 adds UBSan, at twice the compile);
#   - the engine and server tests under TSan (scripts/tsan.sh in
#     BUILD_DIR-tsan).
# KILN_CI_ASAN=0 or KILN_CI_TSAN=0 leaves that sanitizer out.
# The ASan run starts once the normal build is done and runs beside
# the normal suite, the fuzzers and the TSan run: a suite mostly waits on
# servers and child processes, and a fuzzer keeps one core, so run one
# after the other they left a core idle for much of the time (README,
# "What CI runs", has the figures). Its output is printed when it ends.
# Each phase's wall time is printed as it ends, and all of them at the end
# (with the load average), so a CI log says where the minutes went.
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

# background NAME COMMAND...: starts COMMAND in a process group of its own,
# its output in BUILD_DIR-NAME/test.sh.log; finish NAME waits for it, prints
# that output and records its wall time. A failing phase ends the run and, with
# it, whatever still runs in the background.
background_pid=
background_start=0
background() {
  local name=$1
  shift
  background_start=$SECONDS
  mkdir -p "${build_dir%/}-$name"
  setsid -w "$@" >"${build_dir%/}-$name/test.sh.log" 2>&1 &
  background_pid=$!
  echo "test.sh: $name started in the background (output: ${build_dir%/}-$name/test.sh.log)" >&2
}
finish() {
  local name=$1 status=0
  wait "$background_pid" || status=$?
  background_pid=
  cat "${build_dir%/}-$name/test.sh.log" >&2
  timings+=("$(printf '%-10s %4d s (beside the phases above)' "$name" $((SECONDS - background_start)))")
  echo "test.sh: $name took $((SECONDS - background_start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  return "$status"
}
report() {
  if [[ -n $background_pid ]]; then  # its group, or itself if not yet in one
    kill -- "-$background_pid" 2>/dev/null || kill "$background_pid" 2>/dev/null || true
  fi
  printf 'test.sh: %s\n' "${timings[@]}" "total      $SECONDS s" >&2
}
trap report EXIT

phase install scripts/install-deps.sh
phase configure cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKILN_WERROR=ON >/dev/null
phase build cmake --build "$build_dir" -j"$(nproc)"
if [[ ${KILN_CI_ASAN:-1} != 0 ]]; then
  background asan scripts/asan.sh "${build_dir%/}-asan"
fi
phase ctest bash -c 'cd "$1" && ctest --output-on-failure -j"$(nproc)" --timeout 600' _ "$build_dir"
phase fuzz env KILN_FUZZ_BUILD_DIR="${build_dir%/}-fuzz" fuzz/run.sh "${KILN_FUZZ_SECONDS:-20}"
if [[ ${KILN_CI_TSAN:-1} != 0 ]]; then
  phase tsan scripts/tsan.sh "${build_dir%/}-tsan"
fi
if [[ -n $background_pid ]]; then
  finish asan
fi
