// SendPurges against local endpoints (SPEC.md, "The edge": "a failed purge
// is retried and reported, and never fails the build"). Failures injected:
// an endpoint that is down, one that answers 500, one that is slow.
#include "edge/purger.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "edge/fake_cache.h"
#include "edge/purge_queue.h"
#include "load/config.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using test::FakeCache;

EdgeConfig Edge(std::vector<std::string> endpoints, int timeout_ms = 2000, int retries = 2) {
  EdgeConfig edge;
  edge.purge = std::move(endpoints);
  edge.timeout_ms = timeout_ms;
  edge.retries = retries;
  return edge;
}

TEST(PurgerTest, EveryPathGoesToEveryEndpointWithTheSiteHost) {
  FakeCache a, b;
  PurgeResult r = SendPurges(Edge({a.endpoint(), b.endpoint() + "/"}), "blog.example",
                             PurgeTarget{{"/posts/a/", "/"}, {}});
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.requests, 4u);
  EXPECT_EQ(r.purged, 4u);
  for (FakeCache* cache : {&a, &b}) {
    std::set<std::string> targets;
    for (const auto& seen : cache->seen()) {
      EXPECT_EQ(seen.method, "PURGE");
      EXPECT_EQ(seen.host, "blog.example");
      targets.insert(seen.target);
    }
    EXPECT_EQ(targets, (std::set<std::string>{"/posts/a/", "/"}));
  }
}

TEST(PurgerTest, TagsGoInOneXkeyPurgeHeader) {
  FakeCache cache;
  PurgeResult r = SendPurges(Edge({cache.endpoint()}), "h", PurgeTarget{{}, {"comments:a", "count:a"}});
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(cache.seen().size(), 1u);
  EXPECT_EQ(cache.seen()[0].target, "/");
  EXPECT_EQ(cache.seen()[0].xkey_purge, "comments:a count:a");
}

TEST(PurgerTest, NotCachedCountsAsPurged) {
  // nginx's cache_purge answers 404 for a page it does not hold.
  FakeCache cache(404);
  EXPECT_TRUE(SendPurges(Edge({cache.endpoint()}), "h", PurgeTarget{{"/x/"}, {}}).ok());
}

TEST(PurgerTest, A500IsRetriedUntilItWorks) {
  FakeCache cache(200, /*fail_first=*/2);
  PurgeResult r = SendPurges(Edge({cache.endpoint()}, 2000, 2), "h", PurgeTarget{{"/a/"}, {}});
  EXPECT_TRUE(r.ok()) << DescribePurge(r);
  EXPECT_EQ(r.retries, 2u);
  EXPECT_EQ(cache.seen().size(), 3u);
}

TEST(PurgerTest, AnEndpointAnswering500IsReportedAfterItsRetries) {
  FakeCache broken(500), healthy;
  PurgeResult r = SendPurges(Edge({broken.endpoint(), healthy.endpoint()}, 2000, 1), "h",
                             PurgeTarget{{"/a/", "/b/"}, {}});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.failed, 2u);
  EXPECT_EQ(r.purged, 2u);  // the healthy endpoint is not held back
  EXPECT_EQ(broken.seen().size(), 4u);  // 2 paths x (1 + 1 retry)
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].find(broken.endpoint() + " PURGE /"), std::string::npos) << r.errors[0];
  EXPECT_NE(r.errors[0].find("HTTP 500 (2 attempts)"), std::string::npos) << r.errors[0];
  EXPECT_NE(DescribePurge(r).find("purge failed: 2 of 4 requests"), std::string::npos) << DescribePurge(r);
}

TEST(PurgerTest, AnEndpointThatIsDownIsReportedQuickly) {
  const std::string down = "http://127.0.0.1:" + std::to_string(test::UnusedPort());
  PurgeResult r;
  double seconds = unit::SecondsToRun(
      [&] { r = SendPurges(Edge({down}, 2000, 2), "h", PurgeTarget{{"/a/"}, {}}); });
  EXPECT_EQ(r.failed, 1u);
  EXPECT_EQ(r.retries, 2u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("(3 attempts)"), std::string::npos) << r.errors[0];
  EXPECT_LT(seconds, 2.0);  // refused at once; backoffs of 100 + 200 ms
}

TEST(PurgerTest, ASlowEndpointCostsOneTimeoutPerAttemptInParallel) {
  FakeCache slow(200, 0, std::chrono::seconds(5));
  PurgeTarget target;
  for (int i = 0; i < 10; ++i) target.paths.push_back("/p" + std::to_string(i) + "/");
  PurgeResult r;
  double seconds = unit::SecondsToRun([&] { r = SendPurges(Edge({slow.endpoint()}, 300, 0), "h", target); });
  EXPECT_EQ(r.failed, 10u);
  EXPECT_NE(r.errors[0].find("imeout"), std::string::npos) << r.errors[0];
  EXPECT_LT(seconds, 2.0);  // ten timeouts of 0.3 s at once, not one after another
}

TEST(PurgerTest, JsonReport) {
  FakeCache cache;
  auto j = nlohmann::json::parse(PurgeResultToJson(SendPurges(Edge({cache.endpoint()}), "h", PurgeTarget{{"/a/"}, {}})));
  EXPECT_EQ(j["endpoints"], 1);
  EXPECT_EQ(j["requests"], 1);
  EXPECT_EQ(j["purged"], 1);
  EXPECT_EQ(j["failed"], 0);
  EXPECT_TRUE(j["errors"].empty());
}

TEST(PurgerTest, SiteOfBaseUrl) {
  EXPECT_EQ(PurgeSiteOf("https://x.github.io/blog/").host, "x.github.io");
  EXPECT_EQ(PurgeSiteOf("https://x.github.io/blog/").path_prefix, "/blog/");
  EXPECT_EQ(PurgeSiteOf("http://127.0.0.1:8080/").host, "127.0.0.1:8080");
  EXPECT_EQ(PurgeSiteOf("http://127.0.0.1:8080/").path_prefix, "/");
}

TEST(PurgeQueueTest, WaitsForTheRoundWhenTheCacheAnswers) {
  FakeCache cache;
  std::atomic<int> rounds{0};
  PurgeQueue queue(Edge({cache.endpoint()}), "h", [&](const PurgeResult&) { ++rounds; });
  EXPECT_TRUE(queue.SubmitAndWait(PurgeTarget{{"/a/"}, {}}));
  EXPECT_EQ(cache.seen().size(), 1u);  // sent before SubmitAndWait returned
  EXPECT_EQ(rounds, 1);
}

TEST(PurgeQueueTest, ASlowCacheDelaysTheCallerByTheTimeoutOnly) {
  FakeCache slow(200, 0, std::chrono::seconds(3));
  PurgeResult last;
  std::mutex mutex;
  PurgeQueue queue(Edge({slow.endpoint()}, 300, 1), "h", [&](const PurgeResult& r) {
    std::lock_guard lock(mutex);
    last = r;
  });
  bool answered = true;
  double seconds = unit::SecondsToRun([&] { answered = queue.SubmitAndWait(PurgeTarget{{"/a/"}, {}}); });
  EXPECT_FALSE(answered);
  EXPECT_LT(seconds, 1.0);
  queue.Stop();  // the retry runs to its end, then the round is reported
  std::lock_guard lock(mutex);
  EXPECT_EQ(last.failed, 1u);
  EXPECT_EQ(last.retries, 1u);
}

}  // namespace
}  // namespace kiln
