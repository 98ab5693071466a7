// Hit monitoring for kiln serve (issue 9; docs/server.md, "Monitoring"): the
// counters (hit_stats.h), their history (hit_recorder.h) and the three
// routes that show them, each GET or HEAD:
//   /api/stats    JSON (metrics_format.h)
//   /metrics      Prometheus text (metrics_format.h)
//   /_kiln/stats  the author's page with SVG charts (stats_page.h)
// Off unless [stats] enabled: the paths are then ordinary paths of site/
// (a 404 unless the site has such a file). On, they answer only who
// stats_access.h lets in, others get 403. Counting and recording to kiln.db
// happen either way ([stats] record), so `kiln stats` has hits to show.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "load/config.h"
#include "serve/hit_recorder.h"
#include "serve/hit_stats.h"
#include "serve/http_types.h"
#include "serve/stats_access.h"

namespace kiln {

struct BuildReport;
struct PurgeResult;
class Status;

class ServeStats {
 public:
  // `db_path` is the site's kiln.db (already created and migrated);
  // `token` is $KILN_STATS_TOKEN, or "" for none.
  ServeStats(const StatsConfig& config, std::filesystem::path db_path, std::string token);

  HitStats* hits() { return &hits_; }

  // Starts the recorder; Stop() flushes a last time (after the last request
  // and build) and joins it. Stop is idempotent.
  void Start() { recorder_.Start(); }
  void Stop() { recorder_.Stop(); }

  void RecordBuild(const Status& status, const BuildReport& report);
  void RecordPurge(const PurgeResult& result);

  // True when [stats] is enabled and `path` (without the query) is one of
  // the routes above.
  bool Takes(std::string_view path) const;
  // Answers a request Takes() said yes to: 403 for who may not see it, 405
  // for a method other than GET or HEAD.
  HttpResponse Handle(const HttpRequest& request, std::string_view path);

 private:
  bool enabled_;
  StatsAccess access_;
  HitStats hits_;
  HitRecorder recorder_;
};

// $KILN_STATS_TOKEN, or "".
std::string StatsTokenFromEnvironment();

}  // namespace kiln
