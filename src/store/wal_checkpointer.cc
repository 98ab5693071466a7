#include "store/wal_checkpointer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

namespace kiln {

WalCheckpointer::WalCheckpointer(std::filesystem::path db_path, int threshold_pages)
    : db_path_(std::move(db_path)), threshold_pages_(threshold_pages), thread_([this] { Run(); }) {}

WalCheckpointer::~WalCheckpointer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WalCheckpointer::Attach(SQLite::Database* db) {
  // Replaces the connection's automatic checkpoint, which is itself a WAL
  // hook (sqlite3_wal_autocheckpoint).
  sqlite3_wal_hook(db->getHandle(), &WalCheckpointer::OnCommit, this);
}

int64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  if (pages < checkpointer->threshold_pages_) return SQLITE_OK;
  {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->requested_ = true;
  }
  checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::Checkpoint() {
  // Never created: a kiln.db deleted meanwhile stays missing, as the
  // comment guard expects (engine/comment_guard.h). A failure (kiln.db
  // gone, another process checkpointing) leaves the pages in the WAL for
  // the next request or the last connection's close.
  try {
    SQLite::Database db(db_path_.string(), SQLite::OPEN_READWRITE);
    // As OpenDatabase's connections: the WAL file stays when this is the
    // last connection to close (store/database.cc says why).
    int persist_wal = 1;
    sqlite3_file_control(db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
    db.exec("PRAGMA journal_size_limit=0");
    // A new connection knows kiln.db is in WAL mode once it has read the
    // header; until then a checkpoint does nothing.
    db.execAndGet("PRAGMA journal_mode");
    sqlite3_wal_checkpoint_v2(db.getHandle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } catch (const SQLite::Exception&) {
  }
}

void WalCheckpointer::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || requested_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    Checkpoint();
    lock.lock();
    ++checkpoints_;
  }
}

}  // namespace kiln
