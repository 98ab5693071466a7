// Issue 8, feeds: a feed per tag and the full-content option, with their
// dependencies recorded like every page's (SPEC.md invariant 2, "Minimal":
// a page is rendered only if something it shows changed). Each scenario
// applies one edit and asserts the exact `rendered` list.
//
// The fixture is BuildScenarios' (tests/engine/build_scenarios_test.cc):
// posts p1..p7 dated 1..7 January, three a page, feed_size 4. The site feed
// lists p7 p6 p5 p4; p4 is tagged alpha, p1 nothing, the other five beta,
// so /tags/alpha/feed.xml lists p4 and /tags/beta/feed.xml p7 p6 p5 p3
// (not p2, the fifth beta post).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

bool FeedContains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class FeedScenarios : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 7; ++i) WriteNumberedPost(i, "Body of post " + std::to_string(i) + ".\n");
    BuildReport first = site_.Build();
    ASSERT_TRUE(first.full);
    ASSERT_EQ(first.pages, 20u);  // BuildScenarios' 18 and the feeds of alpha and beta
  }

  // p<i> as SetUp writes it, with `body`; the summary is pinned, so a body
  // edit changes the body alone.
  void WriteNumberedPost(int i, const std::string& body) {
    std::vector<std::string> tags;
    if (i == 4) tags = {"alpha"};
    else if (i != 1) tags = {"beta"};
    const std::string n = std::to_string(i);
    site_.WritePost("p" + n, "Post " + n, "2026-01-0" + n, tags, body, "summary: \"Summary of post " + n + ".\"\n");
  }

  void SetFeedContent(const std::string& value) {
    site_.WriteFile("kiln.toml", "title = \"Test blog\"\nbase_url = \"https://blog.example/\"\n"
                                 "description = \"Tests\"\nauthor = \"Ada\"\nposts_per_page = 3\nfeed_size = 4\n"
                                 "feed_content = \"" + value + "\"\n");
  }

  TempSite site_{/*posts_per_page=*/3, /*feed_size=*/4};
};

// A tag's feed: Atom, that tag's latest feed_size posts, its own id and
// self link, and <updated> from its newest entry (deterministic).
TEST_F(FeedScenarios, EachTagHasAnAtomFeedOfItsLatestPosts) {
  const std::string beta = site_.ReadFile("site/tags/beta/feed.xml");
  EXPECT_TRUE(FeedContains(beta, "<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
  EXPECT_TRUE(FeedContains(beta, "<title>Tag: beta · Test blog</title>"));
  EXPECT_TRUE(FeedContains(beta, "<subtitle>Posts tagged beta</subtitle>"));
  EXPECT_TRUE(FeedContains(beta, "<id>https://blog.example/tags/beta/</id>"));
  EXPECT_TRUE(FeedContains(beta, "<link rel=\"self\" type=\"application/atom+xml\" "
                             "href=\"https://blog.example/tags/beta/feed.xml\"/>"));
  EXPECT_TRUE(FeedContains(beta, "<link rel=\"alternate\" type=\"text/html\" href=\"https://blog.example/tags/beta/\"/>"));
  EXPECT_TRUE(FeedContains(beta, "<updated>2026-01-07T00:00:00Z</updated>\n"));
  for (const char* listed : {"p7", "p6", "p5", "p3"}) {
    EXPECT_TRUE(FeedContains(beta, std::string("<id>https://blog.example/posts/") + listed + "/</id>")) << listed;
  }
  EXPECT_FALSE(FeedContains(beta, "/posts/p2/"));  // the fifth beta post: beyond feed_size
  EXPECT_FALSE(FeedContains(beta, "/posts/p4/"));  // alpha's
  EXPECT_FALSE(FeedContains(beta, "<content"));    // summaries only by default
  const std::string alpha = site_.ReadFile("site/tags/alpha/feed.xml");
  EXPECT_TRUE(FeedContains(alpha, "<updated>2026-01-04T00:00:00Z</updated>\n"));
  EXPECT_TRUE(FeedContains(alpha, "<summary>Summary of post 4.</summary>"));
}

// The tag page's <head> names its feed (besides the site's), on every page
// of the tag; the sitemap lists no feed.
TEST_F(FeedScenarios, TagPagesLinkTheirFeedAndTheSitemapListsNoFeed) {
  for (const char* page : {"site/tags/beta/index.html", "site/tags/beta/page/2/index.html"}) {
    const std::string html = site_.ReadFile(page);
    EXPECT_TRUE(FeedContains(html, "<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/feed.xml\" "
                               "title=\"Test blog\">\n<link rel=\"alternate\" type=\"application/atom+xml\" "
                               "href=\"/tags/beta/feed.xml\" title=\"Tag: beta · Test blog\">\n</head>"))
        << page;
  }
  EXPECT_FALSE(FeedContains(site_.ReadFile("site/posts/p3/index.html"), "/tags/beta/feed.xml"));
  EXPECT_FALSE(FeedContains(site_.ReadFile("site/sitemap.xml"), "feed.xml"));
}

// A comment shows in no feed.
TEST_F(FeedScenarios, CommentOnAListedPostRendersNoFeed) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p5', 'Ada', 'Hello', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/", "/posts/p5/", "/tags/beta/"}));
}

// A title shows in the feeds that list the post: the site's and its tag's,
// not the feed of another tag.
TEST_F(FeedScenarios, TitleEditRendersTheFeedsListingThePostOnly) {
  site_.WritePost("p4", "Post four", "2026-01-04", {"alpha"}, "Body of post 4.\n", "summary: \"Summary of post 4.\"\n");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/feed.xml", "/page/2/", "/posts/p3/", "/posts/p4/", "/posts/p5/",
                                          "/tags/alpha/", "/tags/alpha/feed.xml"}));
  EXPECT_TRUE(FeedContains(site_.ReadFile("site/tags/alpha/feed.xml"), "<title>Post four</title>"));
}

