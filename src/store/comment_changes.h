// The comment change log (schema v3, store/database.cc): triggers append
// (seq, post) for every INSERT, UPDATE or DELETE of a comment, by kiln or
// by plain SQL. A build records the last seq it read; a larger one means
// comments changed since.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// The largest seq, 0 when the log is empty. One read of the rowid b-tree.
Status ReadCommentSeq(SQLite::Database* db, int64_t* seq);

// The posts whose comments changed after `since` (sorted, distinct), and
// the largest seq now; read in one transaction so the two agree.
Status ReadChangedPosts(SQLite::Database* db, int64_t since, std::vector<std::string>* posts,
                        int64_t* seq);

// Deletes the rows before `seq`, which a saved build has consumed. The row
// at `seq` stays, so ReadCommentSeq keeps answering `seq`.
Status PruneCommentChanges(SQLite::Database* db, int64_t seq);

}  // namespace kiln
