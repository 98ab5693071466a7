#include "serve/stats_page.h"

#include <cstdio>

#include "serve/svg_chart.h"
#include "util/strings.h"
#include "util/time_format.h"

namespace kiln {
namespace {

std::string Format(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

// "regenerated once per 12.5 hits", the figure the idea of kiln watched.
std::string PerRegeneration(uint64_t hits, uint64_t regenerations) {
  if (regenerations == 0) return "never regenerated here";
  if (hits == 0) return "not requested since";
  return "once per " + Format("%.1f", static_cast<double>(hits) / static_cast<double>(regenerations)) +
         " hits";
}

std::string HitsChart(const std::vector<ServeSample>& samples) {
  ChartData c{"Hits and regenerations per interval", "per interval", {}, {}};
  ChartSeries hits{"hits", "#2563eb", {}}, regen{"regenerations", "#ea580c", {}};
  for (const ServeSample& s : samples) {
    c.at.push_back(s.at);
    hits.values.push_back(static_cast<double>(s.hits));
    regen.values.push_back(static_cast<double>(s.regenerations));
  }
  c.series = {hits, regen};
  return RenderSvgChart(c);
}

std::string CommentChart(const std::vector<ServeSample>& samples) {
  ChartData c{"Comment answer latency", "ms", {}, {}};
  ChartSeries mean{"mean", "#16a34a", {}}, max{"max", "#9333ea", {}};
  for (const ServeSample& s : samples) {
    c.at.push_back(s.at);
    bool any = s.comments > 0;
    mean.values.push_back(any ? std::optional<double>(s.comment_ms_sum / static_cast<double>(s.comments))
                              : std::nullopt);
    max.values.push_back(any ? std::optional<double>(s.comment_ms_max) : std::nullopt);
  }
  c.series = {mean, max};
  return RenderSvgChart(c);
}

std::string Row(const std::string& name, const std::string& value) {
  return "<tr><th>" + EscapeHtml(name) + "</th><td>" + EscapeHtml(value) + "</td></tr>\n";
}

std::string Totals(const StatsSnapshot& s) {
  auto n = [](uint64_t v) { return std::to_string(v); };
  double mean_ms = s.latency.count ? s.latency.sum_seconds * 1000 / static_cast<double>(s.latency.count) : 0;
  double comment_ms = s.comment_latency.count
                          ? s.comment_latency.sum_seconds * 1000 / static_cast<double>(s.comment_latency.count)
                          : 0;
  std::string out = "<table class=\"totals\">\n";
  out += Row("requests", n(s.requests) + " (mean " + Format("%.3f", mean_ms) + " ms)");
  out += Row("page hits", n(s.page_hits));
  out += Row("regenerations", n(s.regenerations));
  out += Row("builds", n(s.builds) + " (" + n(s.builds_failed) + " failed)");
  out += Row("pages rendered / reused", n(s.pages_rendered) + " / " + n(s.pages_reused));
  out += Row("comments accepted / rejected", n(s.comments_accepted) + " / " + n(s.comments_rejected) +
                                                 " (mean answer " + Format("%.1f", comment_ms) + " ms)");
  out += Row("purges sent / failed", n(s.purges_sent) + " / " + n(s.purges_failed));
  return out + "</table>\n";
}

std::string Pages(const StatsSnapshot& s) {
  std::string out =
      "<table class=\"pages\">\n<tr><th>page</th><th>hits</th><th>of which 304</th>"
      "<th>regenerations</th><th>regenerated</th></tr>\n";
  for (size_t i = 0; i < s.pages.size() && i < kStatsPageRows; ++i) {
    const PageFigures& p = s.pages[i];
    out += "<tr><td>" + EscapeHtml(p.url) + "</td><td>" + std::to_string(p.hits()) + "</td><td>" +
           std::to_string(p.not_modified) + "</td><td>" + std::to_string(p.regenerations) + "</td><td>" +
           EscapeHtml(PerRegeneration(p.hits(), p.regenerations)) + "</td></tr>\n";
  }
  return out + "</table>\n";
}

}  // namespace

std::string RenderStatsPage(const StatsSnapshot& s, const std::vector<ServeSample>& samples) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"robots\" content=\"noindex\">\n<title>kiln serve: stats</title>\n"
      "<style>body{font-family:sans-serif;max-width:760px;margin:2em auto;padding:0 1em}"
      "table{border-collapse:collapse;margin:1em 0}th,td{padding:2px 8px;text-align:left}"
      "td+td{text-align:right}</style>\n</head>\n<body>\n<h1>kiln serve: stats</h1>\n";
  out += "<p>Since " + EscapeHtml(FormatRfc3339(s.started_at)) + ": pages were served " +
         std::to_string(s.page_hits) + " times and regenerated " + std::to_string(s.regenerations) + " times";
  if (s.page_hits > 0 && s.regenerations > 0) {
    out += ", so a page is regenerated " + PerRegeneration(s.page_hits, s.regenerations);
  }
  out += ".</p>\n";
  out += "<h2>Hits and regenerations</h2>\n" + HitsChart(samples) + "\n";
  out += "<h2>Comment answers</h2>\n" + CommentChart(samples) + "\n";
  out += "<h2>Totals</h2>\n" + Totals(s);
  out += "<h2>Pages</h2>\n" + Pages(s);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace kiln
