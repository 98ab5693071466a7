// Keeps a running `kiln serve` from going stale (SPEC.md, Comments: a
// plain-SQL INSERT, UPDATE or DELETE is picked up "by a running kiln serve
// on its own within a second, with no command run"; issue 6: also
// `kiln comment …` and a `kiln build` run beside the server, and a
// scheduled post coming due).
//
// A thread wakes every `interval` and asks kiln.db two questions through
// its own read-only connection (kept while kiln.db is the same file), each
// one read of a rowid b-tree:
//   - did the comment change log grow past what the last build read
//     (comment_changes.seq)?
//   - did another process record a build that wrote or removed files
//     (build_history rows with another `writer`: the server's own row is
//     committed before the server learns its id, so ids cannot tell)?
// and checks the clock against the next scheduled post. When any answer is
// yes it calls `on_change` (the server then runs an incremental build, and
// after a foreign build forgets its cached files). Failures to read are
// retried on the next tick: a locked or busy database only delays.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace kiln {

class Clock;
class StoreConnection;  // store/statement_cache.h

struct StoreChange {
  bool comments = false;       // the comment change log grew
  bool foreign_write = false;  // another process's build changed site/
  bool due = false;            // a scheduled post's date has come
};

class ChangePoller {
 public:
  using Callback = std::function<void(const StoreChange&)>;

  // `clock` may be null (the real clock, KILN_NOW honoured); it must outlive
  // the poller. The callback runs on the poller's thread.
  ChangePoller(std::filesystem::path db_path, std::chrono::milliseconds interval,
               const Clock* clock, Callback on_change);
  ~ChangePoller();  // stops and joins

  // Starts the thread. Call NoteOwnBuild for the build that ran before
  // first: changes after it are picked up from the first tick.
  void Start();

  // Thread-safe. Before each of the server's own builds. Until the build
  // is noted (or ended), comment changes are not reported: the build may
  // be reading them, and a second build for the same comment would only
  // find nothing to do (under a stream of comments it made every fourth
  // tick start one). A change the build did not read is reported on the
  // first tick after it.
  void BeginOwnBuild();
  // Thread-safe. After each of the server's own builds that succeeded: its
  // build_history id (rows up to it are not looked at again), the last
  // comment change it read and the next due date.
  void NoteOwnBuild(int64_t history_id, int64_t comment_seq, int64_t next_due);
  // Thread-safe. After a build of the server's that failed.
  void EndOwnBuild();

  // One tick; Run calls it every `interval`, tests call it directly.
  // False when nothing could be read this tick.
  bool Poll(StoreChange* change);

 private:
  void Run();

  const std::filesystem::path db_path_;
  // The poller thread's (or a test's, through Poll) connection.
  std::unique_ptr<StoreConnection> db_;  // its statements kept between ticks
  uint64_t db_device_ = 0, db_inode_ = 0;
  const std::chrono::milliseconds interval_;
  const Clock* clock_;
  Callback on_change_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  // Guarded by mutex_:
  bool own_build_running_ = false;
  int64_t next_due_;
  int64_t built_seq_ = 0;      // the largest comment seq a build of ours read
  int64_t triggered_seq_ = 0;  // the seq we last asked a build for
  int64_t seen_build_ = -1;    // build_history rows up to this were looked at
  std::thread thread_;
};

}  // namespace kiln
