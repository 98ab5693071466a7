// What a build knows of a site once it has finished, kept for the next build
// in the same process: the resident engine of `kiln serve` (issue 6, "one
// engine, two drivers"). `kiln build` loads all of this from kiln.db and
// content/ and drops it at exit; `kiln serve` passes the same ResidentState
// to every build it runs (BuildOptions::resident), so a comment costs the
// pages that show it: no source cache, comment records, site index, plan or
// templates are loaded again.
//
// It is used only while it provably equals what is on disk:
//   - `generation` equals the saved state's (store/build_state.h): no other
//     process (a `kiln build` beside the server) has saved a state since;
//   - the caller vouches that no input file changed since (the server's
//     watcher saw none; BuildOptions::files_unchanged);
//   - no scheduled post has come due (the plan would change);
//   - the comment index is complete.
// Otherwise the build takes the normal path and refills it. A build that
// fails leaves it empty. Not thread-safe: builds of a site are serialized.
#pragma once

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "load/site_index.h"
#include "load/site_model.h"
#include "load/source_cache.h"
#include "render/page_plan.h"
#include "render/template_set.h"
#include "store/build_state.h"
#include "store/manifest.h"
#include "store/statement_cache.h"

namespace kiln {

struct ResidentState {
  uint64_t generation = 0;  // of the state the last build saved; 0: empty
  Manifest manifest;        // as saved by that build
  bool comment_index_complete = false;
  SourceCache sources;                            // as saved
  std::map<std::string, CommentRecord> comments;  // as saved
  std::map<std::string, int64_t> comment_counts;  // published comments by post
  int64_t shown_comments = 0;                     // their sum (engine/comment_guard.h)
  // The index points into `content`: both live behind pointers so that
  // handing them between a build and this state never moves them.
  std::unique_ptr<SiteContent> content;
  std::unique_ptr<SiteIndex> index;
  std::vector<PageSpec> plan;
  // url -> index in plan, or empty until a build needs it (a state loaded
  // from the site snapshot has none). The keys are views of plan's own
  // urls, valid while plan is not changed (moving the vector keeps its
  // elements in place).
  std::unordered_map<std::string_view, size_t> plan_by_url;
  int64_t planned_at = 0;                              // the `now` the plan was made for
  std::map<std::string, std::string> template_texts;   // name -> text; empty: not read
  // Compiled from template_texts (parsing them again was a fifth of a
  // comment's instructions in `kiln serve`, callgrind); null: none yet.
  std::unique_ptr<TemplateSet> templates;
  // The sets of the other render threads of a build of 17 pages or more
  // (engine/build.cc, RenderDirty), kept compiled the same way: a batch of
  // comments from many clients renders 60-80 pages on two threads, and the
  // second compiled every template again for each batch.
  std::vector<std::unique_ptr<TemplateSet>> worker_templates;
  // The connection to kiln.db the last build used, and the file's identity
  // then: reused while kiln.db is the same file (opening it and reading its
  // schema again was another fifth of a comment in `kiln serve`).
  std::unique_ptr<StoreConnection> db;  // keeps its prepared statements
  uint64_t db_device = 0, db_inode = 0;

  bool empty() const { return generation == 0; }
  void Clear() { *this = ResidentState(); }
};

}  // namespace kiln
