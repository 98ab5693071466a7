// A write transaction that nests: when the connection is already inside a
// transaction (the engine's Finish step wraps every save of a build in one),
// it joins that one and leaves the commit to it; otherwise it begins its own
// IMMEDIATE transaction, as SQLite::Transaction does. Store functions use
// it so that each is atomic on its own and a build's saves are atomic
// together: a crash leaves either the old state or the new one, whole.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <memory>

namespace kiln {

class WriteTransaction {
 public:
  explicit WriteTransaction(SQLite::Database& db) {
    if (sqlite3_get_autocommit(db.getHandle()) != 0) {
      own_ = std::make_unique<SQLite::Transaction>(db, SQLite::TransactionBehavior::IMMEDIATE);
    }
  }
  // Commits when this object began the transaction; a joined one is
  // committed (or rolled back) by whoever began it.
  void commit() {
    if (own_) own_->commit();
  }

 private:
  std::unique_ptr<SQLite::Transaction> own_;
};

}  // namespace kiln
