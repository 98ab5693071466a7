#!/usr/bin/env bash
# kiln serve against nginx on the same files, in the same run (STYLE.md:
# "compare with a peer in the same run"; issue 3: "serve at least as many
# requests per second as nginx on the same files").
#
# Builds a 1,000-post corpus site with kiln, serves its site/ with
# `kiln serve` and with nginx (one worker, sendfile on, access_log off,
# open_file_cache), both pinned to CPU 0, and measures both with wrk -t1
# pinned to CPU 1, interleaved: a ~6 KB page at 1 and 64 keep-alive
# connections, and at 64 connections with "Connection: close". Three runs of
# 5 s each (RUNS, DURATION); prints the medians, the ratio of the medians
# kiln/nginx and the median of the per-run ratios (each run measures kiln
# and nginx back to back, so it is less sensitive to other load on the
# machine), and the load average at the start and the end, as Markdown.
#
# Usage: bench/serve_bench.sh [path/to/kiln]   (default: build/kiln)
# Needs: nginx, wrk, taskset, python3. Only 127.0.0.1; takes about 2 min.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
KILN=$(realpath "${1:-$REPO/build/kiln}")
CORPUS=${KILN_CORPUS_GEN:-$REPO/../shared/corpus/gen_corpus.py}
DURATION=${DURATION:-5}
RUNS=${RUNS:-3}
KILN_PORT=${KILN_PORT:-18480}
NGINX_PORT=${NGINX_PORT:-18481}

for tool in nginx wrk taskset python3 curl; do
  command -v "$tool" >/dev/null || { echo "serve_bench: $tool is missing (scripts/install-deps.sh --bench)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/kiln-serve-bench-XXXXXX)
chmod 755 "$WORK"  # nginx's worker runs as an unprivileged user
KILN_PID=""
cleanup() {
  [[ -n "$KILN_PID" ]] && kill -TERM "$KILN_PID" 2>/dev/null && wait "$KILN_PID" 2>/dev/null || true
  [[ -f "$WORK/nginx.pid" ]] && kill -QUIT "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "serve_bench: generating and building the corpus in $WORK" >&2
python3 "$CORPUS" --posts 1000 --seed 1 --out "$WORK/blog" >/dev/null
cp -r "$REPO/templates" "$REPO/static" "$REPO/kiln.toml" "$WORK/blog/"
"$KILN" build --site "$WORK/blog" >/dev/null 2>"$WORK/build.log" || { cat "$WORK/build.log" >&2; exit 1; }
chmod -R a+rX "$WORK/blog/site"

# The page closest to 6 KB: a post page of typical size.
PAGE=$(cd "$WORK/blog/site" && find posts -name index.html -printf '%s %p\n' |
       awk '{d=$1-6144; if (d<0) d=-d; if (best=="" || d<best) {best=d; page=$2}} END {print page}')
URL_PATH="/${PAGE%index.html}"
SIZE=$(stat -c %s "$WORK/blog/site/$PAGE")

cat > "$WORK/nginx.conf" <<NGINX
worker_processes 1;
daemon on;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 4096; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  sendfile on;
  open_file_cache max=10000 inactive=60s;
  open_file_cache_valid 60s;
  client_body_temp_path $WORK/nginx-body;
  proxy_temp_path $WORK/nginx-proxy;
  fastcgi_temp_path $WORK/nginx-fastcgi;
  uwsgi_temp_path $WORK/nginx-uwsgi;
  scgi_temp_path $WORK/nginx-scgi;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/blog/site;
    index index.html;
  }
}
NGINX
taskset -c 0 nginx -c "$WORK/nginx.conf"
taskset -c 0 "$KILN" serve --site "$WORK/blog" --host 127.0.0.1 --port "$KILN_PORT" 2>"$WORK/kiln.log" &
KILN_PID=$!
for _ in $(seq 100); do grep -q "kiln: serving" "$WORK/kiln.log" 2>/dev/null && break; sleep 0.1; done
grep -q "kiln: serving" "$WORK/kiln.log" || { cat "$WORK/kiln.log" >&2; exit 1; }

for port in "$KILN_PORT" "$NGINX_PORT"; do
  got=$(curl -s "http://127.0.0.1:$port$URL_PATH" | wc -c)
  [[ "$got" == "$SIZE" ]] || { echo "serve_bench: port $port served $got bytes, expected $SIZE" >&2; exit 1; }
done
echo "serve_bench: page $URL_PATH ($SIZE bytes), $RUNS runs of ${DURATION}s each" >&2

# One wrk run: prints requests/s.
measure() {  # port connections [extra wrk args…]
  local port=$1 conns=$2
  shift 2
  taskset -c 1 wrk -t1 -c"$conns" -d"${DURATION}s" "$@" "http://127.0.0.1:$port$URL_PATH" |
    awk '/Requests\/sec/ {print $2}'
}
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

declare -A results ratios
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
configs=("c1" "c64" "c64-close")
for run in $(seq "$RUNS"); do
  for config in "${configs[@]}"; do
    for server in kiln nginx; do
      port=$KILN_PORT; [[ $server == nginx ]] && port=$NGINX_PORT
      case $config in
        c1) r=$(measure "$port" 1) ;;
        c64) r=$(measure "$port" 64) ;;
        c64-close) r=$(measure "$port" 64 -H 'Connection: close') ;;
      esac
      results[$server-$config]+="$r "
      echo "serve_bench: run $run $config $server: $r req/s" >&2
      [[ $server == nginx ]] && ratios[$config]+="$(awk -v k="$last" -v n="$r" 'BEGIN {printf "%.3f", k / n}') "
      last=$r
    done
  done
done

echo "load average (1, 5, 15 min): $LOAD_START at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo
echo "| ${SIZE}-byte page | kiln serve (req/s) | nginx (req/s) | kiln / nginx | median of per-run ratios |"
echo "|---|---:|---:|---:|---:|"
for config in "${configs[@]}"; do
  # shellcheck disable=SC2086
  k=$(median ${results[kiln-$config]})
  # shellcheck disable=SC2086
  n=$(median ${results[nginx-$config]})
  # shellcheck disable=SC2086
  q=$(median ${ratios[$config]})
  awk -v c="$config" -v k="$k" -v n="$n" -v q="$q" 'BEGIN {printf "| %s | %.0f | %.0f | %.2f | %.2f |\n", c, k, n, k / n, q}'
done
