#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer:
# the engine, the store, the server (the real binary is built with the same
# flags, so the tests that run it check it too) and the property tests.
# Usage: scripts/asan.sh [BUILD_DIR]   (default: build-asan)
# Not part of scripts/test.sh unless KILN_CI_ASAN=1: GCC takes 1.6 times
# the CPU of the normal build on a test file with these flags (2.3 times
# with -g), and whether the whole fits in CI's time is not yet measured
# (README, "Sanitizers and fuzzers").
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-asan}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=AsanUbsan -DKILN_BUILD_BENCH=OFF >/dev/null
# Every target, not only kiln and kiln_tests: ctest also runs the fuzz
# replay tests (fuzz_replay.*), whose executables would be missing.
cmake --build "$build_dir" -j"$(nproc)"
# detect_leaks: a leak in a test process is a failed test too, except the
# ones inside libraries listed in fuzz/lsan.supp (GNU Source-highlight's
# language definition parser keeps what it parses).
export ASAN_OPTIONS="detect_leaks=1 abort_on_error=1 strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/fuzz/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
cd "$build_dir"
ctest --output-on-failure -j"$(nproc)" --timeout 1200
