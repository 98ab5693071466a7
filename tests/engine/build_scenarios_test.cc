// SPEC.md invariant 2, "Minimal", and invariant 4, "Cheap to verify": each
// scenario applies one edit and asserts exactly which pages were rendered,
// as hugo's rebuild tests assert render counts.
//
// The fixture: seven posts p1..p7 dated 1..7 January, three a page, so the
// home page lists p7 p6 p5, /page/2/ p4 p3 p2, /page/3/ p1; the feed lists
// p7..p4. p4 is tagged alpha; p1 has no tags; the other five are beta, so
// /tags/beta/ lists p7 p6 p5 and /tags/beta/page/2/ p3 p2, and the beta
// feed p7 p6 p5 p3 (tests/engine/feed_scenarios_test.cc covers the feeds).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

// Every page of the fixture, as a full build renders them.
const Urls kAllPages = {"/",           "/404.html",   "/feed.xml",   "/page/2/",    "/page/3/",
                        "/posts/p1/",  "/posts/p2/",  "/posts/p3/",  "/posts/p4/",  "/posts/p5/",
                        "/posts/p6/",  "/posts/p7/",  "/robots.txt", "/sitemap.xml", "/tags/",
                        "/tags/alpha/", "/tags/alpha/feed.xml", "/tags/beta/", "/tags/beta/feed.xml",
                        "/tags/beta/page/2/"};

class BuildScenarios : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 1; i <= 7; ++i) {
      std::vector<std::string> tags;
      if (i == 4) tags = {"alpha"};
      else if (i != 1) tags = {"beta"};
      site_.WritePost("p" + std::to_string(i), "Post " + std::to_string(i),
                      "2026-01-0" + std::to_string(i), tags, "Body of post " + std::to_string(i) + ".\n");
    }
    BuildReport first = site_.Build();
    ASSERT_TRUE(first.full);
    ASSERT_EQ(first.pages, 20u);  // 3 home, 7 posts, tags + alpha + 2 pages of beta, 3 feeds, sitemap, 404, robots.txt
  }

  TempSite site_{/*posts_per_page=*/3, /*feed_size=*/4};
};

TEST_F(BuildScenarios, NoOpBuildRendersNothingAndWritesNothing) {
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(report.written, Urls{});
  EXPECT_EQ(report.removed, Urls{});
  EXPECT_EQ(report.unchanged, 20u);
}

// The files a build replaces or removes are retired to .kiln/tmp and
// deleted by the time the build is over; leftovers of a process killed
// before deleting them are deleted by the next build that loads the site.
TEST_F(BuildScenarios, OldFilesAreDeletedByTheEndOfTheBuild) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().written, (Urls{"page/3/index.html", "posts/p1/index.html"}));
  EXPECT_TRUE(std::filesystem::is_empty(site_.root() / ".kiln/tmp"));
  site_.WriteFile(".kiln/tmp/posts%p1%index.html.4242.7.kiln-tmp", "an old page a killed server left");
  site_.RemoveFile("content/posts/p2.md");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.removed, (Urls{"page/3/index.html", "posts/p2/index.html"}));  // six posts: two home pages
  EXPECT_FALSE(site_.Exists("site/posts/p2"));
  EXPECT_TRUE(std::filesystem::is_empty(site_.root() / ".kiln/tmp"));
}

// A comment on a post that the home page does not list: its own page and
// the one listing that shows its comment count, nothing else.
TEST_F(BuildScenarios, CommentOnOldPostRendersItsPageAndItsListingOnly) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'Nice *post*', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/"}));
  EXPECT_NE(site_.ReadFile("site/posts/p1/index.html").find("Nice <em>post</em>"), std::string::npos);
}

TEST_F(BuildScenarios, CommentOnTaggedPostAlsoRendersItsTagPage) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p4', 'Ada', 'Hello', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p4/", "/tags/alpha/"}));
}

