#!/usr/bin/env bash
# The mutation table of docs/mutation-table.md: for each patch in
# tests/mutation/ (each makes the engine forget one kind of dependency, or
# hash one less field), build a kiln with that patch applied to a scratch
# copy of the tree, run the incremental property test with its incremental
# builds on that kiln (KILN_PROPTEST_BINARY; reference builds keep the real
# one), and print one Markdown row: how many seeds fail, and at which step
# each seed first fails. The first row runs the unpatched copy: it must show
# no failure. The working tree is never patched.
#
# Usage: tests/mutation/run.sh [PATCH_NAME…]   (default: every patch)
#        KILN_MUTATION_BASELINE=0 tests/mutation/run.sh …   (no unpatched run)
# Needs kiln_tests built in $KILN_BUILD_DIR (default: build/). Honours
# KILN_PROPTEST_SEEDS and KILN_PROPTEST_STEPS. The patches are tied to the
# engine's code: when one no longer applies, the script says so and goes on.
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${KILN_BUILD_DIR:-$repo/build}" && pwd)
tests_binary=$build/tests/kiln_tests
[ -x "$tests_binary" ] || { echo "run.sh: build kiln_tests in $build first" >&2; exit 2; }

# The scratch tree lives in the build folder with the same layout as the
# repository (tree/src, tree/build), so ccache (CCACHE_BASEDIR) finds the
# objects of the unchanged files.
scratch=$build/mutation
tree=$scratch/tree
rm -rf "$tree"
mkdir -p "$tree"
git -C "$repo" ls-files -z | tar -C "$repo" --null -T - -cf - | tar -C "$tree" -xf -
build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")
werror=$(sed -n 's/^KILN_WERROR:[A-Z]*=//p' "$build/CMakeCache.txt")
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$repo")}
cmake -S "$tree" -B "$tree/build" -DCMAKE_BUILD_TYPE="${build_type:-RelWithDebInfo}" \
  -DKILN_WERROR="${werror:-OFF}" -DKILN_BUILD_TESTS=OFF -DKILN_BUILD_BENCH=OFF "${launcher[@]}" >/dev/null

# git apply must not find the repository above the scratch tree.
apply() { GIT_CEILING_DIRECTORIES=$scratch git -C "$tree" apply "$@"; }

# The table measures stale pages: site/_headers, which lists every page's
# keys, would show any dropped key at the first build (KILN_PROPTEST_PAGES_ONLY=0
# compares it too).
export KILN_PROPTEST_PAGES_ONLY=${KILN_PROPTEST_PAGES_ONLY:-1}
# The scratch build finds build/'s objects in ccache only if the build
# folder's path is not hashed (-g records it).
export CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
seeds=${KILN_PROPTEST_SEEDS:-8}
steps=${KILN_PROPTEST_STEPS:-40}
if [ $# -gt 0 ]; then names=("$@"); else
  names=(); for p in "$repo"/tests/mutation/*.patch; do names+=("$(basename "$p" .patch)"); done
fi

echo "| mutation | seeds failing (of $seeds) | first failing step of each failing seed (of $steps) |"
echo "|---|---|---|"
# KILN_MUTATION_BASELINE=0 skips the unpatched run.
runs=("${names[@]}")
[ "${KILN_MUTATION_BASELINE:-1}" = 0 ] || runs=(baseline "${names[@]}")
for name in "${runs[@]}"; do
  patch=$repo/tests/mutation/$name.patch
  if [ "$name" != baseline ] && ! apply --check "$patch" 2>/dev/null; then
    echo "| $name | patch no longer applies | |"
    continue
  fi
  [ "$name" = baseline ] || apply "$patch"
  log=$scratch/$name.log
  if nice cmake --build "$tree/build" --target kiln -j2 >"$log" 2>&1; then
    KILN_PROPTEST_BINARY=$tree/build/kiln "$tests_binary" \
      --gtest_filter='Seeds/IncrementalPropertyTest.*' >>"$log" 2>&1 || true
    # The first failing step of each seed ("PROPTEST FAILURE seed=S step=K").
    failures=$(grep -o 'PROPTEST FAILURE seed=[0-9]* step=[0-9]*' "$log" || true)
    firsts=$(echo "$failures" | sed -n 's/.*seed=\([0-9]*\) step=\([0-9]*\)/\1 \2/p' |
             sort -n -k1,1 -k2,2 | awk '!seen[$1]++ {print $2}' | sort -n | paste -sd, - | sed 's/,/, /g')
    failing=$(echo "$failures" | sed -n 's/.*seed=\([0-9]*\).*/\1/p' | sort -u | wc -l)
    echo "| $name | $failing | ${firsts:--} |"
  else
    echo "| $name | does not build (see $log) | |"
  fi
  [ "$name" = baseline ] || apply -R "$patch"
done
