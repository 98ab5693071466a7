#include "store/statement_cache.h"

namespace kiln {
namespace {

// Which connections keep their statements, by SQLite handle: a Query is
// given only the SQLite::Database, which cannot say whether it is a
// StoreConnection (it has no virtual function to ask). Never destroyed, so
// that a connection closed during exit still finds it.
struct Registry {
  std::mutex mutex;
  std::unordered_map<sqlite3*, StatementCache*> caches;
};

Registry& TheRegistry() {
  static Registry* registry = new Registry;
  return *registry;
}

StatementCache* CacheOf(sqlite3* handle) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  auto it = registry.caches.find(handle);
  return it == registry.caches.end() ? nullptr : it->second;
}

}  // namespace

StatementCache::StatementCache(SQLite::Database& db) : db_(db) {
  Registry& registry = TheRegistry();
  std::lock_guard lock(registry.mutex);
  registry.caches[db.getHandle()] = this;
}

StatementCache::~StatementCache() {
  {
    Registry& registry = TheRegistry();
    std::lock_guard lock(registry.mutex);
    registry.caches.erase(db_.getHandle());
  }
  entries_.clear();  // finalizes them, before the connection closes
}

size_t StatementCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

size_t StatementCache::reused() const {
  std::lock_guard lock(mutex_);
  return reused_;
}

size_t StatementCache::prepared() const {
  std::lock_guard lock(mutex_);
  return prepared_;
}

StatementCache::Entry* StatementCache::Acquire(std::string_view sql) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(sql);
  if (it != entries_.end()) {
    if (it->second.in_use) return nullptr;  // a nested use of the same SQL
    it->second.in_use = true;
    ++reused_;
    return &it->second;
  }
  if (entries_.size() >= kMaxStatements) return nullptr;
  // Prepared before it is inserted: SQL that does not prepare throws here
  // and leaves no entry.
  auto statement = std::make_unique<SQLite::Statement>(db_, std::string(sql));
  Entry& entry = entries_[std::string(sql)];
  entry.statement = std::move(statement);
  entry.in_use = true;
  ++prepared_;
  return &entry;
}

void StatementCache::Release(Entry* entry) {
  std::lock_guard lock(mutex_);
  entry->in_use = false;
}

Query::Query(SQLite::Database& db, const char* sql) {
  cache_ = CacheOf(db.getHandle());
  if (cache_) entry_ = cache_->Acquire(sql);
  if (entry_) {
    statement_ = entry_->statement.get();
  } else {
    own_ = std::make_unique<SQLite::Statement>(db, sql);
    statement_ = own_.get();
  }
}

Query::~Query() {
  if (!entry_) return;
  // As a finalized statement would: no read transaction left open, no
  // value bound for the next user.
  statement_->tryReset();
  try {
    statement_->clearBindings();
  } catch (const SQLite::Exception&) {
    // sqlite3_clear_bindings always returns SQLITE_OK; nothing to do.
  }
  cache_->Release(entry_);
}

int ExecKept(SQLite::Database& db, const char* sql) {
  Query q(db, sql);
  return q.exec();
}

}  // namespace kiln
