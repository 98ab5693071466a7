#include "serve/serve_stats.h"

#include <cstdlib>

#include "edge/purger.h"
#include "engine/build.h"
#include "serve/metrics_format.h"
#include "serve/stats_page.h"
#include "util/status.h"

namespace kiln {
namespace {

constexpr std::string_view kJsonPath = "/api/stats";
constexpr std::string_view kMetricsPath = "/metrics";
constexpr std::string_view kPagePath = "/_kiln/stats";

}  // namespace

ServeStats::ServeStats(const StatsConfig& config, std::filesystem::path db_path, std::string token)
    : enabled_(config.enabled),
      access_(config.allow, std::move(token)),
      recorder_(&hits_, std::move(db_path), config.record, std::chrono::seconds(config.flush_seconds)) {}

void ServeStats::RecordBuild(const Status& status, const BuildReport& report) {
  hits_.RecordBuild(status.ok(), report);
}

void ServeStats::RecordPurge(const PurgeResult& result) {
  hits_.RecordPurge(result.requests, result.failed);
}

bool ServeStats::Takes(std::string_view path) const {
  return enabled_ && (path == kJsonPath || path == kMetricsPath || path == kPagePath);
}

HttpResponse ServeStats::Handle(const HttpRequest& request, std::string_view path) {
  if (request.method != "GET" && request.method != "HEAD") {
    HttpResponse response = TextResponse(405, "405 Method Not Allowed: use GET, HEAD");
    response.SetHeader("Allow", "GET, HEAD");
    return response;
  }
  HttpResponse response;
  if (!access_.Allows(request)) {
    response = TextResponse(403, "403 Forbidden: kiln serve's stats are open to the addresses of [stats] "
                                 "allow, or to a bearer token (docs/server.md, \"Monitoring\")");
  } else if (path == kMetricsPath) {
    response = MakeResponse(200, "text/plain; version=0.0.4; charset=utf-8", FormatPrometheus(hits_.Snapshot()));
  } else if (path == kJsonPath) {
    response = MakeResponse(200, "application/json", FormatStatsJson(hits_.Snapshot(), recorder_.Samples()));
  } else {
    response = MakeResponse(200, "text/html; charset=utf-8", RenderStatsPage(hits_.Snapshot(), recorder_.Samples()));
  }
  // Live figures: never kept by a cache in front, nor by the browser.
  response.SetHeader("Cache-Control", "no-store");
  response.omit_body = request.method == "HEAD";
  return response;
}

std::string StatsTokenFromEnvironment() {
  const char* token = std::getenv("KILN_STATS_TOKEN");
  return token ? token : "";
}

}  // namespace kiln
