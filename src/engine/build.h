// One build of a site: load, decide which pages are dirty, render those,
// write what changed, remove what no longer exists, save the state.
// This is the entry point the command line and the server both call.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace kiln {

class BuildProgress;
class Clock;
class BodyHtmlCache;
class CommentHtmlCache;
class FileJanitor;
class WalCheckpointer;
struct ResidentState;

struct BuildOptions {
  std::filesystem::path site_root = ".";
  bool full = false;     // ignore the saved state: render every page
  bool explain = false;  // record why each rendered page was dirty
  bool dry_run = false;  // decide what is dirty, then stop: render, write and save nothing
  // Build even though kiln.db lost the comments site/ shows (comment_guard.h).
  bool allow_empty_comments = false;
  std::string inspect_url;  // fill BuildReport::inspected for this page
  const Clock* clock = nullptr;  // nullptr: the real clock (KILN_NOW honoured)
  // `kiln serve`'s resident engine (engine/resident_state.h): read when it is
  // usable, refilled by every successful build, emptied by a failed one.
  ResidentState* resident = nullptr;
  // The caller vouches that no input file changed since the build that
  // filled `resident` (the server's watcher saw none): the resident state
  // may then be used without a stat of every input.
  bool files_unchanged = false;
  // Optional: comment HTML remembered between builds (render/comment_html_cache.h).
  CommentHtmlCache* comment_html = nullptr;
  // Optional: post and page bodies' HTML remembered between builds (the same).
  BodyHtmlCache* body_html = nullptr;
  // Optional: deletes the old files this build replaced or removed
  // (output/site_writer.h retires them), on its own thread, past the end of
  // the build. Without one, the build deletes them on a thread of its own
  // while it saves, and waits for that before it returns.
  FileJanitor* janitor = nullptr;
  // Optional: the connections this build opens to kiln.db leave their WAL
  // checkpoints to this thread (store/wal_checkpointer.h; the server's).
  WalCheckpointer* checkpointer = nullptr;
  // The process exits right after this build (`kiln build`): the store is
  // closed, but the build's memory is left to the exit rather than freed
  // piece by piece, as compilers do (clang's -disable-free). Freeing it
  // was 17% of a comment build's instructions at 4,000 posts (callgrind).
  // Ignored in sanitizer builds, whose leak check would report it.
  bool process_exits_after = false;
  // Optional: told each step and counted each page rendered and file
  // written, for a progress line (engine/build_progress.h); reaches
  // kFinished when RunBuild returns, whether or not the build succeeded.
  BuildProgress* progress = nullptr;
  // Fill BuildReport::output_keys and previous_output_keys. Only the edge
  // needs them (the server's cache tags, the CLI's xkey purges), and in a
  // full build they were every dependency key of the site twice over: a
  // quarter of the peak memory (massif, 4,000 posts).
  bool report_keys = false;
  // Fill BuildReport::post_links. Only the server needs them (its redirect
  // after a comment); at 100,000 posts they were 25 MB of a full build.
  bool report_post_links = false;
  // Tests: called once the build has read the comments it renders and
  // before it renders, as if another program wrote to kiln.db right then.
  std::function<void()> after_comments_read_for_tests;
};

// The `--json` report of SPEC.md, plus what humans and the server need.
struct BuildReport {
  size_t pages = 0;                   // pages in the site after the build
  std::vector<std::string> rendered;  // URLs rendered this build, sorted
  std::vector<std::string> written;   // files under site/ whose bytes changed
  std::vector<std::string> removed;   // files under site/ deleted
  size_t unchanged = 0;               // pages whose fingerprints matched
  double duration_ms = 0;
  bool full = false;                        // true when every page was rendered
  // How the build decided (engine/quick_check.h): "no-op" (the manifest
  // proved nothing changed), "comments" (only comments changed: only the
  // pages showing them were decided on), "edits" (only posts' and pages'
  // files were edited in place, moving no page: only the pages reading what
  // they change were decided on; engine/build.cc, TakeEdits), "incremental"
  // or "full".
  std::string path;
  bool resident = false;  // the build used the resident state (engine/resident_state.h)
  // A comment or edit build of `kiln build` took the content and plan from
  // the site snapshot (engine/site_snapshot.h) instead of the source cache.
  bool snapshot = false;
  std::vector<std::string> notes;           // e.g. "build state missing: full build"
  std::vector<std::string> explanations;    // "/posts/a/: comments of 'a' changed"
  std::vector<std::string> published_posts; // slugs of the published posts, sorted
  // True when published_posts is left empty because it is the last build's
  // (the comment path of a resident engine: the posts cannot have changed).
  bool published_posts_unchanged = false;
  // The "edits" path only: the slugs of the posts whose files it read
  // again, sorted (their titles may have changed, not their places).
  std::vector<std::string> edited_posts;
  // With BuildOptions::report_post_links only: published post slug -> its
  // link (base path + URL: the permalink pattern or its own permalink), for
  // the server's redirect after a comment. Empty after a no-op build; only
  // the commented posts after a resident comment build.
  std::map<std::string, std::string> post_links;
  int64_t next_due = 0;    // earliest date (UTC s) of a scheduled post; INT64_MAX: none
  int64_t history_id = 0;  // this build's row in build_history
  int64_t comment_seq = 0; // the last comment change (comment_changes.seq) it read
  // With BuildOptions::report_keys only (both maps):
  // the outputs this build rendered (or copied): path under site/ -> the
  // dependency keys its page read. The edge's cache tags come from these
  // (edge/cache_tags.h); the others' keys are those of the saved state.
  std::map<std::string, std::vector<std::string>> output_keys;
  // The outputs it rendered or removed that had a saved record: the keys
  // that record listed, i.e. the cache tags a cache in front still holds for
  // them (edge/purge_plan.h, xkey_purge).
  std::map<std::string, std::vector<std::string>> previous_output_keys;

  // For BuildOptions::inspect_url: each dependency key the page read when it
  // was last rendered, its stored fingerprint and its fingerprint now.
  struct Dependency {
    std::string key, description, stored, current;  // fingerprints in hex; "?" unknown
  };
  std::vector<Dependency> inspected;
  std::string inspected_output;  // empty when the page has no stored record
};

// Builds the site under options.site_root. On error nothing in site/ is left
// partial and the saved state is unchanged, so the next build repairs it.
// Not reentrant for one site: callers serialize builds of the same root.
Status RunBuild(const BuildOptions& options, BuildReport* report);

// The JSON object SPEC.md defines for `kiln build --json`.
std::string BuildReportToJson(const BuildReport& report);

}  // namespace kiln
