// A reverse index of dependencies: for each key, the pages that read it when
// they were last rendered. A build that knows which keys changed asks it
// which pages to decide on, instead of loading and comparing the record of
// every page (issue 6: "a reverse index from dependency key to pages").
//
// Part of the build state (a cache): one table (KEY_COLUMN, url), kept in
// step with state_pages by the engine's Finish step, with a second index by
// url. Two live in kiln.db: the comment index (store/comment_deps.h) and the
// content index (store/content_deps.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

class DepIndex {
 public:
  // `table` holds (`key_column` TEXT, url TEXT); `what` names the index in
  // errors ("comment index"). The table is made on first use.
  DepIndex(std::string table, std::string key_column, std::string what);

  // URLs of the pages that read any of `keys`, sorted, without duplicates.
  Status ReadPages(SQLite::Database* db, const std::vector<std::string>& keys,
                   std::vector<std::string>* urls) const;

  // True when the index covers every page: it was reset by a build that
  // rendered everything (which leaves a marker row) and kept in step since.
  // An index of unknown completeness is never used to skip a page.
  Status IsComplete(SQLite::Database* db, bool* complete) const;

  // Brings the index in step with one build: `rendered` maps each rendered
  // page's URL to the keys it read (possibly none), `removed` lists URLs of
  // pages that no longer exist. `reset` (a build that rendered everything)
  // makes the index of `rendered` alone, then marks it complete. Called
  // before the page records are saved: a crash in between leaves the build
  // marked "writing", and the next build renders everything and resets it.
  Status Update(SQLite::Database* db, bool reset,
                const std::map<std::string, std::vector<std::string>>& rendered,
                const std::vector<std::string>& removed) const;

 private:
  using DepRow = std::pair<const std::string*, const std::string*>;  // key, url

  void EnsureTable(SQLite::Database* db) const;
  bool UpdateInPlace(SQLite::Database* db, const std::vector<DepRow>& rows) const;
  void ResetWith(SQLite::Database* db,
                 const std::map<std::string, std::vector<std::string>>& rendered) const;

  std::string table_, what_;
  // The SQL of each statement, made once from the table's names.
  std::string schema_, by_url_, select_all_, delete_row_, insert_, insert_or_ignore_, select_pages_,
      select_marker_, delete_url_, select_keys_, make_by_url_, drop_by_url_, delete_all_,
      insert_marker_;
};

}  // namespace kiln
