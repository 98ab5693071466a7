#include "store/content_deps.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>

#include "store/statement_cache.h"

namespace kiln {

const DepIndex& ContentDeps() {
  static const DepIndex index("state_content_deps", "key", "content index");
  return index;
}

Status ContentIndexInStep(SQLite::Database* db, bool* in_step) {
  *in_step = false;
  bool complete = false;
  KILN_RETURN_IF_ERROR(ContentDeps().IsComplete(db, &complete));
  if (!complete) return Status::Ok();
  try {
    // The raw values: a build marked "writing" is settled by the next one,
    // which renders everything and resets the index anyway.
    Query q(*db,
            "SELECT key, value FROM state_meta WHERE key IN ('generation', "
            "'content_index_generation')");
    std::string generation, kept;
    while (q.executeStep()) {
      (q.getColumn(0).getString() == "generation" ? generation : kept) = q.getColumn(1).getString();
    }
    *in_step = !generation.empty() && generation == kept;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the content index: ") + e.what(), db->getFilename());
  }
}

Status SaveContentIndexGeneration(SQLite::Database* db, uint64_t generation) {
  try {
    Query q(*db,
            "INSERT OR REPLACE INTO state_meta(key, value) VALUES ('content_index_generation', ?)");
    q.bind(1, std::to_string(generation));
    q.exec();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the content index: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
