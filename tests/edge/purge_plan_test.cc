#include "edge/purge_plan.h"

#include <gtest/gtest.h>

#include "engine/build.h"

namespace kiln {
namespace {

// What the cache holds: each output's xkey as last served.
const std::unordered_map<std::string, std::string> kCached = {
    {"posts/a/index.html", "post:a template:post"},
    {"posts/b/index.html", "post:b template:post"},
    {"index.html", "list:home:1 post:a post:b template:index"},
    {"style.css", "static:style.css"},
};

BuildReport Wrote(std::vector<std::string> written, std::vector<std::string> removed = {}) {
  BuildReport report;
  report.written = std::move(written);
  report.removed = std::move(removed);
  return report;
}

TEST(PurgePlanTest, ByUrlPathEveryWrittenAndRemovedOutput) {
  PurgeTarget t = PurgeTargetOf(Wrote({"index.html", "posts/a/index.html"}, {"old.css"}), "/blog/");
  EXPECT_EQ(t.paths, (std::vector<std::string>{"/blog/", "/blog/posts/a/", "/blog/old.css"}));
  EXPECT_TRUE(t.tags.empty());
}

// A template edit rewrites every page of that template: one tag purge.
TEST(PurgePlanTest, ATagReachingOnlyChangedOutputsReplacesTheirUrls) {
  PurgeTarget t = PurgeTargetByTag(Wrote({"posts/a/index.html", "posts/b/index.html"}), kCached, "/");
  EXPECT_EQ(t.tags, std::vector<std::string>{"template:post"});
  EXPECT_TRUE(t.paths.empty());
}

// post:a is also on the home page, which did not change: purging it would
// drop a page that is still right.
TEST(PurgePlanTest, ATagOnAnUnchangedOutputIsNeverUsed) {
  PurgeTarget t = PurgeTargetByTag(Wrote({"posts/a/index.html"}), kCached, "/");
  EXPECT_TRUE(t.tags.empty());
  EXPECT_EQ(t.paths, std::vector<std::string>{"/posts/a/"});
}

TEST(PurgePlanTest, UncoveredAndNewOutputsGoByUrl) {
  PurgeTarget t = PurgeTargetByTag(
      Wrote({"index.html", "posts/a/index.html", "posts/b/index.html", "posts/c/index.html"}, {"style.css"}),
      kCached, "/");
  // post:a, post:b and template:post each reach two changed outputs; post:a
  // is taken first (ties in name order), then neither other adds two more.
  EXPECT_EQ(t.tags, std::vector<std::string>{"post:a"});
  // The rest, the new page and the lone static file go by URL.
  EXPECT_EQ(t.paths, (std::vector<std::string>{"/posts/b/", "/posts/c/", "/style.css"}));
}

}  // namespace
}  // namespace kiln
