#include "serve/change_poller.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/stat.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "store/build_history.h"
#include "store/statement_cache.h"
#include "util/clock.h"

namespace kiln {

ChangePoller::ChangePoller(std::filesystem::path db_path, std::chrono::milliseconds interval,
                           const Clock* clock, Callback on_change)
    : db_path_(std::move(db_path)), interval_(interval), clock_(clock),
      on_change_(std::move(on_change)), next_due_(std::numeric_limits<int64_t>::max()) {}

ChangePoller::~ChangePoller() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangePoller::Start() { thread_ = std::thread([this] { Run(); }); }

void ChangePoller::BeginOwnBuild() {
  std::lock_guard<std::mutex> lock(mutex_);
  own_build_running_ = true;
}

void ChangePoller::NoteOwnBuild(int64_t history_id, int64_t comment_seq, int64_t next_due) {
  std::lock_guard<std::mutex> lock(mutex_);
  own_build_running_ = false;
  seen_build_ = std::max(seen_build_, history_id);
  built_seq_ = std::max(built_seq_, comment_seq);
  next_due_ = next_due;
}

void ChangePoller::EndOwnBuild() {
  std::lock_guard<std::mutex> lock(mutex_);
  own_build_running_ = false;
}

void ChangePoller::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
    StoreChange change;
    if (Poll(&change) && (change.comments || change.foreign_write || change.due)) on_change_(change);
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_; });
  }
}

namespace {

// The first column of the one row `sql` returns, through a kept statement.
int64_t ReadOneInteger(SQLite::Database& db, const char* sql) {
  Query q(db, sql);
  if (!q.executeStep()) throw SQLite::Exception(std::string("no row from: ") + sql);
  return q.getColumn(0).getInt64();
}

}  // namespace

bool ChangePoller::Poll(StoreChange* change) {
  try {
    // One read-only connection, kept while kiln.db is the same file (a file
    // put in its place, a restored backup, is opened anew). A connection
    // per tick parsed the whole schema four times a second; the statements
    // below are reset after each step, so no WAL snapshot is held between
    // ticks.
    struct stat st;
    if (::stat(db_path_.c_str(), &st) != 0) {
      db_.reset();
      return false;
    }
    if (!db_ || st.st_dev != db_device_ || st.st_ino != db_inode_) {
      db_ = std::make_unique<StoreConnection>(db_path_.string(), SQLite::OPEN_READONLY);
      db_->setBusyTimeout(200);
      db_device_ = st.st_dev;
      db_inode_ = st.st_ino;
    }
    SQLite::Database& db = *db_;
    const int64_t seq = ReadOneInteger(db, "SELECT coalesce(max(seq), 0) FROM comment_changes");
    const int64_t last_build = ReadOneInteger(db, "SELECT coalesce(max(id), 0) FROM build_history");
    const RealClock real_clock;
    const int64_t now = (clock_ ? *clock_ : static_cast<const Clock&>(real_clock)).NowSeconds();
    std::lock_guard<std::mutex> lock(mutex_);
    if (seen_build_ >= 0 && last_build > seen_build_) {
      Query q(db,
              "SELECT count(*) FROM build_history "
              "WHERE id > ? AND written + removed > 0 AND writer IS NOT ?");
      q.bind(1, seen_build_);
      q.bind(2, ProcessWriterId());
      change->foreign_write = q.executeStep() && q.getColumn(0).getInt64() > 0;
    }
    seen_build_ = std::max(seen_build_, last_build);
    // Asked once per new seq: the build it starts reports what it read.
    if (!own_build_running_ && seq > built_seq_ && seq > triggered_seq_) {
      change->comments = true;
      triggered_seq_ = seq;
    }
    if (now >= next_due_) {
      change->due = true;
      next_due_ = std::numeric_limits<int64_t>::max();  // until the next build says again
    }
    return true;
  } catch (const SQLite::Exception&) {
    db_.reset();  // busy, locked or not there yet: the next tick retries anew
    return false;
  }
}

}  // namespace kiln
