// `kiln import disqus FILE.xml` and `kiln import isso FILE.db`: read the
// file, match its threads to the site's posts, store the comments
// (import/comment_importer.h). The file is read whole and checked before
// kiln.db is opened, so a malformed file changes nothing.
#pragma once

#include <filesystem>
#include <string>

#include "import/comment_importer.h"
#include "util/status.h"

namespace kiln {

struct ImportOptions {
  std::filesystem::path site_root;
  std::string format;  // "disqus" or "isso"
  std::filesystem::path file;
  bool dry_run = false;
  int lock_wait_seconds = 0;  // > 0: wait this long for another writer of kiln.db (the CLI's 60 s)
};

// Errors name the file (and the line, for XML): the export's, kiln.toml's,
// a post's (the site must load to match threads), or kiln.db's.
Status RunImport(const ImportOptions& options, ImportSummary* summary);

// One line for people (stderr): "imported 5 comments on 2 posts from F
// (1 reply, 1 spam); 2 duplicates skipped, 1 deleted skipped, 1 unmatched
// thread (2 comments skipped): URL".
std::string DescribeImport(const ImportOptions& options, const ImportSummary& summary);

// {"imported": 5, "duplicates": 2, "deleted": 1, "unmatched_comments": 2,
//  "unmatched_threads": [URL], "posts": {"slug": 3}, "statuses": {...},
//  "replies": 1, "dry_run": false}
std::string ImportSummaryToJson(const ImportOptions& options, const ImportSummary& summary);

}  // namespace kiln
