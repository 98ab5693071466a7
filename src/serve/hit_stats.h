// kiln serve's counters (issue 9, "hit monitoring, live"): hits per page,
// regenerations per page, answers by status, answer latency, builds, pages
// rendered and reused, purges, comments accepted and rejected. Read by
// /api/stats, /metrics and /_kiln/stats (stats_routes.h) and flushed to
// kiln.db by hit_recorder.h.
//
// Cost on the request path (the server answers a cached GET in about 6,000
// instructions, docs/server.md): no mutex. Totals are relaxed atomics. A
// page's counters are atomics in a node that never moves; each thread finds
// them through a map of its own (thread_local, no lock), and takes the
// registry's mutex only the first time it sees a page. Readers take that
// mutex to walk the registry and read the atomics: exact figures, never a
// lock held across I/O.
//
// Thread-safe throughout.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kiln {

struct BuildReport;

// A Prometheus-style histogram of durations (cumulative when exported).
struct HistogramSnapshot {
  std::vector<double> bounds;     // upper bounds in seconds, ascending (no +Inf)
  std::vector<uint64_t> buckets;  // per bucket, not cumulative; one more than bounds (+Inf)
  uint64_t count = 0;
  double sum_seconds = 0;
};

class LatencyHistogram {
 public:
  static constexpr std::array<double, 16> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                                     0.01,   0.025,   0.05,   0.1,   0.25,   0.5,
                                                     1,      2.5,     5,      10};
  void Record(int64_t nanos);
  HistogramSnapshot Read() const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> sum_nanos_{0};
};

struct PageFigures {
  std::string url;  // "/posts/a/"
  uint64_t ok = 0, not_modified = 0, partial = 0;  // 200, 304, 206 answers
  uint64_t regenerations = 0;  // times a build inside this server rendered it
  uint64_t hits() const { return ok + not_modified + partial; }
};

struct StatsSnapshot {
  int64_t started_at = 0;  // UTC seconds
  int64_t taken_at = 0;
  std::vector<std::pair<int, uint64_t>> by_status;  // ascending status, counts > 0
  uint64_t requests = 0;
  HistogramSnapshot latency, comment_latency;
  uint64_t builds = 0, builds_failed = 0, pages_rendered = 0, pages_reused = 0;
  uint64_t purges_sent = 0, purges_failed = 0;
  // [notify] (serve/comment_notifier.h): delivered, failed attempts, given up.
  uint64_t notifications_sent = 0, notifications_failed = 0, notifications_dropped = 0;
  uint64_t comments_accepted = 0, comments_rejected = 0;
  uint64_t page_hits = 0, regenerations = 0;  // sums over `pages`
  std::vector<PageFigures> pages;  // most hits first, then by URL
};

// The page a served request-target names, as a URL path: "/posts/a/" for
// "/posts/a/", "/posts/a/index.html" and "/posts/%61/?x", so a page is
// counted once however it is spelled (and the keys are bounded by the
// files of site/). False for a target NormalizeTarget rejects. REQUIRES:
// `target` was answered from a file (StaticFiles::Serve accepted it), so
// it holds no byte NormalizeTarget refuses outside an escape.
bool PageKeyOf(std::string_view target, std::string* key);

class HitStats {
 public:
  HitStats();
  ~HitStats();
  HitStats(const HitStats&) = delete;
  HitStats& operator=(const HitStats&) = delete;

  // A GET or HEAD answered from site/: counted for its page when `status`
  // is 200, 206 or 304 (a file was served); anything else is not a page.
  void RecordPage(std::string_view target, int status);
  // Every answer, with the time from the request read to the answer given
  // to the connection.
  void RecordAnswer(int status, int64_t nanos);
  // POST /api/comments: stored (201, 202, 303) or rejected.
  void RecordComment(bool accepted, int64_t nanos);
  // After every build inside the server: its rendered URLs are regenerations.
  void RecordBuild(bool ok, const BuildReport& report);
  // After every round of purges (edge/purge_queue.h).
  void RecordPurge(uint64_t sent, uint64_t failed);
  // After every notification attempt, or a notification dropped unsent.
  void RecordNotification(bool delivered, bool failed_attempt, bool dropped);

  StatsSnapshot Snapshot() const;
  // The longest comment answer since the last call, in ms (for samples).
  double TakeCommentMaxMs();

 private:
  struct PageCounters {
    std::atomic<uint64_t> ok{0}, not_modified{0}, partial{0}, regenerations{0};
  };
  PageCounters* CountersOf(const std::string& url);

  const uint64_t id_;  // tells this instance's thread-local maps from others'
  const int64_t started_at_;
  std::array<std::atomic<uint64_t>, 600> by_status_{};
  LatencyHistogram latency_, comment_latency_;
  std::atomic<uint64_t> comment_max_nanos_{0};
  std::atomic<uint64_t> builds_{0}, builds_failed_{0}, pages_rendered_{0}, pages_reused_{0};
  std::atomic<uint64_t> purges_sent_{0}, purges_failed_{0};
  std::atomic<uint64_t> notifications_sent_{0}, notifications_failed_{0}, notifications_dropped_{0};
  std::atomic<uint64_t> comments_accepted_{0}, comments_rejected_{0};
  mutable std::mutex mutex_;  // guards the map, not the counters
  std::unordered_map<std::string, std::unique_ptr<PageCounters>> pages_;
};

}  // namespace kiln