// A beta post that the beta feed does not list (p2) renders no feed.
TEST_F(FeedScenarios, TitleEditOfAnUnlistedPostRendersNoFeed) {
  site_.WritePost("p2", "Post two", "2026-01-02", {"beta"}, "Body of post 2.\n", "summary: \"Summary of post 2.\"\n");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p1/", "/posts/p2/", "/posts/p3/", "/tags/beta/page/2/"}));
}

// Summary mode: feeds read no body.
TEST_F(FeedScenarios, BodyEditInSummaryModeRendersNoFeed) {
  WriteNumberedPost(5, "A new body.\n");
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p5/"});
}

// A new alpha post: the alpha feed lists it, the beta feed does not change.
TEST_F(FeedScenarios, AddingAPostToATagRendersThatTagsFeed) {
  site_.WritePost("p8", "Post 8", "2026-01-08", {"alpha"});
  EXPECT_EQ(site_.Build().rendered,
            (Urls{"/", "/feed.xml", "/page/2/", "/page/3/", "/posts/p7/", "/posts/p8/", "/sitemap.xml", "/tags/",
                  "/tags/alpha/", "/tags/alpha/feed.xml"}));
  EXPECT_TRUE(FeedContains(site_.ReadFile("site/tags/alpha/feed.xml"), "<id>https://blog.example/posts/p8/</id>"));
}

// A tag that no post has any more goes with its feed.
TEST_F(FeedScenarios, ATagThatDisappearsTakesItsFeed) {
  site_.WritePost("p4", "Post 4", "2026-01-04", {}, "Body of post 4.\n", "summary: \"Summary of post 4.\"\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.removed, (Urls{"tags/alpha/feed.xml", "tags/alpha/index.html"}));
  EXPECT_FALSE(site_.Exists("site/tags/alpha"));
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
}

// feed_content = "full": entries carry the rendered body; switching renders
// the feeds and nothing else, both ways.
TEST_F(FeedScenarios, SwitchingFeedContentRendersTheFeedsOnly) {
  const Urls feeds = {"/feed.xml", "/tags/alpha/feed.xml", "/tags/beta/feed.xml"};
  SetFeedContent("full");
  EXPECT_EQ(site_.Build().rendered, feeds);
  EXPECT_TRUE(FeedContains(site_.ReadFile("site/tags/alpha/feed.xml"),
                       "<summary>Summary of post 4.</summary>\n    <content type=\"html\" "
                       "xml:base=\"https://blog.example/posts/p4/\">&lt;p&gt;Body of post 4.&lt;/p&gt;\n</content>"));
  SetFeedContent("summary");
  EXPECT_EQ(site_.Build().rendered, feeds);
  EXPECT_FALSE(FeedContains(site_.ReadFile("site/feed.xml"), "<content"));
}

// Full mode: a feed depends on the bodies it lists, and on no other.
TEST_F(FeedScenarios, BodyEditInFullModeRendersTheFeedsListingThePost) {
  SetFeedContent("full");
  site_.Build();
  WriteNumberedPost(5, "A new body.\n");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/feed.xml", "/posts/p5/", "/tags/beta/feed.xml"}));
  EXPECT_TRUE(FeedContains(site_.ReadFile("site/tags/beta/feed.xml"), "&lt;p&gt;A new body.&lt;/p&gt;"));
  WriteNumberedPost(2, "Another body.\n");  // in no feed
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p2/"});
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
}

// A theme may give feeds its own look: feed.mustache renders both kinds,
// and `feed.tag` tells them apart.
TEST_F(FeedScenarios, AThemesFeedTemplateRendersEveryFeed) {
  site_.WriteFile("templates/feed.mustache",
                  "<feed>{{feed.title}}|{{#feed.tag}}{{name}} at {{url}}|{{/feed.tag}}"
                  "{{#entries}}{{title}};{{/entries}}</feed>\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/feed.xml", "/tags/alpha/feed.xml", "/tags/beta/feed.xml"}));
  EXPECT_EQ(site_.ReadFile("site/tags/beta/feed.xml"),
            "<feed>Tag: beta · Test blog|beta at https://blog.example/tags/beta/|Post 7;Post 6;Post 5;Post 3;</feed>\n");
  EXPECT_EQ(site_.ReadFile("site/feed.xml"), "<feed>Test blog|Post 7;Post 6;Post 5;Post 4;</feed>\n");
}

}  // namespace
}  // namespace kiln::testing
