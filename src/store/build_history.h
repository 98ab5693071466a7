// The figures of every build, kept for `kiln stats`: how often each kind of
// page was regenerated against reused. User data, not cache: never dropped.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

struct KindFigures {
  int64_t rendered = 0;
  int64_t reused = 0;
};

struct BuildFigures {
  std::string finished_at;  // ISO 8601 UTC
  bool full = false;
  double duration_ms = 0;
  int64_t pages = 0, rendered = 0, unchanged = 0, written = 0, removed = 0;
  std::map<std::string, KindFigures> kinds;  // home, post, tag, feed, page, other
};

// A random number drawn once per process, recorded with each build it makes
// (build_history.writer): the server tells its own builds from builds by
// other processes with it.
int64_t ProcessWriterId();

// Appends the figures with ProcessWriterId(); `*id`, when given, receives
// the new row's id.
Status RecordBuild(SQLite::Database* db, const BuildFigures& figures, int64_t* id = nullptr);

// The last `limit` builds, newest first.
Status ReadRecentBuilds(SQLite::Database* db, int limit, std::vector<BuildFigures>* out);

}  // namespace kiln
