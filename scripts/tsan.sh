#!/usr/bin/env bash
# The engine and server tests under ThreadSanitizer: pages render on several
# threads, and kiln serve runs builds on a worker beside its I/O thread.
# Usage: scripts/tsan.sh [BUILD_DIR] [GTEST_FILTER]   (default: build-tsan)
# Third-party libraries are not instrumented; the suppressions file names
# the ones whose internal synchronisation TSan cannot see.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build-tsan}
filter=${2:-'Determinism*:MarkdownThreads*:BuildScenarios*:QuickCheck*:CrashSafety*:BuildLock*:Server*:CommentApi*:RebuildCoordinator*:LiveReload*:StaticFiles*:Watcher*:*Webhook*:ReplayGuard*:FailedBuild*:LockedStore*:PurgeQueue*:HitStats*:HitMonitoring*'}
scripts/install-deps.sh
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Tsan -DKILN_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j"$(nproc)" --target kiln kiln_tests
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/scripts/tsan.supp"
"$build_dir/tests/kiln_tests" --gtest_filter="$filter"