// A held comment shows nowhere, so nothing renders until it is approved.
TEST_F(BuildScenarios, PendingCommentRendersNothingUntilApproved) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at, status) "
            "VALUES ('p1', 'Bob', 'Spam?', '2026-11-26T10:00:00Z', 'pending')");
  EXPECT_EQ(site_.Build().rendered, Urls{});
  site_.Sql("UPDATE comments SET status = 'published' WHERE author = 'Bob'");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/3/", "/posts/p1/"}));
}

// "the latest modify date alone misses a deleted or unpublished older comment"
TEST_F(BuildScenarios, DeletingAnOlderCommentRendersThePostAgain) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES "
            "('p1', 'A', 'first', '2026-11-01T10:00:00Z'), ('p1', 'B', 'second', '2026-11-02T10:00:00Z')");
  site_.Build();
  site_.Sql("DELETE FROM comments WHERE author = 'A'");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/3/", "/posts/p1/"}));
  EXPECT_EQ(site_.ReadFile("site/posts/p1/index.html").find("first"), std::string::npos);
}

// INSERT OR REPLACE deletes the replaced row without firing delete
// triggers; the comment it moves must still leave its old post.
TEST_F(BuildScenarios, InsertOrReplaceMovingACommentRendersBothPosts) {
  site_.Sql("INSERT INTO comments(id, post, author, body, created_at) VALUES (7, 'p1', 'A', 'x', '2026-11-01T10:00:00Z')");
  site_.Build();
  site_.Sql("INSERT OR REPLACE INTO comments(id, post, author, body, created_at) VALUES (7, 'p2', 'A', 'x', '2026-11-01T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/page/3/", "/posts/p1/", "/posts/p2/", "/tags/beta/page/2/"}));
  EXPECT_EQ(site_.ReadFile("site/posts/p1/index.html").find("comment-7"), std::string::npos);
}

// A path that changes between page folder and static file.
TEST_F(BuildScenarios, StaticFileMayTakeThePathOfARemovedPage) {
  site_.WriteFile("content/about.md", "---\ntitle: About\n---\nHi\n");
  site_.Build();
  site_.RemoveFile("content/about.md");
  site_.WriteFile("static/about", "plain file now");
  BuildReport report = site_.Build();
  // Every HTML page links the standalone pages: all of them render but the
  // feeds and robots.txt.
  EXPECT_EQ(report.rendered,
            (Urls{"/", "/404.html", "/page/2/", "/page/3/", "/posts/p1/", "/posts/p2/", "/posts/p3/",
                  "/posts/p4/", "/posts/p5/", "/posts/p6/", "/posts/p7/", "/sitemap.xml", "/tags/",
                  "/tags/alpha/", "/tags/beta/", "/tags/beta/page/2/"}));
  EXPECT_EQ(site_.ReadFile("site/about"), "plain file now");
  EXPECT_EQ(report.removed, Urls{"about/index.html"});
}

// An edit that changes nothing a reader sees (the email) renders nothing.
TEST_F(BuildScenarios, EditingAnUnshownCommentFieldRendersNothing) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p2', 'A', 'x', '2026-11-01T10:00:00Z')");
  site_.Build();
  site_.Sql("UPDATE comments SET email = 'a@example.org'");
  EXPECT_EQ(site_.Build().rendered, Urls{});
}

// Dependencies are recorded when the template reads a value: with a theme
// whose listings show titles only, a comment re-renders the post alone.
TEST_F(BuildScenarios, CommentRendersOnlyThePostWhenNoListingShowsCounts) {
  const char* titles_only = "{{#posts}}<a href=\"{{url}}\">{{title}}</a>\n{{/posts}}";
  site_.WriteFile("templates/index.mustache", titles_only);
  site_.WriteFile("templates/tag.mustache", titles_only);
  site_.Build();
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p4', 'Ada', 'Hello', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p4/"});
}

