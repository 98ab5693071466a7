#!/usr/bin/env bash
# The engine and server tests under ThreadSanitizer: pages render on several
# threads, and kiln serve runs builds on a worker beside its I/O thread.
# Usage: scripts/tsan.sh [BUILD_DIR] [GTEST_FILTER]   (default: build-tsan)
# The default filter is every suite defined in tests/engine/ and
# tests/serve/, read from their TEST lines (a hand-kept list of 19 names
# had fallen behind: it left out 199 of those tests, the HTTP server's,
# the notifier's and the resident engine's among them), and the two
# thread-safety suites kept elsewhere: the markdown lock's and the purge
# queue's.
# Third-party libraries are not instrumented; the suppressions file names
# the ones whose internal synchronisation TSan cannot see.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-tsan}
suites=$(grep -ohE '^(TEST|TEST_F|TEST_P|TYPED_TEST)\( *[A-Za-z0-9_]+' tests/engine/*.cc tests/serve/*.cc |
         sed -E 's/.*\( *//' | sort -u | sed 's/.*/*&.*/' | paste -sd: -)
filter=${2:-"$suites:*MarkdownThreads*:*PurgeQueue*"}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Tsan -DKILN_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target kiln kiln_tests
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp"
"$build_dir/tests/kiln_tests" --gtest_filter="$filter"
