#include "store/comment_changes.h"

#include <SQLiteCpp/SQLiteCpp.h>

namespace kiln {

Status ReadCommentSeq(SQLite::Database* db, int64_t* seq) {
  try {
    SQLite::Statement q(*db, "SELECT max(seq) FROM comment_changes");
    *seq = q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getInt64() : 0;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the comment change log: ") + e.what(), db->getFilename());
  }
}

Status PruneCommentChanges(SQLite::Database* db, int64_t seq) {
  try {
    SQLite::Statement q(*db, "DELETE FROM comment_changes WHERE seq < ?");
    q.bind(1, seq);
    q.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot prune the comment change log: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