// docs/templates.md: `comments` and `comment_threads` carry the same items.
// Each list is made only when the template reads it (render/lazy_fields.h):
// a theme that shows only the flat list, or both, shows every comment, and
// a comment re-renders the post all the same.
TEST_F(BuildScenarios, ThemesReadingTheFlatCommentListOrBothShowEveryComment) {
  site_.Sql(
      "INSERT INTO comments(id, post, author, body, created_at) "
      "VALUES (1, 'p3', 'Ada', 'First', '2026-11-01T10:00:00Z')");
  site_.Sql(
      "INSERT INTO comments(id, post, author, body, created_at, parent) "
      "VALUES (2, 'p3', 'Bob', 'Reply', '2026-11-02T10:00:00Z', 1)");
  site_.WriteFile("templates/post.mustache",
                  "flat:{{#comments}}[{{id}} {{author}} {{depth}} {{{body_html}}}]{{/comments}}\n");
  site_.Build();
  EXPECT_EQ(site_.ReadFile("site/posts/p3/index.html"),
            "flat:[1 Ada 1 <p>First</p>\n][2 Bob 2 <p>Reply</p>\n]\n");
  site_.WriteFile("templates/post.mustache",
                  "flat:{{#comments}}{{id}}{{/comments}} threads:{{#comment_threads}}{{id}}"
                  "({{#replies}}{{id}}{{/replies}}){{/comment_threads}} "
                  "again:{{#comments}}{{id}}{{/comments}}\n");
  site_.Build();
  EXPECT_EQ(site_.ReadFile("site/posts/p3/index.html"), "flat:12 threads:1(2) again:12\n");
  site_.Sql(
      "INSERT INTO comments(id, post, author, body, created_at) "
      "VALUES (3, 'p3', 'Cy', 'Third', '2026-11-03T10:00:00Z')");
  const BuildReport report = site_.Build();
  EXPECT_NE(std::find(report.rendered.begin(), report.rendered.end(), "/posts/p3/"),
            report.rendered.end());
  EXPECT_EQ(site_.ReadFile("site/posts/p3/index.html"), "flat:123 threads:1(2)3() again:123\n");
}

// From kScanAllCommentsFrom posts to re-read, a build reads every comment in
// one scan that keeps only the fields a page shows (CommentStore::
// ReadAllShown); fewer are read post by post, every field. Both give a post
// page the same bytes, replies included.
TEST(CommentReadPaths, OneScanAndAQueryAPostRenderTheSamePages) {
  TempSite site(/*posts_per_page=*/5, /*feed_size=*/5);
  constexpr int kPosts = 70;  // more than kScanAllCommentsFrom
  for (int i = 1; i <= kPosts; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-%02d-%02d", 1 + i / 28, 1 + i % 28);
    site.WritePost("c" + std::to_string(i), "Post " + std::to_string(i), date, {"t"});
  }
  site.AgeInputs();  // trusted stats: a comment alone then takes the comment path
  site.Build();      // makes kiln.db
  for (int i = 1; i <= kPosts; ++i) {
    const std::string id = std::to_string(i * 10);
    site.Sql("INSERT INTO comments(id, post, author, email, body, created_at) VALUES (" + id +
             ", 'c" + std::to_string(i) + "', 'Ada', 'ada@example.org', 'First *of* " + id +
             "', '2026-11-01T10:00:00Z')");
    site.Sql("INSERT INTO comments(id, post, author, body, created_at, parent) VALUES (" + id +
             " + 1, 'c" + std::to_string(i) + "', 'Bob', 'A reply', '2026-11-02T10:00:00Z', " + id +
             ")");
  }
  const BuildReport full = site.Build(/*full=*/true);
  ASSERT_EQ(full.rendered.size(), full.pages);
  for (const int i : {1, 35, 70}) {
    const std::string page = "site/posts/c" + std::to_string(i) + "/index.html";
    const std::string scanned = site.ReadFile(page);
    ASSERT_NE(scanned.find("A reply"), std::string::npos);
    site.Sql("INSERT INTO comments(id, post, author, body, created_at) VALUES (9999, 'c" +
             std::to_string(i) + "', 'Cy', 'Passing by', '2026-11-03T10:00:00Z')");
    site.Build();
    site.Sql("DELETE FROM comments WHERE id = 9999");
    const BuildReport one = site.Build();
    EXPECT_EQ(one.path, "comments");
    EXPECT_NE(
        std::find(one.rendered.begin(), one.rendered.end(), "/posts/c" + std::to_string(i) + "/"),
        one.rendered.end());
    EXPECT_EQ(site.ReadFile(page), scanned) << page;
  }
}

