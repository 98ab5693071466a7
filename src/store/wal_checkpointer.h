// Checkpoints kiln.db's write-ahead log on a thread of its own, for the
// server. By default SQLite checkpoints inside the commit that brings the
// WAL past 1,000 pages (wal_autocheckpoint): it copies them into kiln.db
// and syncs both files, which the commit's caller waits for. In `kiln
// serve` a comment commits about 21 pages at 4,000 posts (its row, the
// change log, the page and comment records; 67 before the comment index
// wrote only its changed rows), so every 50th or so comment waited for
// that inside its request. A connection
// given to Attach() only counts its WAL's pages at each commit and wakes
// this thread, which runs a PASSIVE checkpoint (it neither waits for nor
// blocks readers and writers) on a connection of its own, opened for each
// checkpoint so that a kiln.db put in place of the old one (a restored
// backup) is the one checkpointed. The guarantees are SQLite's WAL ones
// either way: a committed transaction survives a crash of the process,
// and a power loss once a checkpoint has synced it.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <thread>

struct sqlite3;

namespace SQLite {
class Database;
}

namespace kiln {

class WalCheckpointer {
 public:
  // `threshold_pages`: the WAL size that asks for a checkpoint (SQLite's
  // own default is 1,000).
  explicit WalCheckpointer(std::filesystem::path db_path, int threshold_pages = 1000);
  // Finishes a checkpoint under way, then stops. The connections' own
  // close still checkpoints, as always.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // From now on `db`'s commits leave checkpoints to this thread. `db` must
  // be closed before this object is destroyed, or detached by its close.
  void Attach(SQLite::Database* db);

  // Checkpoints run so far (tests, metrics).
  int64_t checkpoints() const;

 private:
  static int OnCommit(void* self, sqlite3* db, const char* name, int pages);
  void Run();
  void Checkpoint();

  const std::filesystem::path db_path_;
  const int threshold_pages_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  int64_t checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace kiln
