#!/usr/bin/env bash
# Uploads what one `kiln build --json` wrote and removed, then purges those
# URL paths in the caches in front of the site (docs/deploy.md, "Publishing
# from CI"). Only the changed files travel; the purges come after the upload,
# so a cache that refetches at once gets the new file.
#
# Usage: scripts/publish.sh REPORT.json SITE_DIR DEST [ENDPOINT...]
#   REPORT.json  the stdout of `kiln build --json`
#   SITE_DIR     the site's output folder (SITE_ROOT/site)
#   DEST         an rsync destination: user@host:/var/www/blog/ or a local folder
#   ENDPOINT     cache purge endpoints, e.g. http://127.0.0.1:6081 (PURGE PATH
#                with the Host of $PURGE_HOST); none: upload only
# Environment: PURGE_HOST (the Host of base_url; required with endpoints),
#   PURGE_PREFIX (base_url's path, default /), RSYNC_FLAGS (extra rsync flags,
#   e.g. "-e 'ssh -i key'"), PURGE_SSH (user@host: send the purges from that
#   host, over ssh), PURGE_SSH_FLAGS (e.g. "-i key") and PURGE_RETRIES
#   (curl --retry for each purge, default 2).
# The first upload to an empty DEST: `rsync -a SITE_DIR/ DEST`, since a
# build writes only the files whose bytes changed.
# Exit status: 0 when everything was uploaded and purged; 1 when the upload
# failed; 3 when a purge failed after its retries (the files are online).
set -euo pipefail

if [[ $# -lt 3 ]]; then
  sed -n '2,24p' "$0" >&2
  exit 2
fi
report=$1 site=$2 dest=$3
shift 3
endpoints=("$@")
prefix=${PURGE_PREFIX:-/}

# One path under site/ per line.
list() {
  python3 -c '
import json, sys
for path in json.load(open(sys.argv[1]))[sys.argv[2]]:
    print(path)' "$report" "$1"
}
written=$(list written)
removed=$(list removed)
changed=$(printf '%s\n%s\n' "$written" "$removed" | sed '/^$/d')

if [[ -z $changed ]]; then
  echo "publish: nothing changed" >&2
  exit 0
fi

# Written files: exactly the listed ones. Removed files: rsync deletes a
# listed file missing from the source with --delete-missing-args, but only
# when its folder exists there, so they are sent from an empty tree of
# their folders. (A folder left empty at DEST stays.)
upload() {
  local from=$1 list=$2
  [[ -z $list ]] && return 0
  printf '%s\n' "$list" | eval rsync -rlt --files-from=- --delete-missing-args --no-implied-dirs \
    --mkpath ${RSYNC_FLAGS:-} "'$from/'" "'$dest'"
}
empty=$(mktemp -d)
trap 'rm -rf "$empty"' EXIT
while IFS= read -r path; do
  [[ -n $path ]] && mkdir -p "$empty/$(dirname "$path")"
done <<< "$removed"
echo "publish: uploading $(printf '%s\n' "$written" | sed '/^$/d' | wc -l) files, deleting $(printf '%s\n' "$removed" | sed '/^$/d' | wc -l) at $dest" >&2
if ! upload "$site" "$written" || ! upload "$empty" "$removed"; then
  echo "publish: upload failed" >&2
  exit 1
fi

[[ ${#endpoints[@]} -eq 0 ]] && exit 0
: "${PURGE_HOST:?PURGE_HOST must be the host of base_url}"

# Reads paths under site/ on stdin; purges each at every endpoint. Exit 3
# when one failed. Self-contained, so it can also run on the web host.
purge_all() {
  local prefix=$1 host=$2 retries=$3 failed=0 count=0 path url_path endpoint status
  shift 3
  while IFS= read -r path; do
    [[ -z $path ]] && continue
    count=$((count + 1))
    url_path="${prefix%/}/$path"
    [[ $url_path == */index.html ]] && url_path=${url_path%index.html}
    for endpoint in "$@"; do
      # 2xx, or 404 ("not cached", as nginx's cache_purge answers), is a purge.
      status=$(curl -s -o /dev/null -w '%{http_code}' -X PURGE -H "Host: $host" \
               --max-time 5 --retry "$retries" --retry-all-errors --fail "${endpoint%/}$url_path" || true)
      if [[ ! $status =~ ^(2..|404)$ ]]; then
        echo "publish: purge failed: $endpoint $url_path: HTTP ${status:-none}" >&2
        failed=1
      fi
    done
  done
  [[ $failed -eq 0 ]] || return 3
  echo "publish: purged $count paths at $# endpoint(s)" >&2
}

# With PURGE_SSH=user@host the purges run on that host (caches accept
# PURGE from loopback only, and a CI runner is not on loopback).
if [[ -n ${PURGE_SSH:-} ]]; then
  read -r -a ssh_flags <<< "${PURGE_SSH_FLAGS:-}"
  {
    declare -f purge_all
    printf 'purge_all %q %q %q' "$prefix" "$PURGE_HOST" "${PURGE_RETRIES:-2}"
    printf ' %q' "${endpoints[@]}"
    printf " <<'KILN_PATHS'\n%s\nKILN_PATHS\n" "$changed"
  } | ssh "${ssh_flags[@]}" "$PURGE_SSH" bash -s
else
  printf '%s\n' "$changed" | purge_all "$prefix" "$PURGE_HOST" "${PURGE_RETRIES:-2}" "${endpoints[@]}"
fi