// The theme reads the summary, not the body, on listings and in the feed.
TEST_F(BuildScenarios, BodyEditKeepingTitleDateTagsSummaryRendersThatPostOnly) {
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "A different body.\n", "summary: \"Body of post 4.\"\n");
  // The summary was derived from the old body; pin it so only the body changes.
  BuildReport pin = site_.Build();
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "Yet another body.\n", "summary: \"Body of post 4.\"\n");
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p4/"});
  EXPECT_NE(site_.ReadFile("site/posts/p4/index.html").find("Yet another body."), std::string::npos);
}

// A title shows on the post, its neighbours' prev/next links, its listing
// page, its tag page, the feed and its tag's feed; not on other posts, tags
// or the sitemap.
TEST_F(BuildScenarios, TitleEditRendersEveryPageShowingTheTitle) {
  site_.WritePost("p4", "Post four", "2026-01-04", {"alpha"}, "Body of post 4.\n");
  EXPECT_EQ(site_.Build().rendered,
            (Urls{"/feed.xml", "/page/2/", "/posts/p3/", "/posts/p4/", "/posts/p5/", "/tags/alpha/",
                  "/tags/alpha/feed.xml"}));
}

TEST_F(BuildScenarios, RenameRemovesTheOldPage) {
  std::string text = site_.ReadFile("content/posts/p1.md");
  site_.RemoveFile("content/posts/p1.md");
  site_.WriteFile("content/posts/first.md", text);
  BuildReport report = site_.Build();
  EXPECT_EQ(report.removed, Urls{"posts/p1/index.html"});
  EXPECT_FALSE(site_.Exists("site/posts/p1"));
  EXPECT_TRUE(site_.Exists("site/posts/first/index.html"));
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/first/", "/posts/p2/", "/sitemap.xml"}));
}

TEST_F(BuildScenarios, DraftingAPostRemovesItAndReflowsListings) {
  site_.WritePost("p1", "Post 1", "2026-01-01", {}, "Body of post 1.\n", "draft: true\n");
  BuildReport report = site_.Build();
  // The home page counts pages, /page/2/ loses its next link, p2 its
  // previous post; the feed (p7..p4) and the tag pages (p1 has no tag) stay.
  EXPECT_EQ(report.rendered, (Urls{"/", "/page/2/", "/posts/p2/", "/sitemap.xml"}));
  EXPECT_EQ(report.removed, (Urls{"page/3/index.html", "posts/p1/index.html"}));
  EXPECT_EQ(report.pages, 18u);
}

TEST_F(BuildScenarios, FuturePostAppearsWhenItsDateArrives) {
  site_.WritePost("p8", "Post 8", "2026-12-01", {"beta"}, "Later.\n");
  EXPECT_EQ(site_.Build().rendered, Urls{});  // "now" is 26 November 2026
  site_.clock().Set(site_.clock().NowSeconds() + 10 * 86400);
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/", "/feed.xml", "/page/2/", "/page/3/", "/posts/p7/", "/posts/p8/",
                                   "/sitemap.xml", "/tags/", "/tags/beta/", "/tags/beta/feed.xml",
                                   "/tags/beta/page/2/"}));
  EXPECT_TRUE(site_.Exists("site/posts/p8/index.html"));
  EXPECT_EQ(report.pages, 21u);
}

TEST_F(BuildScenarios, PostTemplateEditRendersEveryPostAndNothingElse) {
  site_.WriteFile("templates/post.mustache", site_.ReadFile("templates/post.mustache") + "<!-- v2 -->\n");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/posts/p1/", "/posts/p2/", "/posts/p3/", "/posts/p4/",
                                          "/posts/p5/", "/posts/p6/", "/posts/p7/"}));
}

