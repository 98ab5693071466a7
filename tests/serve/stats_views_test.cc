// The views of kiln serve's counters (issue 9): Prometheus text that a
// scraper parses, JSON, the SVG charts and the author's page, with every
// page URL escaped in each.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engine/build.h"
#include "markup_check.h"
#include "prometheus_text.h"
#include "serve/hit_stats.h"
#include "serve/metrics_format.h"
#include "serve/stats_page.h"
#include "serve/svg_chart.h"

namespace kiln {
namespace {

using test::CheckMarkup;
using test::ParsePrometheusText;

// A URL that needs escaping everywhere: quotes, a backslash, markup, a newline.
const std::string kHostile = "/a\"b\\c<script>&\n/";

HitStats* Filled(HitStats* stats) {
  stats->RecordPage("/", 200);
  stats->RecordPage("/", 304);
  stats->RecordPage("/posts/a/", 200);
  BuildReport report;
  report.rendered = {"/", kHostile};
  report.unchanged = 3;
  stats->RecordBuild(true, report);
  stats->RecordAnswer(200, 40'000);
  stats->RecordAnswer(404, 80'000);
  stats->RecordComment(true, 12'000'000);
  stats->RecordPurge(4, 1);
  return stats;
}

TEST(Metrics, PrometheusTextParsesWithTypesAndEscapedLabels) {
  HitStats stats;
  std::string text = FormatPrometheus(Filled(&stats)->Snapshot());
  auto parsed = ParsePrometheusText(text);
  ASSERT_EQ(parsed.error, "") << text;
  EXPECT_EQ(parsed.types["kiln_http_requests_total"], "counter");
  EXPECT_EQ(parsed.types["kiln_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.types["kiln_comment_duration_seconds"], "histogram");
  EXPECT_EQ(parsed.samples["kiln_http_requests_total{code=\"404\"}"], 1);
  EXPECT_EQ(parsed.samples["kiln_http_request_duration_seconds_count"], 2);
  EXPECT_EQ(parsed.samples["kiln_page_hits_total{path=\"/\"}"], 2);
  EXPECT_EQ(parsed.samples["kiln_page_regenerations_total{path=\"/\"}"], 1);
  EXPECT_EQ(parsed.samples["kiln_comments_total{result=\"accepted\"}"], 1);
  EXPECT_EQ(parsed.samples["kiln_purges_failed_total"], 1);
  EXPECT_EQ(parsed.samples["kiln_pages_reused_total"], 3);
  // The hostile URL is one label value, escaped, on one line.
  const std::string escaped = EscapeLabelValue(kHostile);
  EXPECT_EQ(escaped, "/a\\\"b\\\\c<script>&\\n/");
  EXPECT_EQ(parsed.samples["kiln_page_regenerations_total{path=\"" + escaped + "\"}"], 1);
  EXPECT_EQ(test::UnescapeLabelValue(escaped), kHostile);
}

TEST(Metrics, JsonHasPagesWithTheirRatio) {
  HitStats stats;
  auto j = nlohmann::json::parse(FormatStatsJson(Filled(&stats)->Snapshot(), {}));
  EXPECT_EQ(j["requests"]["by_status"]["200"], 1);
  EXPECT_EQ(j["page_hits"], 3);
  EXPECT_EQ(j["pages"][0]["url"], "/");
  EXPECT_EQ(j["pages"][0]["hits"], 2);
  EXPECT_EQ(j["pages"][0]["not_modified"], 1);
  EXPECT_EQ(j["pages"][0]["hits_per_regeneration"], 2.0);
  EXPECT_TRUE(j["pages"][1]["hits_per_regeneration"].is_null());  // /posts/a/: never regenerated
  EXPECT_EQ(j["comments"]["accepted"], 1);
  EXPECT_EQ(j["purges"]["sent"], 4);
}

TEST(SvgChart, IsWellFormedAndEscapesItsTexts) {
  ChartData chart{"Hits <&> \"quoted\"", "per <interval>", {100, 105, 110, 115}, {}};
  chart.series.push_back({"hits", "#2563eb", {3.0, 7.0, 0.0, 12.0}});
  chart.series.push_back({"mean", "#16a34a", {1.0, std::nullopt, 2.0, std::nullopt}});
  std::string svg = RenderSvgChart(chart);
  EXPECT_EQ(CheckMarkup(svg), "") << svg;
  EXPECT_NE(svg.find("<title>Hits &lt;&amp;&gt; &quot;quoted&quot;</title>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("<g id=\"series-hits\""), std::string::npos);
  EXPECT_NE(svg.find("<polyline points="), std::string::npos);
  // Gaps split a series: two lone points are drawn as dots.
  size_t mean = svg.find("<g id=\"series-mean\"");
  ASSERT_NE(mean, std::string::npos);
  EXPECT_EQ(svg.find("<polyline", mean), std::string::npos);
  EXPECT_NE(svg.find("<circle", mean), std::string::npos);
  // The y axis ends at a round number above the largest value (12 -> 20).
  EXPECT_NE(svg.find(">20</text>"), std::string::npos) << svg;
}

TEST(SvgChart, NoSamplesSaysSo) {
  std::string svg = RenderSvgChart({"Hits", "per interval", {}, {{"hits", "#000", {}}}});
  EXPECT_EQ(CheckMarkup(svg), "") << svg;
  EXPECT_NE(svg.find("no samples yet"), std::string::npos);
}

TEST(StatsPage, IsWellFormedWithBothChartsAndEscapedPages) {
  HitStats stats;
  std::vector<ServeSample> samples = {{1000, 5, 10, 8, 2, 1, 1, 30.0, 30.0}, {1005, 5, 4, 4, 0, 0, 0, 0, 0}};
  std::string html = RenderStatsPage(Filled(&stats)->Snapshot(), samples);
  EXPECT_EQ(CheckMarkup(html), "") << html;
  for (const char* id : {"series-hits", "series-regenerations", "series-mean", "series-max"}) {
    EXPECT_NE(html.find(std::string("id=\"") + id + "\""), std::string::npos) << id;
  }
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("/a&quot;b\\c&lt;script&gt;&amp;"), std::string::npos) << html;
  EXPECT_NE(html.find("once per 2.0 hits"), std::string::npos) << html;
}

}  // namespace
}  // namespace kiln
