// The edit path of `kiln build` (engine/build.cc, TakeEdits; issue 6: a
// build "loads, decides, renders and saves only the pages that depend on
// what changed, through a reverse index from dependency key to pages"):
// when only posts' and pages' files were edited in place, and the edits
// move no page, listing or tag, the pages decided on are those the content
// index (store/content_deps.h) lists for the edited keys. Each test says
// exactly which pages render and compares site/ with a full build; every
// change the path does not take must take the normal path.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>

#include "site_fixture.h"
#include "unit_test_util.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

class EditPath : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteOddEvenPosts(5);
    site_.WriteFile("content/about.md", "---\ntitle: About\n---\nAbout this blog.\n");
    site_.Build();
    site_.AgeInputs();
    ASSERT_NE(site_.Build().path, "no-op");
    ASSERT_EQ(site_.Build().path, "no-op");
  }

  // Moves one file's mtime an hour back: no longer racily clean (util/fs.h),
  // so a build that read it leaves a manifest that proves a no-op. (The
  // fixture's AgeInputs touches every input, kiln.toml and templates too,
  // which is no edit the edit path takes.)
  void AgeFile(const std::string& rel) {
    const auto path = site_.root() / rel;
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) - std::chrono::hours(1));
  }

  // The one number `sql` asks kiln.db for.
  int64_t Count(const std::string& sql) {
    SQLite::Database db((site_.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt64();
  }

  void ExpectEqualsFullBuild() {
    EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
  }

  TempSite site_{/*posts_per_page=*/2, /*feed_size=*/3};
};

// Past the first paragraph (the summary), a body shows on its post's page
// alone.
TEST_F(EditPath, BodyEditRendersOnlyItsPost) {
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nA second paragraph.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(report.snapshot);
  EXPECT_EQ(report.rendered, Urls{"/posts/p2/"});
  EXPECT_EQ(report.written, Urls{"posts/p2/index.html"});
  ExpectEqualsFullBuild();
}

// A title shows on its post, its neighbours' previous/next links, the
// listings and feeds that list it, and the sitemap does not change.
TEST_F(EditPath, TitleEditRendersWhereTheTitleShows) {
  site_.WritePost("p3", "Post 3 renamed", "2026-01-03", {"odd"});
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_EQ(report.rendered, (Urls{"/feed.xml", "/page/2/", "/posts/p2/", "/posts/p3/",
                                   "/posts/p4/", "/tags/odd/", "/tags/odd/feed.xml"}));
  ExpectEqualsFullBuild();
}

// The site index finds posts by views of their slugs: a post edited in
// place keeps its slug's buffer, also when the slug is too long to live
// inside the string (under ASan, a dangling view would be a failure here).
TEST_F(EditPath, PostWithALongSlugIsFoundAfterAnEdit) {
  const std::string slug = "a-post-whose-slug-is-longer-than-any-small-string";
  site_.WritePost(slug, "Long", "2026-01-06", {"even"});
  site_.Build();
  site_.WritePost(slug, "Long, renamed", "2026-01-06", {"even"}, "Body.\n\nMore.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/posts/" + slug + "/"));
  EXPECT_TRUE(
      std::count(report.rendered.begin(), report.rendered.end(), "/posts/p5/"));  // its neighbour
  ExpectEqualsFullBuild();
}

// A date that keeps the post's place: its page, the listings showing the
// date, and the sitemap (which lists it).
TEST_F(EditPath, DateEditThatKeepsTheOrderTakesTheEditPath) {
  site_.WritePost("p3", "Post 3", "2026-01-03T12:00:00Z", {"odd"});
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/sitemap.xml"));
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/posts/p3/"));
  ExpectEqualsFullBuild();
}

