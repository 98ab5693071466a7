// /_kiln/stats: the author's page of kiln serve's figures (issue 9: "so a
// glance answers 'is the cache working?'"). Plain HTML with server-drawn
// SVG charts (svg_chart.h) of hits and regenerations, and of comment answer
// latency, per sample interval; then totals and the most requested pages
// with their hits per regeneration. No JavaScript; every text escaped.
#pragma once

#include <string>
#include <vector>

#include "serve/hit_stats.h"
#include "store/page_hits.h"

namespace kiln {

// `samples` oldest first (hit_recorder.h).
std::string RenderStatsPage(const StatsSnapshot& stats, const std::vector<ServeSample>& samples);

// Pages listed in the table, most hits first.
constexpr size_t kStatsPageRows = 50;

}  // namespace kiln
