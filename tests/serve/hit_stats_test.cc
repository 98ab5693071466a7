// Issue 9, "hit monitoring, live": kiln serve counts hits per page and
// regenerations per page, exactly, without a lock on the request path.
#include "serve/hit_stats.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "engine/build.h"

namespace kiln {
namespace {

const PageFigures* Find(const StatsSnapshot& s, const std::string& url) {
  for (const PageFigures& p : s.pages) {
    if (p.url == url) return &p;
  }
  return nullptr;
}

// A page is counted once however its URL is spelled.
TEST(PageKeyOf, SpellingsOfOnePageShareAKey) {
  std::string key;
  for (const char* target : {"/posts/a/", "/posts/a/index.html", "/posts/%61/?x=1", "/posts//a/"}) {
    ASSERT_TRUE(PageKeyOf(target, &key)) << target;
    EXPECT_EQ(key, "/posts/a/") << target;
  }
  ASSERT_TRUE(PageKeyOf("/index.html", &key));
  EXPECT_EQ(key, "/");
  ASSERT_TRUE(PageKeyOf("/?utm=x", &key));
  EXPECT_EQ(key, "/");
  ASSERT_TRUE(PageKeyOf("/feed.xml", &key));
  EXPECT_EQ(key, "/feed.xml");
  EXPECT_FALSE(PageKeyOf("/../etc/passwd", &key));
}

TEST(HitStats, CountsServedFilesByStatusAndNothingElse) {
  HitStats stats;
  stats.RecordPage("/", 200);
  stats.RecordPage("/index.html", 200);
  stats.RecordPage("/", 304);
  stats.RecordPage("/big.bin", 206);
  stats.RecordPage("/nope/", 404);      // not a file of site/
  stats.RecordPage("/posts/a", 301);    // a redirect, not a page
  StatsSnapshot s = stats.Snapshot();
  ASSERT_EQ(s.pages.size(), 2u);
  const PageFigures* home = Find(s, "/");
  ASSERT_NE(home, nullptr);
  EXPECT_EQ(home->ok, 2u);
  EXPECT_EQ(home->not_modified, 1u);
  EXPECT_EQ(home->hits(), 3u);
  EXPECT_EQ(Find(s, "/big.bin")->partial, 1u);
  EXPECT_EQ(s.page_hits, 4u);
}

// Escaped spellings are not remembered per thread (a client could invent
// them without end) but still count for their page, every time.
TEST(HitStats, EscapedSpellingsCountForTheirPage) {
  HitStats stats;
  for (int i = 0; i < 3; ++i) stats.RecordPage("/posts/%61/", 200);
  stats.RecordPage("/posts/a/", 200);
  stats.RecordPage("/posts/a/index.html?x", 304);
  StatsSnapshot s = stats.Snapshot();
  ASSERT_EQ(s.pages.size(), 1u);
  EXPECT_EQ(s.pages[0].url, "/posts/a/");
  EXPECT_EQ(s.pages[0].ok, 4u);
  EXPECT_EQ(s.pages[0].not_modified, 1u);
}

// Counters are exact with several threads recording at once (the I/O
// thread counts pages; the build worker answers comments).
TEST(HitStats, ThreadsCountExactly) {
  HitStats stats;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&stats, t] {
      for (int i = 0; i < 10000; ++i) {
        stats.RecordPage(i % 2 ? "/" : "/posts/" + std::to_string(t) + "/", 200);
        stats.RecordAnswer(200, 1000);
      }
    });
  }
  for (auto& t : threads) t.join();
  StatsSnapshot s = stats.Snapshot();
  EXPECT_EQ(Find(s, "/")->hits(), 20000u);
  EXPECT_EQ(Find(s, "/posts/2/")->hits(), 5000u);
  EXPECT_EQ(s.requests, 40000u);
  EXPECT_EQ(s.latency.count, 40000u);
}

// Two instances on one thread (a test that starts a second server) keep
// their own counts.
TEST(HitStats, InstancesDoNotShareCounts) {
  auto first = std::make_unique<HitStats>();
  first->RecordPage("/", 200);
  first.reset();
  HitStats second;
  second.RecordPage("/", 200);
  EXPECT_EQ(Find(second.Snapshot(), "/")->hits(), 1u);
}

TEST(HitStats, BuildsCountRenderedPagesAsRegenerations) {
  HitStats stats;
  BuildReport report;
  report.rendered = {"/", "/posts/a/"};
  report.unchanged = 5;
  stats.RecordBuild(true, report);
  report.rendered = {"/posts/a/"};
  report.unchanged = 6;
  stats.RecordBuild(true, report);
  stats.RecordBuild(false, BuildReport{});
  StatsSnapshot s = stats.Snapshot();
  EXPECT_EQ(Find(s, "/posts/a/")->regenerations, 2u);
  EXPECT_EQ(Find(s, "/")->regenerations, 1u);
  EXPECT_EQ(s.regenerations, 3u);
  EXPECT_EQ(s.builds, 3u);
  EXPECT_EQ(s.builds_failed, 1u);
  EXPECT_EQ(s.pages_rendered, 3u);
  EXPECT_EQ(s.pages_reused, 11u);
}

TEST(HitStats, LatencyFallsInTheRightBucket) {
  HitStats stats;
  stats.RecordAnswer(200, 50'000);       // 50 µs: first bucket (<= 100 µs)
  stats.RecordAnswer(200, 3'000'000);    // 3 ms: <= 5 ms
  stats.RecordAnswer(503, 60'000'000'000);  // 60 s: +Inf
  HistogramSnapshot h = stats.Snapshot().latency;
  ASSERT_EQ(h.buckets.size(), h.bounds.size() + 1);
  EXPECT_EQ(h.buckets[0], 1u);
  EXPECT_EQ(h.buckets[5], 1u);
  EXPECT_DOUBLE_EQ(h.bounds[5], 0.005);
  EXPECT_EQ(h.buckets.back(), 1u);
  EXPECT_EQ(h.count, 3u);
  EXPECT_NEAR(h.sum_seconds, 60.00305, 1e-9);
}

TEST(HitStats, CommentsAndTheirLongestAnswer) {
  HitStats stats;
  stats.RecordComment(true, 2'000'000);
  stats.RecordComment(false, 9'000'000);
  StatsSnapshot s = stats.Snapshot();
  EXPECT_EQ(s.comments_accepted, 1u);
  EXPECT_EQ(s.comments_rejected, 1u);
  EXPECT_DOUBLE_EQ(stats.TakeCommentMaxMs(), 9.0);
  EXPECT_DOUBLE_EQ(stats.TakeCommentMaxMs(), 0.0);  // taken: the next sample starts afresh
}

}  // namespace
}  // namespace kiln
