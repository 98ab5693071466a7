#include "store/comment_deps.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>

#include "store/database.h"
#include "store/write_transaction.h"

namespace kiln {
namespace {

// In one savepoint (EnsureSchema): the table never exists without its index.
const char* const kCommentDepsTable = "state_comment_deps";
const char* const kCommentDepsSchema =
    "SAVEPOINT comment_deps_schema;"
    "CREATE TABLE IF NOT EXISTS state_comment_deps("
    "post TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (post, url)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS state_comment_deps_by_url ON state_comment_deps(url);"
    "RELEASE comment_deps_schema;";

}  // namespace

Status ReadPagesShowingComments(SQLite::Database* db, const std::vector<std::string>& posts,
                                std::vector<std::string>* urls) {
  urls->clear();
  try {
    EnsureSchema(db, kCommentDepsTable, kCommentDepsSchema);
    // url <> '': the completeness marker is no page.
    SQLite::Statement q(*db, "SELECT url FROM state_comment_deps WHERE post = ? AND url <> ''");
    for (const std::string& post : posts) {
      q.bind(1, post);
      while (q.executeStep()) urls->push_back(q.getColumn(0).getString());
      q.reset();
    }
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the comment index: ") + e.what(), db->getFilename());
  }
  std::sort(urls->begin(), urls->end());
  urls->erase(std::unique(urls->begin(), urls->end()), urls->end());
  return Status::Ok();
}

Status CommentIndexIsComplete(SQLite::Database* db, bool* complete) {
  try {
    EnsureSchema(db, kCommentDepsTable, kCommentDepsSchema);
    SQLite::Statement q(*db, "SELECT 1 FROM state_comment_deps WHERE post = '' AND url = ''");
    *complete = q.executeStep();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot read the comment index: ") + e.what(), db->getFilename());
  }
}

Status UpdateCommentDeps(SQLite::Database* db, bool reset,
                         const std::map<std::string, std::vector<std::string>>& rendered,
                         const std::vector<std::string>& removed) {
  try {
    WriteTransaction tx(*db);
    EnsureSchema(db, kCommentDepsTable, kCommentDepsSchema);
    if (reset) {
      db->exec("DELETE FROM state_comment_deps");
      db->exec("INSERT INTO state_comment_deps(post, url) VALUES ('', '')");  // complete
    }
    SQLite::Statement del(*db, "DELETE FROM state_comment_deps WHERE url = ?");
    SQLite::Statement ins(*db, "INSERT OR IGNORE INTO state_comment_deps(post, url) VALUES (?, ?)");
    auto drop = [&](const std::string& url) {
      del.bind(1, url);
      del.exec();
      del.reset();
    };
    for (const std::string& url : removed) drop(url);
    for (const auto& [url, posts] : rendered) {
      if (!reset) drop(url);
      for (const std::string& post : posts) {
        ins.bind(1, post);
        ins.bind(2, url);
        ins.exec();
        ins.reset();
      }
    }
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the comment index: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
