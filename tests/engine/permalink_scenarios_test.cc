// Issue 8's incremental promises for URLs (SPEC.md, "Output" and the
// invariants): a permalink pattern change moves every post and the next
// incremental build removes the old files; an alias added renders its
// redirect; a bundle's file is copied and followed; base_url's path prefix
// reaches every link; robots.txt gives way to static/robots.txt. Each ends
// equal to a full build from scratch (invariant 1).
#include <gtest/gtest.h>

#include <algorithm>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

class PermalinkScenarios : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WritePost("2016-03-07-Hello-World", "Hello", "2016-03-07", {"a"});
    site_.WritePost("second", "Second", "2016-04-01");
    site_.Build();
  }

  void WriteConfig(const std::string& extra) {
    site_.WriteFile("kiln.toml", "title = \"T\"\nbase_url = \"https://blog.example/\"\n"
                                 "posts_per_page = 10\n" + extra);
  }

  void ExpectEqualToFullBuild() {
    auto full = site_.FullBuildFromScratch();
    auto incremental = site_.SiteFiles();
    EXPECT_EQ(incremental, full) << DescribeDifferences(incremental, full);
  }

  TempSite site_{10, 10};
};

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST_F(PermalinkScenarios, JekyllNameGivesTheDefaultSlugUrl) {
  EXPECT_TRUE(site_.Exists("site/posts/hello-world/index.html"));
}

TEST_F(PermalinkScenarios, PatternChangeMovesEveryPostAndRemovesTheOldFiles) {
  WriteConfig("[permalinks]\npost = \"/:year/:month/:day/:title.html\"\n");
  BuildReport report = site_.Build();
  EXPECT_FALSE(report.full);
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/2016/03/07/Hello-World.html"));
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/2016/04/01/second.html"));
  EXPECT_EQ(report.removed, (Urls{"posts/hello-world/index.html", "posts/second/index.html"}));
  EXPECT_TRUE(site_.Exists("site/2016/03/07/Hello-World.html"));
  // Every link follows: the home page, the neighbours, the feed, the sitemap.
  EXPECT_TRUE(Contains(site_.ReadFile("site/index.html"), "href=\"/2016/03/07/Hello-World.html\""));
  EXPECT_TRUE(Contains(site_.ReadFile("site/2016/04/01/second.html"), "href=\"/2016/03/07/Hello-World.html\""));
  EXPECT_TRUE(Contains(site_.ReadFile("site/feed.xml"), "https://blog.example/2016/03/07/Hello-World.html"));
  EXPECT_TRUE(Contains(site_.ReadFile("site/sitemap.xml"), "https://blog.example/2016/04/01/second.html"));
  EXPECT_FALSE(Contains(site_.ReadFile("site/tags/a/index.html"), "/posts/"));
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, AddingAnAliasRendersItsRedirectAndNothingElse) {
  site_.WritePost("second", "Second", "2016-04-01", {}, "Body.\n", "aliases: [/old/second.html, /2016/second]\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/2016/second/", "/old/second.html"}));
  const std::string redirect = site_.ReadFile("site/old/second.html");
  EXPECT_TRUE(Contains(redirect, "<meta http-equiv=\"refresh\" content=\"0; url=/posts/second/\">"));
  EXPECT_TRUE(Contains(redirect, "<link rel=\"canonical\" href=\"https://blog.example/posts/second/\">"));
  EXPECT_TRUE(site_.Exists("site/2016/second/index.html"));
  // Removing it removes the page.
  site_.WritePost("second", "Second", "2016-04-01", {}, "Body.\n");
  EXPECT_EQ(site_.Build().removed, (Urls{"2016/second/index.html", "old/second.html"}));
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, AliasOntoAnotherPageIsAnError) {
  site_.WritePost("second", "Second", "2016-04-01", {}, "Body.\n", "aliases: [/posts/hello-world/]\n");
  BuildReport report;
  Status s = site_.TryBuild(false, &report);
  EXPECT_EQ(s.file(), "content/posts/second.md");
  EXPECT_NE(s.message().find("content/posts/2016-03-07-Hello-World.md"), std::string::npos) << s.ToString();
}

