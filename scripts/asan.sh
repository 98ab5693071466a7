#!/usr/bin/env bash
# The whole test suite under AddressSanitizer: the engine, the store, the
# server (the real binary is built with the same flags, so the tests that
# run it check it too) and the property tests. KILN_ASAN_UBSAN=1 adds
# UndefinedBehaviorSanitizer (build type AsanUbsan), which doubles the
# compile's CPU; CI leaves UBSan to the fuzzers (fuzz/run.sh), which run
# the code that reads untrusted input under both (README, "What CI runs").
# Usage: scripts/asan.sh [BUILD_DIR]   (default: build-asan)
# Prints the wall time of its build and of its ctest as each ends.
# scripts/test.sh runs it beside the normal suite, the fuzzers and the TSan
# run (KILN_CI_ASAN=0 leaves it out).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-asan}
scripts/install-deps.sh
# The property tests run 3 of their 8 seeds (engine) and 1 of 3 (server)
# here: they took 31 % of this suite's test time under ASan+UBSan and 46 %
# of the TSan run's, and further seeds try further edit sequences on the
# same code, which the normal suite does. Set before the build: CTest
# lists the seeds when the test binary is built. Set them to raise them.
export KILN_PROPTEST_SEEDS=${KILN_PROPTEST_SEEDS:-3}
export KILN_SERVE_PROPTEST_SEEDS=${KILN_SERVE_PROPTEST_SEEDS:-1}
build_type=Asan
[[ ${KILN_ASAN_UBSAN:-0} != 0 ]] && build_type=AsanUbsan
# 32 files a unity batch instead of 16: the templates every test file
# instantiates are compiled once for twice as many files (two batches of
# kiln_tests under ASan: 113 s of CPU apart, 96 s as one); two cores still
# have enough batches to share.
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" -DKILN_BUILD_BENCH=OFF \
  -DKILN_UNITY_BATCH_SIZE="${KILN_UNITY_BATCH_SIZE:-32}" >/dev/null
# Every target, not only kiln and kiln_tests: ctest also runs the fuzz
# replay tests (fuzz_replay.*), whose executables would be missing.
start=$SECONDS
cmake --build "$build_dir" -j"$(nproc)"
echo "asan.sh: build took $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
# detect_leaks: a leak in a test process is a failed test too, except the
# ones inside libraries listed in fuzz/lsan.supp (GNU Source-highlight's
# language definition parser keeps what it parses).
export ASAN_OPTIONS="detect_leaks=1 abort_on_error=1 strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
cd "$build_dir"
start=$SECONDS
status=0
# The two browser tests (label `browser`) are left out: their CPU is
# Chromium's and Node's, which ASan does not instrument (under ASan they
# were 55 s of this run's 1,120 s of test time, 2026-11-27); the server
# paths they drive are the serve suites'.
ctest --output-on-failure -j"$(nproc)" --timeout 1200 -LE browser || status=$?
echo "asan.sh: ctest took $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
