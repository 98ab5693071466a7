#!/usr/bin/env bash
# The engine and server tests under ThreadSanitizer: pages render on several
# threads, and kiln serve runs builds on a worker beside its I/O thread.
# Usage: scripts/tsan.sh [BUILD_DIR] [GTEST_FILTER]   (default: build-tsan)
# The default set is every suite defined in tests/engine/ and tests/serve/,
# read from their TEST lines (a hand-kept list of 19 names had fallen
# behind: it left out 199 of those tests, the HTTP server's, the notifier's
# and the resident engine's among them), and the thread-safety suites kept
# elsewhere: the markdown lock's, the purge queue's and the WAL
# checkpointer's. They run
# through CTest, -j(nproc) processes at a time, as the normal suite does:
# most of them wait on a server or a child `kiln`, so one process after
# the other left a core idle. A GTEST_FILTER runs the test binary alone
# with that filter instead.
# Prints the wall time of its build and of its tests as each ends.
# scripts/test.sh runs it (KILN_CI_TSAN=0 leaves it out).
# Third-party libraries are not instrumented; the suppressions file names
# the ones whose internal synchronisation TSan cannot see.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-tsan}
filter=${2:-}
scripts/install-deps.sh
# The property tests run 1 of their 8 seeds (engine) and 1 of 3 (server)
# here. What TSan looks for is a race between the threads of one build,
# which every seed's builds run; further seeds try further edit sequences
# on the same code, which the normal suite does (3 engine seeds were 173 s
# of this run's 728 s of test time, 2026-11-27). Set before the build:
# CTest lists the seeds when the test binary is built. Set them to raise
# them.
export KILN_PROPTEST_SEEDS=${KILN_PROPTEST_SEEDS:-1}
export KILN_SERVE_PROPTEST_SEEDS=${KILN_SERVE_PROPTEST_SEEDS:-1}
# 32 files a unity batch, as scripts/asan.sh says why.
# Without a filter the test binary holds only the suites run below
# (tests/CMakeLists.txt, KILN_THREADED_TESTS_ONLY); a filter may name any
# test, so then it holds them all (a filter that matched no test built
# would pass having run nothing).
threaded_only=ON
[[ -n $filter ]] && threaded_only=OFF
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Tsan -DKILN_BUILD_BENCH=OFF \
  -DKILN_UNITY_BATCH_SIZE="${KILN_UNITY_BATCH_SIZE:-32}" -DKILN_THREADED_TESTS_ONLY="$threaded_only" >/dev/null
start=$SECONDS
cmake --build "$build_dir" -j"$(nproc)" --target kiln kiln_tests
echo "tsan.sh: build took $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp"
start=$SECONDS
status=0
if [[ -n $filter ]]; then
  "$build_dir/tests/kiln_tests" --gtest_filter="$filter" || status=$?
else
  # CTest names a test SUITE.NAME, or PREFIX/SUITE.NAME/N when parameterised.
  suites=$(grep -ohE '^(TEST|TEST_F|TEST_P|TYPED_TEST)\( *[A-Za-z0-9_]+' tests/engine/*.cc tests/serve/*.cc |
           sed -E 's/.*\( *//' | sort -u | paste -sd'|' -)
  (cd "$build_dir" &&
   ctest --output-on-failure -j"$(nproc)" --timeout 1200 \
     -R "(^|/)($suites|[A-Za-z0-9_]*(MarkdownThreads|PurgeQueue|WalCheckpointer|StatementCache)[A-Za-z0-9_]*)\.") || status=$?
fi
echo "tsan.sh: tests took $((SECONDS - start)) s (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
exit "$status"
