// Turns kiln serve's counters (hit_stats.h) into history: every
// `interval` a thread takes one sample (requests, hits, regenerations,
// builds, comments and their answer latency in that interval) for the
// charts of /_kiln/stats, and adds the hits and regenerations each page got
// since the last flush to kiln.db (store/page_hits.h) for `kiln stats`.
//
// Never in a comment's way: the flush has its own connection, its own
// thread and one short write transaction, and waits at most kFlushBusyMs
// for another writer's lock; a busy or failed flush keeps its figures for
// the next one (said on stderr when three in a row failed). Idle intervals are sampled in memory
// but not written, so an idle server does not grow kiln.db.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "serve/hit_stats.h"
#include "store/page_hits.h"

namespace SQLite {
class Database;
}

namespace kiln {

class HitRecorder {
 public:
  // `stats` must outlive this. Without `record`, nothing is written to
  // `db_path` (samples are still kept in memory).
  HitRecorder(HitStats* stats, std::filesystem::path db_path, bool record,
              std::chrono::milliseconds interval);
  // Stops (see Stop).
  ~HitRecorder();

  // Reads the last samples of earlier runs from kiln.db (so the charts
  // survive a restart) and starts the thread.
  void Start();

  // Takes a last sample and flushes it, then joins the thread. Call after
  // the last request and build (SiteServer::Serve). Idempotent.
  void Stop();

  // Thread-safe. The samples kept, oldest first (at most kMaxSamples).
  std::vector<ServeSample> Samples() const;

  static constexpr size_t kMaxSamples = 720;  // an hour at the default 5 s
  static constexpr int kFlushBusyMs = 250;
  static constexpr int kFailuresBeforeWarning = 3;

 private:
  struct Flushed {
    uint64_t hits = 0, not_modified = 0, regenerations = 0;
  };
  void Run();
  void SampleAndFlush();
  ServeSample TakeSample(const StatsSnapshot& now);
  bool Write(const std::vector<PageHitDelta>& deltas, int64_t now);

  HitStats* stats_;
  std::filesystem::path db_path_;
  bool record_;
  std::chrono::milliseconds interval_;
  std::unique_ptr<SQLite::Database> db_;  // the recorder's thread only
  int failures_ = 0;                      // failed flushes in a row; the recorder's thread only
  std::map<std::string, Flushed> flushed_;  // per page, what kiln.db has
  StatsSnapshot last_;                      // the totals at the last sample
  std::vector<ServeSample> unwritten_;      // samples not yet in kiln.db
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<ServeSample> samples_;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace kiln
