// Per post: a fingerprint and count of its published comments, refreshed
// only for posts whose comment_versions row moved since the last build.
// This is how a comment written by another program with plain SQL becomes
// visible to the next build without reading every comment: the triggers in
// store/database.cc bump the version, and one query lists the versions.
#pragma once

#include <map>
#include <vector>
#include <string>

#include "store/build_state.h"
#include "store/comment_store.h"
#include "util/status.h"

namespace kiln {

class CommentStore;

// From this many posts to re-read, every published comment is read in one
// ordered scan instead of a query per post.
constexpr size_t kScanAllCommentsFrom = 64;

// `old` is the last build's records (empty when the state is invalid);
// `force` re-reads every post's comments. On return `out` holds a record for
// every post that has or had comments. When the comments were read in one
// scan (kScanAllCommentsFrom) and `read` is given, it receives every
// published comment by post, with the fields a page shows only
// (CommentStore::ReadAllShown), and `*read_all` becomes true: a post not in
// it has none. Otherwise both are left untouched.
Status RefreshCommentRecords(CommentStore* store, const std::map<std::string, CommentRecord>& old,
                             bool force, std::map<std::string, CommentRecord>* out,
                             std::map<std::string, std::vector<Comment>>* read = nullptr,
                             bool* read_all = nullptr);

// The same for `posts` alone (the posts in the comment change log since the
// last build): `records` is updated in place, and `old` receives the records
// of those posts as they were (absent when there was none), so the caller
// can save the difference. `read`, when given, receives the published
// comments read for each post, so rendering need not read them again.
Status RefreshCommentRecordsOf(CommentStore* store, const std::vector<std::string>& posts,
                               std::map<std::string, CommentRecord>* records,
                               std::map<std::string, CommentRecord>* old,
                               std::map<std::string, std::vector<Comment>>* read = nullptr);

}  // namespace kiln
