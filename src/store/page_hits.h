// What kiln serve saw readers request, kept for `kiln stats` and the charts
// of /_kiln/stats (issue 9, "hit monitoring, live"): hits and regenerations
// per page, and one sample per flush interval. User data: migrated (schema
// 4, store/database.cc), never dropped, except samples older than
// kSampleRetentionSeconds.
//
// Written only by serve/hit_recorder.h, in one short write transaction per
// flush on a connection of its own: a comment being stored waits for it at
// most the few milliseconds it takes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

// Counts to add to one page's row (a URL path, "/posts/a/").
struct PageHitDelta {
  std::string url;
  int64_t hits = 0, not_modified = 0, regenerations = 0;
};

// A page's totals over every server run that recorded hits.
struct PageHitRow {
  std::string url;
  int64_t hits = 0, not_modified = 0, regenerations = 0;
  std::string last_seen_at;  // ISO 8601 UTC of the last flush that changed it
};

// One flush interval of a running server, for the charts.
struct ServeSample {
  int64_t at = 0;       // UTC seconds at the end of the interval
  int64_t seconds = 0;  // its length
  int64_t requests = 0, hits = 0, regenerations = 0, builds = 0, comments = 0;
  double comment_ms_sum = 0, comment_ms_max = 0;  // answer latency of those comments
};

constexpr int64_t kSampleRetentionSeconds = 30 * 24 * 3600;

// Adds `deltas` and appends `samples` in one IMMEDIATE transaction, and
// drops samples older than kSampleRetentionSeconds before `now`. Nothing is
// written on error (the caller keeps its deltas and tries again).
Status RecordHits(SQLite::Database* db, const std::vector<PageHitDelta>& deltas,
                  const std::vector<ServeSample>& samples, int64_t now);

// Pages with hits or regenerations, most hits first (ties by URL), at most
// `limit`.
Status ReadPageHits(SQLite::Database* db, int limit, std::vector<PageHitRow>* out);

// The last `limit` samples, oldest first.
Status ReadServeSamples(SQLite::Database* db, int limit, std::vector<ServeSample>* out);

}  // namespace kiln