TEST_F(BuildScenarios, StaticEditWritesThatFileAndRendersNoPage) {
  site_.WriteFile("static/style.css", "body { color: red }\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(report.written, Urls{"style.css"});
}

// Issue 8: a code block is highlighted while its post renders, and its
// colours live in the theme's CSS, so restyling code renders no page.
TEST_F(BuildScenarios, HighlightedCodeRendersItsPostOnlyAndRestylingRendersNothing) {
  const std::string summary = "summary: \"Body of post 4.\"\n";
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "Text.\n", summary);
  site_.Build();
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "Text.\n\n```python\ndef f(): pass\n```\n", summary);
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p4/"});
  EXPECT_NE(site_.ReadFile("site/posts/p4/index.html").find("<span class=\"hl-keyword\">def</span>"),
            std::string::npos);
  site_.WriteFile("static/style.css", site_.ReadFile("static/style.css") + ".hl-keyword { color: red; }\n");
  BuildReport restyle = site_.Build();
  EXPECT_EQ(restyle.rendered, Urls{});
  EXPECT_EQ(restyle.written, Urls{"style.css"});
}

TEST_F(BuildScenarios, ExplainNamesTheChangedDependency) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p1', 'A', 'x', '2026-11-01T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/"}));
  ASSERT_EQ(report.explanations.size(), 2u);
  EXPECT_EQ(report.explanations[1], "/posts/p1/: changed: comments of post 'p1'; comment count of post 'p1'");
}

// "Errors name the file and line and leave site/ as it was."
TEST_F(BuildScenarios, BadFrontMatterFailsNamingFileAndLineAndLeavesSiteAlone) {
  auto before = site_.SiteFiles();
  site_.WriteFile("content/posts/p2.md", "---\ntitle: Post 2\ndate: yesterday\n---\nBody\n");
  BuildReport report;
  Status s = site_.TryBuild(false, &report);
  EXPECT_EQ(s.ToString(), "content/posts/p2.md:3: 'date' is not a date (YYYY-MM-DD or ISO 8601): 'yesterday'");
  EXPECT_EQ(site_.SiteFiles(), before);
}

TEST_F(BuildScenarios, MissingPartialFailsBeforeAnyWriteAndRecoversWhenFixed) {
  auto before = site_.SiteFiles();
  std::string post = site_.ReadFile("templates/post.mustache");
  site_.WriteFile("templates/post.mustache", post + "{{> no_such_partial}}\n");
  site_.WriteFile("templates/index.mustache", site_.ReadFile("templates/index.mustache") + "<!-- x -->\n");
  BuildReport report;
  Status s = site_.TryBuild(false, &report);
  EXPECT_EQ(s.ToString(), "templates/post.mustache: missing partial 'no_such_partial' (expected templates/no_such_partial.mustache)");
  EXPECT_EQ(site_.SiteFiles(), before);  // the index pages rendered fine, but nothing was written
  site_.WriteFile("templates/post.mustache", post);
  EXPECT_EQ(site_.Build().rendered, (Urls{"/", "/page/2/", "/page/3/"}));
}

// "The build state is a cache": corrupt it and the build says so and
// renders everything; the comments survive.
TEST_F(BuildScenarios, CorruptStateMeansFullBuildAndKeepsComments) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p1', 'A', 'kept', '2026-11-01T10:00:00Z')");
  site_.Build();
  site_.Sql("UPDATE state_pages SET deps = 'garbage' WHERE url = '/'");
  BuildReport report = site_.Build();
  EXPECT_TRUE(report.full);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_EQ(report.notes[0], "build state is corrupt (page /): full build");
  EXPECT_EQ(report.rendered, kAllPages);
  EXPECT_EQ(report.written, Urls{});  // same bytes as before
  EXPECT_NE(site_.ReadFile("site/posts/p1/index.html").find("kept"), std::string::npos);
  EXPECT_TRUE(site_.Build().rendered.empty());
}

TEST_F(BuildScenarios, DeletedOutputFileIsRepaired) {
  site_.RemoveFile("site/posts/p3/index.html");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, Urls{"/posts/p3/"});
  EXPECT_EQ(report.explanations, Urls{"/posts/p3/: output file missing"});
}

