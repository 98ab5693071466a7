#!/usr/bin/env bash
# Whole-build figures of kiln against Hugo, measured in the same run.
#
#   bench/build_bench.sh [--posts N,...] [--runs R] [--keep] [--quiet]
#
# Defaults: --posts 1000,4000 --runs 5 (about 5 minutes on 2 cores); add
# --serve for the comment latency of kiln serve (POST and plain SQL); add
# 20000 with --posts 1000,4000,20000. Prints a markdown table and writes it to
# bench/results/build-DATE.md. The kiln binary is $KILN, by default an
# optimised build in build-bench/ (see docs/benchmarks.md). Scenarios and
# method: bench/build_bench.py.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
main="$(dirname "$here")"
kiln="${KILN:-$main/build-bench/kiln}"

if [[ ! -x "$kiln" ]]; then
  echo "build_bench.sh: no kiln binary at $kiln; build one with" >&2
  echo "  cmake -S $main -B $main/build-bench -DCMAKE_BUILD_TYPE=Release -DKILN_BUILD_TESTS=OFF && cmake --build $main/build-bench -j2" >&2
  exit 2
fi
command -v hugo >/dev/null || { echo "build_bench.sh: hugo not found (the peer)" >&2; exit 2; }

exec python3 "$here/build_bench.py" --kiln "$kiln" --main "$main" --results "$here/results" "$@"
