#!/usr/bin/env bash
# Builds the fuzzers with clang (libFuzzer + ASan + UBSan) and runs each for a
# bounded time; scripts/test.sh runs it in CI (KILN_FUZZ_SECONDS each).
# Usage: fuzz/run.sh [SECONDS_PER_FUZZER] [fuzzer names...]   (default 60, all)
# Needs clang-14 and libclang-rt-14-dev (scripts/install-deps.sh).
# Crashes are written to build-fuzz/artifacts/; the corpus grows in
# build-fuzz/corpus/NAME (seeded from fuzz/seeds/NAME and
# fuzz/regressions/NAME). Keep a crash as a regression case by copying it to
# fuzz/regressions/NAME/ with the fix: the normal build replays it
# (fuzz_replay.NAME).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
fuzzers=("$@")
[[ ${#fuzzers[@]} -eq 0 ]] && fuzzers=(front_matter comment_markdown config disqus_export path_resolver comment_request http_request)
build=${KILN_FUZZ_BUILD_DIR:-build-fuzz}
jobs=${KILN_FUZZ_BUILD_JOBS:-2}

# -O1 rather than RelWithDebInfo's -O2, and line tables only (-g1): the
# build is most of this script's time in CI, and clang spent 51 s of CPU
# on one unity batch of the fuzzed sources against 63 s (2026-11-27).
# 32 files a unity batch, as scripts/asan.sh says why.
cmake -S . -B "$build" -DKILN_FUZZ=ON -DKILN_BUILD_TESTS=OFF -DKILN_BUILD_BENCH=OFF \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DKILN_UNITY_BATCH_SIZE="${KILN_UNITY_BATCH_SIZE:-32}" \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  ${KILN_FUZZ_LAUNCHER:+-DCMAKE_CXX_COMPILER_LAUNCHER=$KILN_FUZZ_LAUNCHER} >/dev/null
targets=()
for f in "${fuzzers[@]}"; do targets+=(--target "${f}_fuzzer"); done
build_start=$SECONDS
cmake --build "$build" -j"$jobs" "${targets[@]}"
echo "fuzz/run.sh: build took $((SECONDS - build_start)) s" >&2
runs_start=$SECONDS

mkdir -p "$build/artifacts"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
for f in "${fuzzers[@]}"; do
  corpus="$build/corpus/$f"
  mkdir -p "$corpus"
  echo "== ${f}_fuzzer for ${seconds}s" >&2
  seeds=("fuzz/seeds/$f")
  [[ -d "fuzz/regressions/$f" ]] && seeds+=("fuzz/regressions/$f")
  if ! "$build/fuzz/${f}_fuzzer" "$corpus" "${seeds[@]}" -max_total_time="$seconds" \
      -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$build/artifacts/${f}-" 2>"$build/${f}.log"; then
    echo "!! ${f}_fuzzer found a problem: see $build/${f}.log and $build/artifacts/" >&2
    status=1
  fi
  grep -E "^stat::(number_of_executed_units|new_units_added)|cov:" "$build/${f}.log" | tail -3 >&2 || true
done
echo "fuzz/run.sh: runs took $((SECONDS - runs_start)) s" >&2
exit $status