// A build's first step checks that every output of the last build exists,
// and only when one is missing are the pages stat'ed again one by one
// (engine/build.cc, DecideDirty): a page deleted by hand is repaired all
// the same when an edit comes with it, and the next edit renders its post
// alone.
TEST_F(BuildScenarios, DeletedOutputFileIsRepairedBesideAnEdit) {
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "A different body.\n",
                  "summary: \"Body of post 4.\"\n");
  site_.Build();
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "Yet another body.\n",
                  "summary: \"Body of post 4.\"\n");
  site_.RemoveFile("site/posts/p3/index.html");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.rendered, (Urls{"/posts/p3/", "/posts/p4/"}));
  EXPECT_TRUE(site_.Exists("site/posts/p3/index.html"));
  site_.WritePost("p4", "Post 4", "2026-01-04", {"alpha"}, "A third body.\n",
                  "summary: \"Body of post 4.\"\n");
  EXPECT_EQ(site_.Build().rendered, Urls{"/posts/p4/"});
}

TEST_F(BuildScenarios, FullBuildRemovesFilesThatAreNotOutputs) {
  site_.WriteFile("site/stray.html", "left over");
  BuildReport report = site_.Build(/*full=*/true);
  EXPECT_EQ(report.rendered, kAllPages);
  EXPECT_EQ(report.removed, Urls{"stray.html"});
  EXPECT_EQ(report.written, Urls{});
}

// `--full` loads only a digest of each stored record (LoadDetail::kForSave)
// and rewrites the records that changed: the records it saves must be as
// good as any build's, so the next builds stay minimal.
TEST_F(BuildScenarios, FullBuildSavesRecordsTheNextBuildsDecideBy) {
  site_.WritePost("p2", "Post two", "2026-01-02", {"beta"}, "Body of post 2.\n");  // a new title
  EXPECT_EQ(site_.Build(/*full=*/true).rendered, kAllPages);
  EXPECT_EQ(site_.Build().rendered, Urls{});
  site_.Sql(
      "INSERT INTO comments(post, author, body, created_at) "
      "VALUES ('p3', 'Ada', 'Hello', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p3/", "/tags/beta/page/2/"}));
  site_.WritePost("p2", "Post 2", "2026-01-02", {"beta"}, "Body of post 2.\n");
  EXPECT_EQ(site_.Build().rendered,
            (Urls{"/page/2/", "/posts/p1/", "/posts/p2/", "/posts/p3/", "/tags/beta/page/2/"}));
}

// Tag pages are paginated like the home page (SPEC.md, Output; issue 6,
// item 3): a comment renders the one tag page that lists the post.
TEST_F(BuildScenarios, CommentRendersOnlyTheTagPageListingThePost) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p3', 'Ada', 'Hello', '2026-11-26T10:00:00Z')");
  EXPECT_EQ(site_.Build().rendered, (Urls{"/page/2/", "/posts/p3/", "/tags/beta/page/2/"}));
  const std::string second = site_.ReadFile("site/tags/beta/page/2/index.html");
  EXPECT_NE(second.find("/posts/p3/"), std::string::npos);
  EXPECT_EQ(second.find("/posts/p7/"), std::string::npos);
  EXPECT_NE(second.find("href=\"/tags/beta/\" rel=\"prev\""), std::string::npos) << second;
  EXPECT_NE(site_.ReadFile("site/tags/beta/index.html").find("href=\"/tags/beta/page/2/\" rel=\"next\""),
            std::string::npos);
}

// A new beta post shifts the beta listing: both its pages render, and a tag
// page that empties is removed.
TEST_F(BuildScenarios, TagPagesReflowAndShrink) {
  site_.WritePost("p8", "Post 8", "2026-01-08", {"beta"});
  BuildReport added = site_.Build();
  EXPECT_EQ(added.rendered, (Urls{"/", "/feed.xml", "/page/2/", "/page/3/", "/posts/p7/", "/posts/p8/",
                                  "/sitemap.xml", "/tags/", "/tags/beta/", "/tags/beta/feed.xml",
                                  "/tags/beta/page/2/"}));
  for (const char* p : {"p8", "p3", "p2"}) site_.RemoveFile(std::string("content/posts/") + p + ".md");
  BuildReport removed = site_.Build();
  EXPECT_EQ(removed.rendered, (Urls{"/", "/feed.xml", "/page/2/", "/posts/p1/", "/posts/p4/", "/posts/p7/",
                                    "/sitemap.xml", "/tags/", "/tags/beta/", "/tags/beta/feed.xml"}));
  EXPECT_NE(std::find(removed.removed.begin(), removed.removed.end(), "tags/beta/page/2/index.html"),
            removed.removed.end());
  EXPECT_FALSE(site_.Exists("site/tags/beta/page/2/index.html"));
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
}

}  // namespace
}  // namespace kiln::testing

