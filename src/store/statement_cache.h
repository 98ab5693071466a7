// Prepared statements kept for the life of a connection.
//
// Preparing (parsing) SQL was 14 % of a comment's instructions in `kiln
// serve` (callgrind, 4,000 posts: 26 statements and 9 exec calls a comment,
// about 35,000 instructions each, none kept between builds). A connection
// that lives across builds, the resident engine's and the comment API's, is
// opened as a StoreConnection, which keeps every statement a Query prepares
// on it; on any other connection a Query prepares and finalizes its
// statement as SQLite::Statement always did. So store functions need not
// know which connection they were given.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kiln {

// The statements kept for one connection, found by its SQL text. Bounded:
// beyond kMaxStatements a Query prepares its own, as on a plain connection
// (a store function that builds its SQL from data would otherwise grow it
// without end). Thread-safe: two threads may use one connection (SQLite
// serializes them); a statement in use is never handed out twice.
class StatementCache {
 public:
  static constexpr size_t kMaxStatements = 128;

  explicit StatementCache(SQLite::Database& db);
  // Finalizes every kept statement: the connection closes only once none
  // is left (sqlite3_close fails with SQLITE_BUSY otherwise).
  ~StatementCache();
  StatementCache(const StatementCache&) = delete;
  StatementCache& operator=(const StatementCache&) = delete;

  size_t size() const;
  // How many Queries were given a kept statement, and how many prepared one.
  size_t reused() const;
  size_t prepared() const;

 private:
  friend class Query;
  struct Entry {
    std::unique_ptr<SQLite::Statement> statement;
    bool in_use = false;
  };
  // The kept statement for `sql`, marked in use, or null: prepare your own.
  Entry* Acquire(std::string_view sql);
  void Release(Entry* entry);

  // Looked up by the caller's text without copying it.
  struct TextHash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };

  SQLite::Database& db_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry, TextHash, std::equal_to<>> entries_;
  size_t reused_ = 0, prepared_ = 0;
};

// A connection to kiln.db whose statements are kept (store/database.h
// opens one). Not polymorphic, as SQLite::Database is not: own it as a
// StoreConnection, never delete it through a SQLite::Database pointer.
// Anything that takes a SQLite::Database takes it.
class StoreConnection final : public SQLite::Database {
 public:
  StoreConnection(const std::string& file, int flags)
      : SQLite::Database(file, flags), statements_(*this) {}
  StatementCache& statements() { return statements_; }

 private:
  StatementCache statements_;  // destroyed before the base class closes the connection
};

// One use of a statement, in place of SQLite::Statement q(db, sql): the
// connection's kept statement when it has one (reset and its bindings
// cleared when the Query ends), else one of its own.
class Query {
 public:
  Query(SQLite::Database& db, const char* sql);
  Query(SQLite::Database& db, const std::string& sql) : Query(db, sql.c_str()) {}
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  SQLite::Statement& statement() { return *statement_; }

  template <class... Args>
  void bind(Args&&... args) {
    statement_->bind(std::forward<Args>(args)...);
  }
  bool executeStep() { return statement_->executeStep(); }
  int exec() { return statement_->exec(); }
  // Read the value before the Query ends: a kept statement is reset then,
  // so a Column kept longer reads NULL (a fresh statement's would still
  // read its row), and one kept past the connection stops it closing.
  SQLite::Column getColumn(int index) const { return statement_->getColumn(index); }
  // Ready to run again with new bindings (its old ones are kept, as
  // SQLite::Statement::reset keeps them).
  void reset() { statement_->reset(); }

 private:
  StatementCache* cache_ = nullptr;
  StatementCache::Entry* entry_ = nullptr;
  std::unique_ptr<SQLite::Statement> own_;
  SQLite::Statement* statement_ = nullptr;
};

// Runs one statement that returns no rows (BEGIN, COMMIT, an INSERT or a
// DELETE without parameters) through a Query: kept on a StoreConnection.
// Not for a statement that returns a row (exec() throws, as for PRAGMA
// journal_mode=…), nor for several statements in one text (only the first
// would run): those go to SQLite::Database::exec.
int ExecKept(SQLite::Database& db, const char* sql);

}  // namespace kiln
