#include "store/dep_index.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <iterator>
#include <tuple>

#include "store/database.h"
#include "store/statement_cache.h"
#include "store/write_transaction.h"

namespace kiln {

DepIndex::DepIndex(std::string table, std::string key_column, std::string what)
    : table_(std::move(table)), what_(std::move(what)) {
  const std::string& t = table_;
  const std::string& k = key_column;
  by_url_ = t + "_by_url";
  // In one savepoint (EnsureTable), and a reset in one too (ResetWith): the
  // table is never saved without its index.
  schema_ = "SAVEPOINT dep_index_schema;CREATE TABLE IF NOT EXISTS " + t + "(" + k +
            " TEXT NOT NULL, url TEXT NOT NULL, PRIMARY KEY (" + k + ", url)) WITHOUT ROWID;" +
            "CREATE INDEX IF NOT EXISTS " + by_url_ + " ON " + t +
            "(url);RELEASE dep_index_schema;";
  select_all_ = "SELECT " + k + ", url FROM " + t + " ORDER BY " + k + ", url";
  delete_row_ = "DELETE FROM " + t + " WHERE " + k + " = ? AND url = ?";
  insert_ = "INSERT INTO " + t + "(" + k + ", url) VALUES (?, ?)";
  insert_or_ignore_ = "INSERT OR IGNORE INTO " + t + "(" + k + ", url) VALUES (?, ?)";
  // url <> '': the completeness marker is no page.
  select_pages_ = "SELECT url FROM " + t + " WHERE " + k + " = ? AND url <> ''";
  select_marker_ = "SELECT 1 FROM " + t + " WHERE " + k + " = '' AND url = ''";
  delete_url_ = "DELETE FROM " + t + " WHERE url = ?";
  select_keys_ = "SELECT " + k + " FROM " + t + " WHERE url = ?";
  make_by_url_ = "CREATE INDEX IF NOT EXISTS " + by_url_ + " ON " + t + "(url)";
  drop_by_url_ = "DROP INDEX IF EXISTS " + by_url_;
  delete_all_ = "DELETE FROM " + t;
  insert_marker_ = "INSERT INTO " + t + "(" + k + ", url) VALUES ('', '')";
}

void DepIndex::EnsureTable(SQLite::Database* db) const {
  EnsureSchema(db, table_.c_str(), schema_.c_str());
}

// For a build that rendered everything over a complete index: the stored
// rows compared with `rows` (sorted, unique) in one scan in key order, and
// only the difference written. True when that was done; false, having
// written nothing, when the index is not complete or more rows differ than
// a quarter of `rows`: ResetWith then makes it again from nothing.
// `kiln build --full` of an unchanged site (4,000 posts, 20,000 rows of the
// comment index) spent 111 ms here making the same index again, and more in
// the commit and the closing checkpoint that wrote its pages; the scan holds
// no row but the current one and those that differ.
bool DepIndex::UpdateInPlace(SQLite::Database* db, const std::vector<DepRow>& rows) const {
  // The marker row ('', '') sorts first: a complete index starts with it.
  Query stored(*db, select_all_);
  if (!stored.executeStep() || !stored.getColumn(0).getString().empty() ||
      !stored.getColumn(1).getString().empty()) {
    return false;
  }
  const size_t most = rows.size() / 4;
  std::vector<std::pair<std::string, std::string>> gone;
  std::vector<DepRow> added;
  std::pair<std::string, std::string> previous;  // the marker
  size_t next = 0;                               // the first row of `rows` not yet matched
  auto less = [](const std::string& k1, const std::string& u1, const std::string& k2,
                 const std::string& u2) { return std::tie(k1, u1) < std::tie(k2, u2); };
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
  // hand): EnsureTable only asks whether the table exists.
  db->exec(make_by_url_);
  Query del(*db, delete_row_);
  for (const auto& [key, url] : gone) {
    del.bind(1, key);
    del.bind(2, url);
    del.exec();
    del.reset();
  }
  Query ins(*db, insert_);
  for (const auto& [key, url] : added) {
    ins.bind(1, *key);
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
void DepIndex::ResetWith(SQLite::Database* db,
                         const std::map<std::string, std::vector<std::string>>& rendered) const {
  std::vector<DepRow> rows;
  for (const auto& [url, keys] : rendered) {
    for (const std::string& key : keys) rows.emplace_back(&key, &url);
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
  db->exec("SAVEPOINT dep_index_reset");
  try {
    db->exec(drop_by_url_);
    db->exec(delete_all_);
    db->exec(insert_marker_);  // complete
    Query ins(*db, insert_or_ignore_);
    for (const auto& [key, url] : rows) {
      ins.bind(1, *key);
      ins.bind(2, *url);
      ins.exec();
      ins.reset();
    }
    db->exec(make_by_url_);
  } catch (const SQLite::Exception&) {
    db->exec("ROLLBACK TO dep_index_reset");
    db->exec("RELEASE dep_index_reset");
    throw;
  }
  db->exec("RELEASE dep_index_reset");
}

Status DepIndex::ReadPages(SQLite::Database* db, const std::vector<std::string>& keys,
                           std::vector<std::string>* urls) const {
  urls->clear();
  try {
    EnsureTable(db);
    Query q(*db, select_pages_);
    for (const std::string& key : keys) {
      q.bind(1, key);
      while (q.executeStep()) urls->push_back(q.getColumn(0).getString());
      q.reset();
    }
  } catch (const SQLite::Exception& e) {
    return Status::Io("cannot read the " + what_ + ": " + e.what(), db->getFilename());
  }
  std::sort(urls->begin(), urls->end());
  urls->erase(std::unique(urls->begin(), urls->end()), urls->end());
  return Status::Ok();
}

Status DepIndex::IsComplete(SQLite::Database* db, bool* complete) const {
  try {
    EnsureTable(db);
    Query q(*db, select_marker_);
    *complete = q.executeStep();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io("cannot read the " + what_ + ": " + e.what(), db->getFilename());
  }
}

Status DepIndex::Update(SQLite::Database* db, bool reset,
                        const std::map<std::string, std::vector<std::string>>& rendered,
                        const std::vector<std::string>& removed) const {
  try {
    WriteTransaction tx(*db);
    EnsureTable(db);
    if (reset) {
      ResetWith(db, rendered);
      tx.commit();
      return Status::Ok();
    }
    Query del(*db, delete_url_);
    Query del_one(*db, delete_row_);
    Query ins(*db, insert_or_ignore_);
    Query current(*db, select_keys_);
    for (const std::string& url : removed) {
      del.bind(1, url);
      del.exec();
      del.reset();
    }
    for (const auto& [url, keys] : rendered) {
      // Only the rows that differ are written. A listing page rendered
      // again for a comment mostly shows the same posts, and its rows lie
      // apart in the table (keyed by post first): rewriting them all was 42
      // of the 67 pages a comment's commit wrote in `kiln serve` (4,000
      // posts, frames of the WAL by table).
      std::vector<std::string> before, after(keys);
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
      for (const std::string& key : gone) {
        del_one.bind(1, key);
        del_one.bind(2, url);
        del_one.exec();
        del_one.reset();
      }
      for (const std::string& key : added) {
        ins.bind(1, key);
        ins.bind(2, url);
        ins.exec();
        ins.reset();
      }
    }
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io("cannot save the " + what_ + ": " + e.what(), db->getFilename());
  }
}

}  // namespace kiln
