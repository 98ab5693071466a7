// Line charts drawn on the server as inline SVG, for the author's stats page
// (stats_page.h): no JavaScript, readable in any browser and in a test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kiln {

struct ChartSeries {
  std::string name;   // shown in the legend; also the group's id ("series-NAME")
  std::string color;  // a CSS color, e.g. "#2563eb"
  // One value per point of ChartData::at; nullopt leaves a gap (an interval
  // with no comment has no comment latency).
  std::vector<std::optional<double>> values;
};

struct ChartData {
  std::string title;
  std::string unit;         // of the y axis, e.g. "per interval", "ms"
  std::vector<int64_t> at;  // UTC seconds of each point, ascending
  std::vector<ChartSeries> series;
};

// An <svg> element (720×220, with a <title>, axes from 0 to a round maximum,
// the first and last times on the x axis in UTC, a legend). Every text is
// escaped. Series ids keep only [a-z0-9-] of their names.
std::string RenderSvgChart(const ChartData& chart);

}  // namespace kiln