namespace kiln::testing {
namespace {

// kiln.toml [markdown] highlight: every post and page shows its body through
// it, so turning it off renders them all, and only them; the blocks then
// stay cmark's plain ones, as a build from scratch makes them.
TEST(HighlightSwitch, TurningItOffRendersEveryPostAndPageAndNothingElse) {
  TempSite site(/*posts_per_page=*/3, /*feed_size=*/4);
  site.WritePost("code", "Code", "2026-01-01", {}, "```cpp\nint x = 1;  // one\n```\n");
  site.WritePost("prose", "Prose", "2026-01-02", {}, "No code here.\n");
  site.WriteFile("content/about.md", "---\ntitle: About\n---\n```python\nprint(1)\n```\n");
  site.Build();
  EXPECT_NE(site.ReadFile("site/posts/code/index.html").find("<span class=\"hl-"), std::string::npos);
  EXPECT_NE(site.ReadFile("site/about/index.html").find("<span class=\"hl-"), std::string::npos);
  site.WriteFile("kiln.toml", site.ReadFile("kiln.toml") + "\n[markdown]\nhighlight = false\n");
  site.AgeInputs();
  BuildReport report = site.Build();
  EXPECT_EQ(report.rendered, (Urls{"/about/", "/posts/code/", "/posts/prose/"}));
  const std::string post = site.ReadFile("site/posts/code/index.html");
  EXPECT_EQ(post.find("<span class=\"hl-"), std::string::npos);
  EXPECT_NE(post.find("<pre><code class=\"language-cpp\">int x = 1;  // one\n</code></pre>"), std::string::npos);
  EXPECT_EQ(site.ReadFile("site/about/index.html").find("<span class=\"hl-"), std::string::npos);
  EXPECT_EQ(DescribeDifferences(site.SiteFiles(), site.FullBuildFromScratch()), "");
}

// A build of many pages writes each as it is rendered (README, "Render");
// KILN_TEST_STREAMED_WRITE_AT=1 makes this small site take that path. A
// template that fails then stops the build with what was written kept (the
// listing pages here), as a crash would: the state stays the old one,
// marked "writing", and once the template is fixed the next build leaves
// site/ equal to a full build.
TEST_F(BuildScenarios, FailedBuildWritingAsItRendersIsRepairedByTheNext) {
  ::setenv("KILN_TEST_STREAMED_WRITE_AT", "1", 1);
  const std::string post_template = site_.ReadFile("templates/post.mustache");
  const std::string index_template = site_.ReadFile("templates/index.mustache");
  site_.WriteFile("templates/index.mustache", index_template + "<!-- v2 -->\n");
  site_.WriteFile("templates/post.mustache", post_template + "{{#unclosed}}\n");
  BuildReport failed;
  const Status status = site_.TryBuild(false, &failed);
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.ToString().find("post.mustache"), std::string::npos) << status.ToString();
  EXPECT_NE(site_.ReadFile("site/index.html").find("<!-- v2 -->"), std::string::npos)
      << "the listing page rendered before the failure is written";

  site_.WriteFile("templates/post.mustache", post_template);
  const auto expected = site_.FullBuildFromScratch();
  BuildReport repaired = site_.Build();
  ::unsetenv("KILN_TEST_STREAMED_WRITE_AT");
  EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), expected), "");
  EXPECT_EQ(site_.Build().rendered, Urls{});
}

}  // namespace
}  // namespace kiln::testing
