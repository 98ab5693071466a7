#include "store/comment_deps.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <iterator>
#include <tuple>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/write_transaction.h"

namespace kiln {
namespace {

// In one savepoint (EnsureSchema), and a reset in one too (ResetWith): the
// table is never saved without its index.
const char* const kCommentDepsTable = "state_comment_deps";
const char* const kCommentDepsSchema =
    "SAVEPOINT comment_deps_schema;"
    "CREATE TABLE IF NOT EXISTS state_comment_deps("
    "post TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (post, url)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS state_comment_deps_by_url ON state_comment_deps(url);"
    "RELEASE comment_deps_schema;";

using DepRow = std::pair<const std::string*, const std::string*>;  // post, url

// For a build that rendered everything over a complete index: the stored
// rows compared with `rows` (sorted, unique) in one scan in key order, and
// only the difference written. True when that was done; false, having
// written nothing, when the index is not complete or more rows differ than
// a quarter of `rows`: ResetWith then makes it again from nothing.
// `kiln build --full` of an unchanged site (4,000 posts, 20,000 rows) spent
// 111 ms here making the same index again, and more in the commit and the
// closing checkpoint that wrote its pages; the scan holds no row but the
// current one and those that differ.
bool UpdateInPlace(SQLite::Database* db, const std::vector<DepRow>& rows) {
  // The marker row ('', '') sorts first: a complete index starts with it.
  Query stored(*db, "SELECT post, url FROM state_comment_deps ORDER BY post, url");
  if (!stored.executeStep() || !stored.getColumn(0).getString().empty() ||
      !stored.getColumn(1).getString().empty()) {
    return false;
  }
  const size_t most = rows.size() / 4;
  std::vector<std::pair<std::string, std::string>> gone;
  std::vector<DepRow> added;
  std::pair<std::string, std::string> previous;  // the marker
  size_t next = 0;                               // the first row of `rows` not yet matched
  auto less = [](const std::string& p1, const std::string& u1, const std::string& p2,
                 const std::string& u2) { return std::tie(p1, u1) < std::tie(p2, u2); };
  while (stored.executeStep()) {
    std::pair<std::string, std::string> row{stored.getColumn(0).getString(),
                                            stored.getColumn(1).getString()};
    // The merge below needs SQLite's order to be std::string's (BINARY
    // collation: bytes, then length); should it ever not be, start over.
    if (!less(previous.first, previous.second, row.first, row.second)) return false;
    while (next < rows.size() &&
           less(*rows[next].first, *rows[next].second, row.first, row.second)) {
      added.push_back(rows[next++]);
    }
    if (next < rows.size() && *rows[next].first == row.first && *rows[next].second == row.second) {
      ++next;
    } else {
      gone.push_back(row);
    }
    if (gone.size() + added.size() > most) return false;
    previous = std::move(row);
  }
  while (next < rows.size()) added.push_back(rows[next++]);
  if (gone.size() + added.size() > most) return false;
  // Made again as a reset would, should it be missing (a file edited by
  // hand): EnsureSchema only asks whether the table exists.
  db->exec("CREATE INDEX IF NOT EXISTS state_comment_deps_by_url ON state_comment_deps(url)");
  Query del(*db, "DELETE FROM state_comment_deps WHERE post = ? AND url = ?");
  for (const auto& [post, url] : gone) {
    del.bind(1, post);
    del.bind(2, url);
    del.exec();
    del.reset();
  }
  Query ins(*db, "INSERT INTO state_comment_deps(post, url) VALUES (?, ?)");
  for (const auto& [post, url] : added) {
    ins.bind(1, *post);
    ins.bind(2, *url);
    ins.exec();
    ins.reset();
  }
  return true;
}

// The whole index made again (a build that rendered everything): unless
// it differs little from the stored one (UpdateInPlace), rows inserted in
// key order into a table without its second index, which is then made in
// one sorted pass. Inserted page by page into both, the 400,000 rows of a
// 100,000-post site took some three seconds.
void ResetWith(SQLite::Database* db,
               const std::map<std::string, std::vector<std::string>>& rendered) {
  std::vector<DepRow> rows;
  for (const auto& [url, posts] : rendered) {
    for (const std::string& post : posts) rows.emplace_back(&post, &url);
  }
  auto less = [](const DepRow& a, const DepRow& b) {
    return std::tie(*a.first, *a.second) < std::tie(*b.first, *b.second);
  };
  auto same = [](const DepRow& a, const DepRow& b) {
    return *a.first == *b.first && *a.second == *b.second;
  };
  std::sort(rows.begin(), rows.end(), less);
  rows.erase(std::unique(rows.begin(), rows.end(), same), rows.end());
  if (UpdateInPlace(db, rows)) return;
  // In a savepoint of its own: a failure half-way leaves the index as it
  // was, its by-URL index included, whatever the caller's transaction does.
  db->exec("SAVEPOINT comment_deps_reset");
  try {
    db->exec("DROP INDEX IF EXISTS state_comment_deps_by_url");
    db->exec("DELETE FROM state_comment_deps");
    db->exec("INSERT INTO state_comment_deps(post, url) VALUES ('', '')");  // complete
    Query ins(*db, "INSERT OR IGNORE INTO state_comment_deps(post, url) VALUES (?, ?)");
    for (const auto& [post, url] : rows) {
      ins.bind(1, *post);
      ins.bind(2, *url);
      ins.exec();
      ins.reset();
    }
    db->exec("CREATE INDEX state_comment_deps_by_url ON state_comment_deps(url)");
  } catch (const SQLite::Exception&) {
    db->exec("ROLLBACK TO comment_deps_reset");
    db->exec("RELEASE comment_deps_reset");
    throw;
  }
  db->exec("RELEASE comment_deps_reset");
}

}  // namespace

Status ReadPagesShowingComments(SQLite::Database* db, const std::vector<std::string>& posts,
                                std::vector<std::string>* urls) {
  urls->clear();
  try {
    EnsureSchema(db, kCommentDepsTable, kCommentDepsSchema);
    // url <> '': the completeness marker is no page.
    Query q(*db, "SELECT url FROM state_comment_deps WHERE post = ? AND url <> ''");
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
    Query q(*db, "SELECT 1 FROM state_comment_deps WHERE post = '' AND url = ''");
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
      ResetWith(db, rendered);
      tx.commit();
      return Status::Ok();
    }
    Query del(*db, "DELETE FROM state_comment_deps WHERE url = ?");
    Query del_one(*db, "DELETE FROM state_comment_deps WHERE post = ? AND url = ?");
    Query ins(*db, "INSERT OR IGNORE INTO state_comment_deps(post, url) VALUES (?, ?)");
    Query current(*db, "SELECT post FROM state_comment_deps WHERE url = ?");
    for (const std::string& url : removed) {
      del.bind(1, url);
      del.exec();
      del.reset();
    }
    auto insert = [&](const std::string& post, const std::string& url) {
      ins.bind(1, post);
      ins.bind(2, url);
      ins.exec();
      ins.reset();
    };
    for (const auto& [url, posts] : rendered) {
      // Only the rows that differ are written. A listing page rendered
      // again for a comment mostly shows the same posts, and its rows lie
      // apart in the table (keyed by post first): rewriting them all was 42
      // of the 67 pages a comment's commit wrote in `kiln serve` (4,000
      // posts, frames of the WAL by table).
      std::vector<std::string> before, after(posts);
      current.bind(1, url);
      while (current.executeStep()) before.push_back(current.getColumn(0).getString());
      current.reset();
      std::sort(before.begin(), before.end());
      std::sort(after.begin(), after.end());
      after.erase(std::unique(after.begin(), after.end()), after.end());
      std::vector<std::string> gone, added;
      std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                          std::back_inserter(gone));
      std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                          std::back_inserter(added));
      for (const std::string& post : gone) {
        del_one.bind(1, post);
        del_one.bind(2, url);
        del_one.exec();
        del_one.reset();
      }
      for (const std::string& post : added) insert(post, url);
    }
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot save the comment index: ") + e.what(), db->getFilename());
  }
}

}  // namespace kiln
