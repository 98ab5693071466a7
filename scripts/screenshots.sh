#!/usr/bin/env bash
# Regenerates docs/screenshots/ (issue 8): the sample blog's home, a post,
# its comments with replies, a thread with a reply form open, a tag page,
# the comment form's error page (a mistyped email, the comment kept) and
# the notice of a comment held for moderation,
# at 1280 and 390 px, light and dark, in headless Chromium against a real
# `kiln serve`.
# Usage: scripts/screenshots.sh [BUILD_DIR]   (default: build; builds kiln)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
scripts/install-deps.sh
cmake --build "$build_dir" -j"$(nproc)" --target kiln
node tests/browser/screenshots.mjs "$build_dir/kiln" docs/screenshots
