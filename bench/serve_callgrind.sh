#!/usr/bin/env bash
# Instructions per request of `kiln serve` (user space), by callgrind:
# serves the 1,000-post corpus (as bench/serve_bench.sh builds it) under
# valgrind with instrumentation off, switches it on once the server is up
# and the page cached, runs wrk -t1 for DURATION s (c1, c64, and c64 with
# "Connection: close") against the post page closest to 6 KB, switches it
# off, and prints Ir / requests. Start-up and the first build are not
# counted. Part of a request's cost depends on whether wrk's next request is
# already there when the server looks (see docs/server.md): repeat a run.
#
# Usage: bench/serve_callgrind.sh [path/to/kiln]   (default: build/kiln)
# Needs: valgrind, wrk, python3, curl. Only 127.0.0.1; about 1 min.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
KILN=$(realpath "${1:-$REPO/build/kiln}")
CORPUS=${KILN_CORPUS_GEN:-$REPO/../shared/corpus/gen_corpus.py}
DURATION=${DURATION:-4}
PORT=${KILN_PORT:-18490}

for tool in valgrind callgrind_control callgrind_annotate wrk python3 curl; do
  command -v "$tool" >/dev/null || { echo "serve_callgrind: $tool is missing" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/kiln-serve-callgrind-XXXXXX)
PID=""
cleanup() {
  [[ -n "$PID" ]] && kill -TERM "$PID" 2>/dev/null && wait "$PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

python3 "$CORPUS" --posts 1000 --seed 1 --out "$WORK/blog" >/dev/null
cp -r "$REPO/templates" "$REPO/static" "$REPO/kiln.toml" "$WORK/blog/"
"$KILN" build --site "$WORK/blog" >/dev/null 2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
PAGE=$(cd "$WORK/blog/site" && find posts -name index.html -printf '%s %p\n' |
       awk '{d=$1-6144; if (d<0) d=-d; if (best=="" || d<best) {best=d; page=$2}} END {print page}')
URL="http://127.0.0.1:$PORT/${PAGE%index.html}"

for config in c1 c64 c64-close; do
  out="$WORK/$config.callgrind"
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
    "$KILN" serve --site "$WORK/blog" --host 127.0.0.1 --port "$PORT" 2>"$WORK/$config.log" &
  PID=$!
  for _ in $(seq 600); do grep -q "kiln: serving" "$WORK/$config.log" && break; sleep 0.2; done
  curl -s -o /dev/null "$URL"
  callgrind_control -i on "$PID" >/dev/null 2>&1
  case $config in
    c1) n=$(timeout 30 wrk -t1 -c1 -d"${DURATION}s" "$URL" | awk '/requests in/ {print $1}') ;;
    c64) n=$(timeout 30 wrk -t1 -c64 -d"${DURATION}s" "$URL" | awk '/requests in/ {print $1}') ;;
    c64-close) n=$(timeout 30 wrk -t1 -c64 -d"${DURATION}s" -H 'Connection: close' "$URL" |
                   awk '/requests in/ {print $1}') ;;
  esac
  callgrind_control -i off "$PID" >/dev/null 2>&1
  kill -TERM "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  ir=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$config: $n requests, $ir instructions, $((ir / n)) per request"
done
