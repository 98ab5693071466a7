// Issue 9, "hit monitoring, live", against the real `kiln serve`: hits and
// regenerations counted exactly, /api/stats, /metrics and /_kiln/stats off
// the public site unless configured, hits flushed to kiln.db for
// `kiln stats`.
#include <signal.h>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "edge/fake_cache.h"
#include "kiln_process.h"
#include "markup_check.h"
#include "prometheus_text.h"
#include "serve_test_util.h"

namespace kiln::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using json = nlohmann::json;

SiteSettings StatsOn(const std::string& more = "") {
  SiteSettings s;
  s.extra_toml = "[stats]\nenabled = true\n" + more;
  return s;
}

// Polls `ready` every 20 ms until it holds or `limit` passes.
bool WaitFor(const std::function<bool()>& ready, milliseconds limit = milliseconds(10000)) {
  const auto start = steady_clock::now();
  while (steady_clock::now() - start < limit) {
    if (ready()) return true;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return ready();
}

json Stats(const ServerProcess& server) {
  HttpResult r = HttpGet(server.Url("/api/stats"));
  EXPECT_EQ(r.status, 200) << r.body;
  return r.status == 200 ? json::parse(r.body) : json::object();
}

json Page(const json& stats, const std::string& url) {
  for (const json& p : stats["pages"]) {
    if (p["url"] == url) return p;
  }
  return {{"url", url}, {"hits", 0}, {"not_modified", 0}, {"regenerations", 0}};
}

// The rendered counts of the builds recorded after build `after`.
int64_t RenderedSince(const TestSite& site, int64_t after) {
  SQLite::Database db((site.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
  SQLite::Statement q(db, "SELECT coalesce(sum(rendered), 0) FROM build_history WHERE id > ?");
  q.bind(1, after);
  q.executeStep();
  return q.getColumn(0).getInt64();
}

int64_t LastBuildId(const TestSite& site) {
  SQLite::Database db((site.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
  return db.execAndGet("SELECT coalesce(max(id), 0) FROM build_history").getInt64();
}

TEST(HitMonitoring, OffByDefault) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  for (const char* path : {"/api/stats", "/metrics", "/_kiln/stats"}) {
    EXPECT_EQ(HttpGet(server.Url(path)).status, 404) << path;
  }
}

TEST(HitMonitoring, HitsAreCountedExactly) {
  TestSite site(StatsOn());
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  HttpResult post = HttpGet(server.Url("/posts/first/"));
  ASSERT_EQ(post.status, 200);
  ASSERT_EQ(HttpGet(server.Url("/posts/first/index.html")).status, 200);
  ASSERT_EQ(HttpHead(server.Url("/posts/%66irst/?utm=x")).status, 200);
  ASSERT_EQ(HttpGet(server.Url("/posts/first/"), {"If-None-Match: " + post.Header("etag")}).status, 304);
  ASSERT_EQ(HttpGet(server.Url("/no/such/page/")).status, 404);
  ASSERT_EQ(HttpGet(server.Url("/posts/first")).status, 301);

  json stats = Stats(server);
  EXPECT_EQ(Page(stats, "/")["hits"], 3);
  json first = Page(stats, "/posts/first/");
  EXPECT_EQ(first["hits"], 4) << first;
  EXPECT_EQ(first["ok"], 3);
  EXPECT_EQ(first["not_modified"], 1);
  EXPECT_EQ(Page(stats, "/posts/second/")["hits"], 0);
  EXPECT_EQ(stats["page_hits"], 7);  // the 404 and the redirect are no page's hits
  EXPECT_EQ(stats["requests"]["by_status"]["404"], 1);
  EXPECT_EQ(stats["requests"]["by_status"]["301"], 1);
  EXPECT_EQ(stats["requests"]["by_status"]["304"], 1);
}

// A comment's build renders exactly the pages that show it; each of them
// counts one regeneration, and no other page does.
TEST(HitMonitoring, CommentRegenerationsCountTheRenderedPages) {
  TestSite site(StatsOn());
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  json before = Stats(server);
  const int64_t last_build = LastBuildId(site);
  HttpResult r = HttpPost(server.Url("/api/comments"), "application/json",
                          R"({"post": "first", "author": "Ada", "body": "Counted."})");
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(HttpPost(server.Url("/api/comments"), "application/json", R"({"post": "first"})").status, 422);
  json after = Stats(server);

  EXPECT_EQ(Page(after, "/posts/first/")["regenerations"].get<int>() -
                Page(before, "/posts/first/")["regenerations"].get<int>(), 1);
  EXPECT_EQ(Page(after, "/posts/second/")["regenerations"], Page(before, "/posts/second/")["regenerations"]);
  const int64_t added = after["regenerations"].get<int64_t>() - before["regenerations"].get<int64_t>();
  EXPECT_GT(added, 0);
  EXPECT_EQ(added, RenderedSince(site, last_build));
  EXPECT_EQ(after["pages_rendered"].get<int64_t>() - before["pages_rendered"].get<int64_t>(), added);
  EXPECT_EQ(after["comments"]["accepted"], 1);
  EXPECT_EQ(after["comments"]["rejected"], 1);
  EXPECT_EQ(after["comment_latency_seconds"]["count"], 2);
}

TEST(HitMonitoring, MetricsAreValidPrometheusText) {
  TestSite site(StatsOn());
  site.WriteFile("static/q\"uote.txt", "a file whose name needs escaping\n");
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  ASSERT_EQ(HttpGet(server.Url("/q%22uote.txt")).status, 200);
  HttpResult r = HttpGet(server.Url("/metrics"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.Header("cache-control"), "no-store");
  PrometheusText m = ParsePrometheusText(r.body);
  ASSERT_EQ(m.error, "") << r.body;
  EXPECT_EQ(m.types["kiln_page_hits_total"], "counter");
  EXPECT_EQ(m.types["kiln_http_request_duration_seconds"], "histogram");
  EXPECT_EQ(m.samples["kiln_page_hits_total{path=\"/\"}"], 2);
  EXPECT_EQ(m.samples["kiln_page_hits_total{path=\"/q\\\"uote.txt\"}"], 1) << r.body;
  EXPECT_EQ(m.samples["kiln_http_requests_total{code=\"200\"}"], 3);
  EXPECT_GE(m.samples["kiln_builds_total"], 1);
}

// Purges are counted per request, to each endpoint, with the failures of
// an endpoint that is down.
TEST(HitMonitoring, PurgesSentAndFailedAreCounted) {
  FakeCache cache;
  TestSite site;
  site.WriteFile("kiln.toml", "title = \"T\"\nbase_url = \"http://127.0.0.1:8080/\"\n[comments]\n"
                              "rate_limit_per_minute = 0\n[edge]\npurge = [\"" + cache.endpoint() +
                              "\", \"http://127.0.0.1:" + std::to_string(UnusedPort()) +
                              "\"]\nretries = 0\ntimeout_ms = 500\n[stats]\nenabled = true\n");
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(HttpPost(server.Url("/api/comments"), "application/json",
                     R"({"post": "first", "author": "Ada", "body": "Purged."})").status, 201);
  // Every URL went to both endpoints: the live one took it, the dead one failed.
  json stats;
  auto settled = [&] {
    stats = Stats(server);
    size_t seen = cache.seen().size();
    return seen > 0 && stats["purges"]["sent"] == 2 * seen && stats["purges"]["failed"] == seen;
  };
  EXPECT_TRUE(WaitFor(settled)) << stats["purges"] << " seen " << cache.seen().size() << server.Stderr();
}

// The server listens on 127.0.0.1; 127.0.0.2 is another loopback address,
// so another client that is not in [stats] allow.
TEST(HitMonitoring, OtherAddressesAreRefused) {
  TestSite site(StatsOn());
  ServerProcess server(site.root(), {}, {"KILN_STATS_TOKEN=t0ken"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  auto get = [&](const char* source, const std::string& extra) {
    int fd = ConnectLoopback(server.port(), source);
    EXPECT_GE(fd, 0);
    SendAll(fd, "GET /api/stats HTTP/1.1\r\nHost: x\r\nConnection: close\r\n" + extra + "\r\n");
    std::string answer = ReadUntilClose(fd, milliseconds(5000));
    close(fd);
    return answer.substr(0, answer.find("\r\n"));
  };
  EXPECT_EQ(get("127.0.0.1", ""), "HTTP/1.1 200 OK");
  EXPECT_EQ(get("127.0.0.2", ""), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(get("127.0.0.1", "X-Forwarded-For: 203.0.113.9\r\n"), "HTTP/1.1 403 Forbidden");
  EXPECT_EQ(get("127.0.0.2", "Authorization: Bearer t0ken\r\n"), "HTTP/1.1 200 OK");
  EXPECT_EQ(get("127.0.0.2", "Authorization: Bearer wrong\r\n"), "HTTP/1.1 403 Forbidden");
}

// Hits reach kiln.db at shutdown, and `kiln stats` shows the ratio.
TEST(HitMonitoring, HitsAreFlushedAndKilnStatsShowsTheRatio) {
  TestSite site;  // [stats] off: hits are recorded all the same
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  for (int i = 0; i < 6; ++i) ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  server.Signal(SIGTERM);
  ASSERT_EQ(server.WaitExit(), 0) << server.Stderr();

  auto json_run = kiln::testing::RunKiln(kiln::testing::ReferenceKilnBinary(),
                                         {"stats", "--json", "--site", site.root().string()});
  ASSERT_EQ(json_run.exit_code, 0) << json_run.err;
  json home = Page(json::parse(json_run.out), "/");
  EXPECT_EQ(home["hits"], 6) << json_run.out;
  ASSERT_EQ(home["regenerations"], 1) << json_run.out;  // the server's first build
  EXPECT_EQ(home["hits_per_regeneration"], 6.0);
  auto text = kiln::testing::RunKiln(kiln::testing::ReferenceKilnBinary(),
                                     {"stats", "--site", site.root().string()});
  EXPECT_NE(text.out.find("home page: regenerated once per 6.0 hits"), std::string::npos) << text.out;
}

// The charts survive a restart: the samples written by the last run are
// read back when the next one starts.
TEST(HitMonitoring, ChartsKeepTheLastRunsSamples) {
  TestSite site(StatsOn());
  {
    ServerProcess first(site.root());
    ASSERT_TRUE(first.WaitServing()) << first.Stderr();
    for (int i = 0; i < 3; ++i) ASSERT_EQ(HttpGet(first.Url("/")).status, 200);
    first.Signal(SIGTERM);
    ASSERT_EQ(first.WaitExit(), 0) << first.Stderr();
  }
  ServerProcess second(site.root());
  ASSERT_TRUE(second.WaitServing()) << second.Stderr();
  json stats = Stats(second);
  ASSERT_FALSE(stats["samples"].empty()) << stats;
  int64_t hits = 0;
  for (const json& sample : stats["samples"]) hits += sample["hits"].get<int64_t>();
  EXPECT_EQ(hits, 3) << stats["samples"];
  EXPECT_EQ(stats["page_hits"], 0);  // the live counters start afresh
}

// [stats] record = false: counted, shown, never written.
TEST(HitMonitoring, RecordFalseWritesNothing) {
  TestSite site(StatsOn("record = false\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  EXPECT_EQ(Page(Stats(server), "/")["hits"], 1);
  server.Signal(SIGTERM);
  ASSERT_EQ(server.WaitExit(), 0) << server.Stderr();
  SQLite::Database db((site.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM page_hits").getInt(), 0);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM serve_samples").getInt(), 0);
}

TEST(HitMonitoring, RoutesTakeGetAndHeadOnly) {
  TestSite site(StatsOn());
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult head = HttpHead(server.Url("/metrics"));
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  HttpResult post = HttpPost(server.Url("/api/stats"), "application/json", "{}");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.Header("allow"), "GET, HEAD");
}

// Without a shutdown, hits reach kiln.db within a flush interval.
TEST(HitMonitoring, HitsAreFlushedWhileServing) {
  TestSite site(StatsOn("flush_seconds = 1\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(HttpGet(server.Url("/posts/second/")).status, 200);
  auto flushed = [&] {
    SQLite::Database db((site.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
    SQLite::Statement q(db, "SELECT hits FROM page_hits WHERE url = '/posts/second/'");
    return q.executeStep() && q.getColumn(0).getInt64() == 1;
  };
  EXPECT_TRUE(WaitFor(flushed)) << server.Stderr();
}

TEST(HitMonitoring, StatsPageDrawsTheSeries) {
  TestSite site(StatsOn("flush_seconds = 1\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(HttpGet(server.Url("/")).status, 200);
  ASSERT_EQ(HttpPost(server.Url("/api/comments"), "application/json",
                     R"({"post": "first", "author": "Ada", "body": "Charted."})").status, 201);
  // Two samples with the hit and the comment in them draw a line.
  auto sampled = [&] {
    json stats = Stats(server);
    int with_hits = 0, samples = 0;
    for (const json& s : stats["samples"]) {
      ++samples;
      with_hits += s["hits"].get<int>() > 0 || s["comments"].get<int>() > 0;
    }
    return with_hits > 0 && samples >= 2;
  };
  ASSERT_TRUE(WaitFor(sampled)) << server.Stderr();
  HttpResult r = HttpGet(server.Url("/_kiln/stats"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(CheckMarkup(r.body), "") << r.body;
  for (const char* id : {"series-hits", "series-regenerations", "series-mean", "series-max"}) {
    EXPECT_NE(r.body.find(std::string("<g id=\"") + id + "\""), std::string::npos) << id;
  }
  size_t hits = r.body.find("<g id=\"series-hits\"");
  EXPECT_LT(r.body.find("<polyline points=", hits), r.body.find("</g>", hits)) << r.body;
  EXPECT_NE(r.body.find("<td>/posts/first/</td>"), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace kiln::test