TEST_F(PermalinkScenarios, OwnPermalinkOverridesThePattern) {
  site_.WritePost("second", "Second", "2016-04-01", {}, "Body.\n", "permalink: /about/second/\n");
  BuildReport report = site_.Build();
  EXPECT_TRUE(site_.Exists("site/about/second/index.html"));
  EXPECT_EQ(report.removed, Urls{"posts/second/index.html"});
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, BundleFilesAreCopiedBesideThePostAndFollowed) {
  site_.WriteFile("content/posts/trip/index.md", "---\ntitle: Trip\ndate: 2016-05-01\n---\n![map](map.png)\n");
  site_.WriteFile("content/posts/trip/map.png", "PNG1");
  site_.WriteFile("content/posts/trip/img/b.jpg", "JPG");
  site_.WriteFile("content/posts/trip/notes.md", "not a post");
  BuildReport report = site_.Build();
  EXPECT_EQ(site_.ReadFile("site/posts/trip/map.png"), "PNG1");
  EXPECT_EQ(site_.ReadFile("site/posts/trip/img/b.jpg"), "JPG");
  EXPECT_FALSE(site_.Exists("site/posts/notes/index.html"));
  site_.WriteFile("content/posts/trip/map.png", "PNG2");
  report = site_.Build();
  EXPECT_EQ(report.rendered, Urls{"/posts/trip/map.png"});
  EXPECT_EQ(site_.ReadFile("site/posts/trip/map.png"), "PNG2");
  site_.RemoveFile("content/posts/trip/img/b.jpg");
  EXPECT_EQ(site_.Build().removed, Urls{"posts/trip/img/b.jpg"});
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, BasePathReachesEveryLink) {
  WriteConfig("");
  site_.Build();
  site_.WriteFile("kiln.toml", "title = \"T\"\nbase_url = \"https://x.github.io/blog/\"\nposts_per_page = 10\n");
  BuildReport report = site_.Build();
  const std::string home = site_.ReadFile("site/index.html");
  EXPECT_TRUE(Contains(home, "href=\"/blog/posts/hello-world/\""));
  EXPECT_TRUE(Contains(home, "href=\"/blog/style.css\""));
  EXPECT_TRUE(Contains(home, "href=\"/blog/tags/a/\""));
  EXPECT_FALSE(Contains(home, "href=\"/posts/"));
  EXPECT_FALSE(Contains(home, "href=\"/tags/"));
  EXPECT_TRUE(Contains(site_.ReadFile("site/feed.xml"), "https://x.github.io/blog/posts/second/"));
  EXPECT_TRUE(Contains(site_.ReadFile("site/robots.txt"), "Sitemap: https://x.github.io/blog/sitemap.xml"));
  EXPECT_TRUE(site_.Exists("site/posts/hello-world/index.html"));  // files stay where they were
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, RobotsTxtGivesWayToTheSitesOwn) {
  EXPECT_EQ(site_.ReadFile("site/robots.txt"),
            "User-agent: *\nAllow: /\n\nSitemap: https://blog.example/sitemap.xml\n");
  site_.WriteFile("static/robots.txt", "User-agent: *\nDisallow: /\n");
  site_.Build();
  EXPECT_EQ(site_.ReadFile("site/robots.txt"), "User-agent: *\nDisallow: /\n");
  ExpectEqualToFullBuild();
}

TEST_F(PermalinkScenarios, TimezoneChangeMovesDatedUrls) {
  WriteConfig("[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n");
  site_.WritePost("late", "Late", "2016-06-01 23:30");  // no zone: the site's
  site_.Build();
  EXPECT_TRUE(site_.Exists("site/2016/06/01/late/index.html"));
  WriteConfig("timezone = \"Asia/Tokyo\"\n[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n");
  site_.Build();
  EXPECT_TRUE(site_.Exists("site/2016/06/01/late/index.html"));  // still 1 June in Tokyo
  WriteConfig("timezone = \"America/New_York\"\n[permalinks]\npost = \"/:year/:month/:day/:slug/\"\n");
  site_.WritePost("zoned", "Zoned", "2016-06-02T02:00:00Z");
  site_.Build();
  EXPECT_TRUE(site_.Exists("site/2016/06/01/zoned/index.html"));  // 22:00 on 1 June in New York
  ExpectEqualToFullBuild();
}

// The comment path (only comments changed) rebuilds the content from the
// source cache: posts keep their pattern URLs and bundles their files.
TEST_F(PermalinkScenarios, CommentPathKeepsUrlsAndBundles) {
  WriteConfig("[permalinks]\npost = \"/:year/:title.html\"\n");
  site_.WriteFile("content/posts/trip/index.md", "---\ntitle: Trip\ndate: 2016-05-01\n---\nBody\n");
  site_.WriteFile("content/posts/trip/map.png", "PNG");
  site_.Build();
  site_.AgeInputs();
  site_.Build();
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('trip', 'Ada', 'Nice map', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.removed, Urls{});
  EXPECT_TRUE(Contains(site_.ReadFile("site/2016/trip.html"), "Nice map"));
  EXPECT_EQ(site_.ReadFile("site/2016/map.png"), "PNG");
  ExpectEqualToFullBuild();
}

}  // namespace
}  // namespace kiln::testing