// The sitemap's lastmod is a post's `updated` when it has one: a body
// edit that adds or changes it renders the sitemap too; a body edit alone
// leaves it (BodyEditRendersOnlyItsPost), without working out its
// fingerprint.
TEST_F(EditPath, AnUpdatedDateRendersTheSitemap) {
  site_.WritePost("p3", "Post 3", "2026-01-03", {"odd"}, "Body.\n\nMore.\n",
                  "updated: 2026-02-01\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/sitemap.xml"));
  ExpectEqualsFullBuild();
  site_.WritePost("p3", "Post 3", "2026-01-03", {"odd"}, "Body.\n\nMore.\n",
                  "updated: 2026-02-02\n");
  report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/sitemap.xml"));
  ExpectEqualsFullBuild();
}

TEST_F(EditPath, PageBodyEditRendersOnlyThePage) {
  site_.WriteFile("content/about.md", "---\ntitle: About\n---\nAbout this blog, and more.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_EQ(report.rendered, Urls{"/about/"});
  ExpectEqualsFullBuild();
}

// A file saved again with the same bytes: nothing renders, and the new
// stats are saved, so the next build is a no-op.
TEST_F(EditPath, FileSavedUnchangedRendersNothingAndSettles) {
  site_.WriteFile("content/posts/p4.md", site_.ReadFile("content/posts/p4.md"));
  AgeFile("content/posts/p4.md");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(report.written, Urls{});
  EXPECT_EQ(site_.Build().path, "no-op");
}

// Edits that move pages, listings or tags, and changes to anything but a
// post's or page's file, take the normal path.
TEST_F(EditPath, ChangesItDoesNotTakeGoToTheNormalPath) {
  struct Case {
    const char* what;
    std::function<void(TempSite&)> edit;
  };
  const Case cases[] = {
      {"tags",
       [](TempSite& s) {
         s.WritePost("p2", "Post 2", "2026-01-02", {"even", "new"});
       }},
      {"a date that reorders",
       [](TempSite& s) { s.WritePost("p1", "Post 1", "2026-01-09", {"odd"}); }},
      {"draft",
       [](TempSite& s) {
         s.WritePost("p1", "Post 1", "2026-01-01", {"odd"}, "Body.\n", "draft: true\n");
       }},
      {"a page's title",
       [](TempSite& s) { s.WriteFile("content/about.md", "---\ntitle: Us\n---\nAbout.\n"); }},
      {"a new post", [](TempSite& s) { s.WritePost("p9", "Post 9", "2026-01-09"); }},
      {"a removed post", [](TempSite& s) { s.RemoveFile("content/posts/p2.md"); }},
      {"a template",
       [](TempSite& s) { s.WriteFile("templates/foot.mustache", "<footer>changed</footer>\n"); }},
      {"kiln.toml", [](TempSite& s) { s.WriteConfig(2, 3, "Renamed blog"); }},
  };
  for (const Case& c : cases) {
    c.edit(site_);
    BuildReport report = site_.Build();
    EXPECT_EQ(report.path, "incremental") << c.what;
    ExpectEqualsFullBuild();
    site_.AgeInputs();
    site_.Build();
    EXPECT_EQ(site_.Build().path, "no-op") << c.what;
  }
}

// A post's file edited and a page of site/ deleted by hand: the normal
// path, which restores the page.
TEST_F(EditPath, MissingOutputTakesTheNormalPath) {
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nMore.\n");
  site_.RemoveFile("site/posts/p4/index.html");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, (Urls{"/posts/p2/", "/posts/p4/"}));
  ExpectEqualsFullBuild();
}

// A state saved by a kiln without the content index (or a damaged one):
// the normal path, which makes the index whole for the next edit.
TEST_F(EditPath, MissingContentIndexIsMadeByTheNormalPath) {
  site_.Sql("DELETE FROM state_content_deps");
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nMore.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, Urls{"/posts/p2/"});
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nEven more.\n");
  report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_EQ(report.rendered, Urls{"/posts/p2/"});
  ExpectEqualsFullBuild();
}

