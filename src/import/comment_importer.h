// Stores the comments of another system (ForeignComments) in kiln.db, in
// one transaction: either every comment of the file is stored or none is.
//
// - Each comment goes to the post its thread was matched to (`thread_posts`,
//   from import/thread_matcher.h); comments of an unmatched thread are
//   skipped and their thread reported.
// - Status: published -> 'published', pending -> 'pending', spam -> 'spam'
//   (kept, hidden, visible to `kiln comment list --status spam`); deleted
//   in the source -> not imported.
// - Dates and authors are kept (an empty author becomes "Anonymous");
//   modified_at is the source's, else created_at.
// - Replies: a comment's source parent becomes the kiln id that parent was
//   stored as (in this import or an earlier one), when that comment still
//   exists on the same post; otherwise the reply is stored top-level.
// - Each stored comment is remembered in comment_imports(source, source_id,
//   comment_id), and a comment already there is skipped: importing the same
//   file again adds nothing, and a comment deleted since stays deleted.
//
// The comment triggers log every insert, so the next build renders exactly
// the pages that show the new comments.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "import/foreign_comments.h"
#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

struct ImportSummary {
  size_t imported = 0;
  size_t duplicates = 0;  // imported by an earlier run: skipped
  size_t deleted = 0;     // deleted in the source: skipped
  size_t unmatched_comments = 0;
  std::vector<std::string> unmatched_threads;  // URLs of skipped threads that had comments, sorted
  std::map<std::string, size_t> per_post;      // slug -> comments imported
  std::map<std::string, size_t> per_status;    // kiln status -> comments imported
  size_t replies = 0;                          // imported with a parent
};

// `db` has kiln's schema (store/database.h). `thread_posts` maps each
// thread id of `in` to a post slug ("" or absent: unmatched). With
// `dry_run` everything is done inside the transaction, then rolled back:
// the summary is exact and nothing is stored. Errors are the store's.
Status ImportComments(SQLite::Database* db, const ForeignComments& in,
                      const std::map<std::string, std::string>& thread_posts, bool dry_run,
                      ImportSummary* summary);

}  // namespace kiln
