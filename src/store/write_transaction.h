// Transactions whose BEGIN, COMMIT and ROLLBACK are kept statements
// (store/statement_cache.h): on the resident engine's connection each was
// parsed again, three to five times a comment, as SQLite::Transaction runs
// them through sqlite3_exec.
//
// WriteTransaction nests: when the connection is already inside a
// transaction (the engine's Finish step wraps every save of a build in one),
// it joins that one and leaves the commit to it; otherwise it begins its own
// IMMEDIATE transaction. Store functions use it so that each is atomic on
// its own and a build's saves are atomic together: a crash leaves either
// the old state or the new one, whole.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <optional>

#include "store/statement_cache.h"

namespace kiln {

// As SQLite::Transaction: rolled back when it ends uncommitted.
class KeptTransaction {
 public:
  enum class Kind { kDeferred, kImmediate };
  KeptTransaction(SQLite::Database& db, Kind kind) : db_(db) {
    ExecKept(db_, kind == Kind::kImmediate ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED");
  }
  ~KeptTransaction() {
    if (done_) return;
    try {
      ExecKept(db_, "ROLLBACK");
    } catch (const SQLite::Exception&) {
      // SQLite rolls back by itself after some errors (a full disk, an
      // interrupt): there is nothing left to roll back.
    }
  }
  KeptTransaction(const KeptTransaction&) = delete;
  KeptTransaction& operator=(const KeptTransaction&) = delete;

  void commit() {
    if (done_) throw SQLite::Exception("the transaction has ended already");
    ExecKept(db_, "COMMIT");
    done_ = true;
  }

 private:
  SQLite::Database& db_;
  bool done_ = false;
};

class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db) {
    if (sqlite3_get_autocommit(db.getHandle()) != 0)
      own_.emplace(db, KeptTransaction::Kind::kImmediate);
  }
  // Commits when this object began the transaction; a joined one is
  // committed (or rolled back) by whoever began it.
  void commit() {
    if (own_) own_->commit();
  }

 private:
  std::optional<KeptTransaction> own_;
};

}  // namespace kiln