// A state saved by a kiln that does not keep the content index (an older
// one, run in between) leaves it out of step, stale rows and all: the
// normal path, which makes it again whole; then the edit path again.
TEST_F(EditPath, IndexOutOfStepWithTheStateIsNotUsed) {
  site_.Sql("DELETE FROM state_content_deps WHERE url = '/page/2/'");  // p3 is listed there
  site_.Sql("DELETE FROM state_meta WHERE key = 'content_index_generation'");
  site_.WritePost("p3", "Post 3 renamed", "2026-01-03", {"odd"});
  AgeFile("content/posts/p3.md");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/page/2/"));
  site_.WritePost("p3", "Post 3 renamed again", "2026-01-03", {"odd"});
  AgeFile("content/posts/p3.md");
  report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/page/2/"));
  ExpectEqualsFullBuild();
}

// kiln.toml's stamp is kept with the sources. A state without it (an
// older kiln's), after a build whose walk saw a file too new to trust,
// cannot tell a kiln.toml rewritten in the tick it was read: the normal
// path, which stamps it.
TEST_F(EditPath, StateWithoutTheConfigStampAfterAnUntrustedWalkIsNotUsed) {
  ASSERT_EQ(Count("SELECT count(*) FROM state_sources WHERE path = 'kiln.toml'"), 1);
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nMore.\n");
  ASSERT_EQ(site_.Build().path, "edits");  // p2 is too new: this manifest proves no no-op
  site_.Sql("DELETE FROM state_sources WHERE path = 'kiln.toml'");
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nEven more.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, Urls{"/posts/p2/"});
  ExpectEqualsFullBuild();
  EXPECT_EQ(Count("SELECT count(*) FROM state_sources WHERE path = 'kiln.toml'"), 1);
}

// The snapshot is a cache: without it, the normal path.
TEST_F(EditPath, MissingSnapshotTakesTheNormalPath) {
  std::filesystem::remove(site_.root() / ".kiln" / "site-snapshot");
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "Body.\n\nMore.\n");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, Urls{"/posts/p2/"});
  ExpectEqualsFullBuild();
}

// A broken front matter fails the build as the normal path would, and
// loses nothing: fixed, the next build renders the post.
TEST_F(EditPath, BrokenFrontMatterFailsAsTheNormalPathWould) {
  site_.WriteFile("content/posts/p2.md", "---\ntitle: [unclosed\n---\nBody.\n");
  BuildReport report;
  const Status status = site_.TryBuild(false, &report);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.ToString().find("content/posts/p2.md"), std::string::npos) << status.ToString();
  site_.WritePost("p2", "Post 2 fixed", "2026-01-02", {"even"});
  report = site_.Build();
  EXPECT_TRUE(std::count(report.rendered.begin(), report.rendered.end(), "/posts/p2/"));
  ExpectEqualsFullBuild();
}

// Edit-path builds in a row, each compared with a full build: the sources,
// records, index, manifest and snapshot they save keep every later build
// right.
TEST_F(EditPath, EditPathBuildsInARowEqualFullBuilds) {
  for (int i = 0; i < 6; ++i) {
    const std::string n = std::to_string(i);
    const char* const files[] = {"content/posts/p4.md", "content/posts/p1.md", "content/about.md"};
    if (i % 3 == 0) site_.WritePost("p4", "Post 4 v" + n, "2026-01-04", {"even"});
    if (i % 3 == 1) site_.WritePost("p1", "Post 1", "2026-01-01", {"odd"}, "Body " + n + ".\n");
    if (i % 3 == 2)
      site_.WriteFile("content/about.md", "---\ntitle: About\n---\nVersion " + n + ".\n");
    AgeFile(files[i % 3]);
    EXPECT_EQ(site_.Build().path, "edits") << i;
    ExpectEqualsFullBuild();
    EXPECT_EQ(site_.Build().path, "no-op") << i;
  }
}

}  // namespace
}  // namespace kiln::testing
