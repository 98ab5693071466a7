#!/usr/bin/env bash
# Two builds of kiln serve, A and B, on the same page in the same run,
# interleaved: for changes on the request path (issue 9 measured hit
# counting with it) when the machine is too busy for serve_bench.sh's
# absolute figures to mean much. Builds the corpus of serve_bench.sh once,
# gives each binary its own copy (its own kiln.db: schemas differ between
# builds), serves both pinned to CPU 0 (one is idle while the other is
# measured) and runs wrk -t1 pinned to CPU 1, A then B, RUNS times of
# DURATION s at 1 and 64 keep-alive connections. Prints the medians and
# the median of the per-run ratios B/A (each pair back to back).
#
# Usage: bench/serve_ab.sh path/to/kiln-A path/to/kiln-B
# Needs: wrk, taskset, python3, curl. Only 127.0.0.1.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
A=$(realpath "$1")
B=$(realpath "$2")
CORPUS=${KILN_CORPUS_GEN:-$REPO/../shared/corpus/gen_corpus.py}
DURATION=${DURATION:-5}
RUNS=${RUNS:-5}
PORT_A=${PORT_A:-18580}
PORT_B=${PORT_B:-18581}

WORK=$(mktemp -d /tmp/kiln-serve-ab-XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 "$CORPUS" --posts 1000 --seed 1 --out "$WORK/corpus" >/dev/null
cp -r "$REPO/templates" "$REPO/static" "$REPO/kiln.toml" "$WORK/corpus/"
start() {  # name binary port
  cp -r "$WORK/corpus" "$WORK/$1"
  "$2" build --site "$WORK/$1" >/dev/null 2>"$WORK/$1-build.log" || { cat "$WORK/$1-build.log" >&2; exit 1; }
  taskset -c 0 "$2" serve --site "$WORK/$1" --host 127.0.0.1 --port "$3" 2>"$WORK/$1.log" &
  PIDS+=($!)
  for _ in $(seq 100); do grep -q "kiln: serving" "$WORK/$1.log" && return; sleep 0.1; done
  cat "$WORK/$1.log" >&2
  exit 1
}
start a "$A" "$PORT_A"
start b "$B" "$PORT_B"
PAGE=$(cd "$WORK/a/site" && find posts -name index.html -printf '%s %p\n' |
       awk '{d=$1-6144; if (d<0) d=-d; if (best=="" || d<best) {best=d; page=$2}} END {print page}')
URL_PATH="/${PAGE%index.html}"
for port in "$PORT_A" "$PORT_B"; do curl -sf -o /dev/null "http://127.0.0.1:$port$URL_PATH"; done

measure() {  # port connections
  taskset -c 1 wrk -t1 -c"$2" -d"${DURATION}s" "http://127.0.0.1:$1$URL_PATH" | awk '/Requests\/sec/ {print $2}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A results ratios
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$RUNS"); do
  for conns in 1 64; do
    a=$(measure "$PORT_A" "$conns")
    b=$(measure "$PORT_B" "$conns")
    echo "serve_ab: run $run c$conns: A $a, B $b req/s" >&2
    results[a-$conns]+="$a "
    results[b-$conns]+="$b "
    ratios[$conns]+="$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}') "
  done
done
echo "A: ${1}, B: ${2}; page $URL_PATH; $RUNS runs of ${DURATION}s"
echo "load average (1, 5, 15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| keep-alive | A (req/s) | B (req/s) | B / A | median of per-run B / A | per run B / A |"
echo "|---|---:|---:|---:|---:|---|"
for conns in 1 64; do
  # shellcheck disable=SC2086
  a=$(median ${results[a-$conns]})
  # shellcheck disable=SC2086
  b=$(median ${results[b-$conns]})
  # shellcheck disable=SC2086
  q=$(median ${ratios[$conns]})
  awk -v c="c$conns" -v a="$a" -v b="$b" -v q="$q" -v all="${ratios[$conns]}" \
    'BEGIN {printf "| %s | %.0f | %.0f | %.3f | %.3f | %s |\n", c, a, b, b / a, q, all}'
done
