// The machine-readable views of kiln serve's counters (hit_stats.h):
// Prometheus text exposition format 0.0.4 for /metrics, and JSON for
// /api/stats. docs/server.md, "Monitoring", lists the names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serve/hit_stats.h"
#include "store/page_hits.h"

namespace kiln {

// Every family with # HELP and # TYPE; counters end in _total; durations
// are histograms in seconds; page series carry a `path` label.
std::string FormatPrometheus(const StatsSnapshot& stats);

// A label value with '\', '"' and newline escaped as the format requires.
std::string EscapeLabelValue(std::string_view value);

// {"started_at", "uptime_seconds", "requests": {"total", "by_status"},
//  "latency_seconds", "comment_latency_seconds" (histograms), "builds",
//  "pages_rendered", "pages_reused", "purges", "comments", "page_hits",
//  "regenerations", "pages": [{"url", "hits", "ok", "not_modified",
//  "partial", "regenerations", "hits_per_regeneration"}], "samples": […]}
std::string FormatStatsJson(const StatsSnapshot& stats, const std::vector<ServeSample>& samples);

}  // namespace kiln
