#include "store/comment_changes.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/statement_cache.h"
#include "store/write_transaction.h"

namespace kiln {

Status ReadCommentSeq(SQLite::Database* db, int64_t* seq) {
  try {
    Query q(*db, "SELECT max(seq) FROM comment_changes");
    *seq = q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getInt64() : 0;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the comment change log: ") + e.what(), db->getFilename());
  }
}

Status ReadChangedPosts(SQLite::Database* db, int64_t since, std::vector<std::string>* posts,
                        int64_t* seq) {
  posts->clear();
  try {
    KeptTransaction tx(*db, KeptTransaction::Kind::kDeferred);
    Query q(*db, "SELECT DISTINCT post FROM comment_changes WHERE seq > ? ORDER BY post");
    q.bind(1, since);
    while (q.executeStep()) posts->push_back(q.getColumn(0).getString());
    KILN_RETURN_IF_ERROR(ReadCommentSeq(db, seq));
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the comment change log: ") + e.what(), db->getFilename());
  }
}

Status PruneCommentChanges(SQLite::Database* db, int64_t seq) {
  try {
    Query q(*db, "DELETE FROM comment_changes WHERE seq < ?");
    q.bind(1, seq);
    q.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot prune the comment change log: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
