// The resident engine (engine/resident_state.h): `kiln serve` passes one
// ResidentState to every build, and a build whose files the caller vouches
// for takes everything from memory. Each test checks which path a build
// took (report.resident, report.path), exactly which pages it rendered, and
// that site/ equals a full build from scratch; and that a build without the
// resident state (another process, `kiln build`) agrees with what the
// resident builds saved.
#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "engine/resident_state.h"
#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

class ResidentEngine : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteOddEvenPosts(5);
    site_.Build();
    site_.AgeInputs();
    site_.Build();
    // The server's first build: nothing changed, but it loads everything.
    BuildReport first = BuildResident(/*files_unchanged=*/false);
    ASSERT_FALSE(first.resident);
    ASSERT_EQ(first.rendered, Urls{});
    ASSERT_FALSE(resident_.empty());
  }

  BuildReport BuildResident(bool files_unchanged) {
    BuildReport report;
    Status s = TryBuildResident(files_unchanged, &report);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return report;
  }

  Status TryBuildResident(bool files_unchanged, BuildReport* report) {
    BuildOptions options;
    options.site_root = site_.root();
    options.explain = true;
    options.clock = &site_.clock();
    options.resident = &resident_;
    options.files_unchanged = files_unchanged;
    options.report_post_links = true;  // as the server asks
    return RunBuild(options, report);
  }

  void ExpectEqualsFullBuild() {
    EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
  }

  // Moves one file's mtime an hour back: no longer racily clean (util/fs.h),
  // so the build that reads it leaves a state that proves the next a no-op.
  void AgeFile(const std::string& rel) {
    const auto path = site_.root() / rel;
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) - std::chrono::hours(1));
  }

  void AddComment(const std::string& post, const std::string& body) {
    site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('" + post + "', 'Ada', '" +
              body + "', '2026-11-26T10:00:00Z')");
  }

  TempSite site_{/*posts_per_page=*/2, /*feed_size=*/3};
  ResidentState resident_;
};

TEST_F(ResidentEngine, CommentRendersItsPagesFromMemory) {
  AddComment("p1", "Hi");
  BuildReport report = BuildResident(true);
  EXPECT_TRUE(report.resident);
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
  EXPECT_EQ(report.pages, 18u);
  EXPECT_EQ(report.unchanged, 15u);
  EXPECT_TRUE(report.published_posts_unchanged);
  EXPECT_EQ(report.post_links, (std::map<std::string, std::string>{{"p1", "/posts/p1/"}}));
  EXPECT_NE(resident_.templates, nullptr);  // compiled once, kept for the next build
  // Its three pages rendered on two threads where there are two cores.
  EXPECT_GE(resident_.worker_templates.size(),
            std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()), 2) - 1);
  ExpectEqualsFullBuild();
  // What it saved is what a `kiln build` beside it finds: nothing to do.
  EXPECT_EQ(site_.Build().path, "no-op");
  // `kiln build` asks for no links: a full build of a large site would make
  // one for every post.
  const BuildReport full = site_.Build(/*full=*/true);
  EXPECT_TRUE(full.post_links.empty());
  EXPECT_FALSE(full.published_posts.empty());
}

// A resident batch of two pages or more renders on every core, each thread
// with its own compiled template set; the resident state keeps them all, and an
// edited template replaces them (a stale set would render the old
// template on some pages only, which the comparison would show).
TEST_F(ResidentEngine, TheRenderThreadsTemplatesAreKeptUntilATemplateChanges) {
  for (int i = 6; i <= 40; ++i) {
    char date[16];
    std::snprintf(date, sizeof date, "2026-%02d-%02d", 1 + (i - 1) / 28, 1 + (i - 1) % 28);
    site_.WritePost("p" + std::to_string(i), "Post " + std::to_string(i), date,
                    {i % 2 ? "odd" : "even"});
  }
  site_.AgeInputs();
  BuildReport loaded = BuildResident(/*files_unchanged=*/false);
  ASSERT_GE(loaded.rendered.size(), 17u);
  for (int i = 1; i <= 30; ++i) AddComment("p" + std::to_string(i), "Hi");
  BuildReport batch = BuildResident(true);
  EXPECT_TRUE(batch.resident);
  EXPECT_GE(batch.rendered.size(), 17u);
  const size_t threads = std::min<size_t>(std::max(1u, std::thread::hardware_concurrency()),
                                          (batch.rendered.size() + 1) / 2);
  // At least this batch's other threads (the larger first build may have
  // used more on a machine of more cores).
  EXPECT_GE(resident_.worker_templates.size(), threads - 1);
  ExpectEqualsFullBuild();

  site_.WriteFile("templates/foot.mustache", "</main><footer>edited foot</footer></body></html>\n");
  site_.AgeInputs();
  BuildReport edited = BuildResident(/*files_unchanged=*/false);
  EXPECT_FALSE(edited.resident);
  ExpectEqualsFullBuild();
  for (int i = 1; i <= 30; ++i) AddComment("p" + std::to_string(i), "Again");
  EXPECT_TRUE(BuildResident(true).resident);
  ExpectEqualsFullBuild();
  EXPECT_NE(site_.SiteFiles().at("posts/p7/index.html").find("edited foot"), std::string::npos);
}

TEST_F(ResidentEngine, NothingChangedIsANoOpFromMemory) {
  BuildReport report = BuildResident(true);
  EXPECT_TRUE(report.resident);
  EXPECT_EQ(report.path, "no-op");
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_FALSE(resident_.empty());  // kept for the next build
  AddComment("p2", "Later");
  EXPECT_TRUE(BuildResident(true).resident);
}

TEST_F(ResidentEngine, CommentChangesInARowEqualFullBuilds) {
  const char* const kSteps[] = {
      "INSERT INTO comments(post, author, body, created_at) VALUES ('p2', 'A', 'one', '2026-11-26T10:00:00Z')",
      "UPDATE comments SET body = 'one, edited' WHERE body = 'one'",
      "INSERT INTO comments(post, author, body, created_at, status) VALUES ('p4', 'B', 'held', '2026-11-26T10:01:00Z', 'pending')",
      "UPDATE comments SET status = 'published' WHERE body = 'held'",
      "UPDATE comments SET post = 'p5' WHERE body = 'held'",
      "DELETE FROM comments WHERE body = 'one, edited'",
  };
  for (const char* sql : kSteps) {
    site_.Sql(sql);
    BuildReport report = BuildResident(true);
    EXPECT_TRUE(report.resident) << sql;
    ExpectEqualsFullBuild();
    EXPECT_EQ(BuildResident(true).path, "no-op") << sql;
  }
  EXPECT_EQ(site_.Build().path, "no-op");
}

// A pending comment changes no page; its approval does.
TEST_F(ResidentEngine, PendingCommentRendersNothingUntilApproved) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at, status) "
            "VALUES ('p3', 'B', 'held', '2026-11-26T10:01:00Z', 'pending')");
  BuildReport held = BuildResident(true);
  EXPECT_TRUE(held.resident);
  EXPECT_EQ(held.rendered, Urls{});
  site_.Sql("UPDATE comments SET status = 'published'");
  BuildReport shown = BuildResident(true);
  EXPECT_EQ(shown.rendered, (Urls{"/page/2/", "/posts/p3/", "/tags/odd/"}));
  ExpectEqualsFullBuild();
}

// `kiln build` run beside the server saves another state: the resident one
// is stale and is not used; the build takes the normal path and refills it.
TEST_F(ResidentEngine, ABuildByAnotherProcessIsNoticed) {
  site_.WritePost("p2", "Post 2, retitled", "2026-01-02", {"even"});
  site_.Build();  // the other process, which sees the edit
  AddComment("p2", "Hi");
  BuildReport report = BuildResident(true);
  EXPECT_FALSE(report.resident);
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p2/", "/tags/even/"}));
  ExpectEqualsFullBuild();
  AddComment("p2", "Again");
  EXPECT_TRUE(BuildResident(true).resident);
  ExpectEqualsFullBuild();
}

// Without the caller's word that files are unchanged, files are looked at:
// the inputs are walked, as `kiln build` walks them. Posts' and pages'
// files edited in place are found so and take the edit path from memory;
// `kiln build` beside the server then agrees with what was saved.
TEST_F(ResidentEngine, FileEditsAreFoundByTheWalkAndTakeTheEditPathFromMemory) {
  site_.WritePost("p4", "Post 4, retitled", "2026-01-04", {"even"});
  AgeFile("content/posts/p4.md");
  BuildReport report = BuildResident(false);
  EXPECT_TRUE(report.resident);
  EXPECT_FALSE(report.snapshot);
  EXPECT_EQ(report.path, "edits");
  // The post, its neighbours' links, the listing and tag pages that show
  // it, and the feeds; not the sitemap, which shows no title.
  EXPECT_EQ(report.rendered, (Urls{"/", "/feed.xml", "/posts/p3/", "/posts/p4/", "/posts/p5/",
                                   "/tags/even/", "/tags/even/feed.xml"}));
  EXPECT_TRUE(report.published_posts_unchanged);
  ExpectEqualsFullBuild();
  EXPECT_EQ(site_.Build().path, "no-op");
  AddComment("p4", "Hi");
  EXPECT_TRUE(BuildResident(true).resident);
  ExpectEqualsFullBuild();
}

// The resident state keeps the stats the edits were read with: each edit
// in a row takes the edit path again (with stale stats, the walk's digest
// would not match the saved manifest's, and every build after the first
// would load the site again), comments between them too.
TEST_F(ResidentEngine, FileEditsInARowFromMemoryEqualFullBuilds) {
  for (int round = 1; round <= 4; ++round) {
    SCOPED_TRACE(round);
    // The first paragraph is the summary the listings show: kept.
    site_.WritePost("p2", "Post 2", "2026-01-02", {"even"},
                    "Body.\n\nRound " + std::to_string(round) + ".\n");
    AgeFile("content/posts/p2.md");
    BuildReport edit = BuildResident(false);
    EXPECT_TRUE(edit.resident);
    EXPECT_EQ(edit.path, "edits");
    EXPECT_EQ(edit.rendered, Urls{"/posts/p2/"});
    ExpectEqualsFullBuild();
    AddComment(round % 2 ? "p2" : "p5", "Round " + std::to_string(round));
    BuildReport comment = BuildResident(round % 2 == 0);
    EXPECT_TRUE(comment.resident);
    EXPECT_EQ(comment.path, "comments");
    ExpectEqualsFullBuild();
  }
  EXPECT_EQ(site_.Build().path, "no-op");
}

// Nothing changed, though the caller could not say so: a no-op from memory,
// and a comment build from memory when a comment came.
TEST_F(ResidentEngine, UnchangedFilesWithoutTheCallersWordStayInMemory) {
  BuildReport noop = BuildResident(false);
  EXPECT_TRUE(noop.resident);
  EXPECT_EQ(noop.path, "no-op");
  AddComment("p1", "Hi");
  BuildReport comment = BuildResident(false);
  EXPECT_TRUE(comment.resident);
  EXPECT_EQ(comment.path, "comments");
  EXPECT_EQ(comment.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
  ExpectEqualsFullBuild();
}

// An edit the edit path does not take (a tag moves a post between tag
// pages) loads the site again, and refills the resident state.
TEST_F(ResidentEngine, FileEditsTheEditPathDoesNotTakeLoadTheSiteAgain) {
  site_.WritePost("p4", "Post 4", "2026-01-04", {"odd"});
  BuildReport report = BuildResident(false);
  EXPECT_FALSE(report.resident);
  EXPECT_EQ(report.path, "incremental");
  ExpectEqualsFullBuild();
  EXPECT_FALSE(resident_.empty());
  AddComment("p4", "Hi");
  EXPECT_TRUE(BuildResident(true).resident);
  ExpectEqualsFullBuild();
}

// Edits saved just before the build (racily clean: their stats cannot be
// trusted yet, so every build that looks at the files reads them again),
// several in a row with comments between: from memory, each equal to a
// full build.
TEST_F(ResidentEngine, FileEditsSavedJustBeforeTheBuildStayInMemory) {
  for (int round = 1; round <= 4; ++round) {
    SCOPED_TRACE(round);
    site_.WritePost("p2", "Post 2, round " + std::to_string(round), "2026-01-02", {"even"},
                    "Body.\n\nRound " + std::to_string(round) + ".\n");
    BuildReport edit = BuildResident(false);
    EXPECT_TRUE(edit.resident);
    EXPECT_EQ(edit.path, "edits");
    ExpectEqualsFullBuild();
    AddComment("p2", "Round " + std::to_string(round));
    EXPECT_TRUE(BuildResident(round % 2 == 0).resident);
    ExpectEqualsFullBuild();
  }
}

// A file deleted from site/ by hand is restored by the next build that
// looks at the files, as by `kiln build`: it takes the normal path.
TEST_F(ResidentEngine, AFileDeletedFromSiteIsRestoredWhenTheFilesAreLookedAt) {
  std::filesystem::remove(site_.root() / "site/posts/p1/index.html");
  site_.WritePost("p4", "Post 4", "2026-01-04", {"even"}, "Body.\n\nEdited.\n");
  AgeFile("content/posts/p4.md");
  BuildReport edit = BuildResident(false);
  EXPECT_FALSE(edit.resident);
  ExpectEqualsFullBuild();
  std::filesystem::remove(site_.root() / "site/posts/p3/index.html");
  BuildReport nothing_else = BuildResident(false);
  EXPECT_FALSE(nothing_else.resident);
  EXPECT_EQ(nothing_else.rendered, Urls{"/posts/p3/"});
  ExpectEqualsFullBuild();
}

// A clock that reads `now` for its first `calls` readings, then `later`:
// a scheduled post comes due while a build runs, between two of its looks
// at the clock.
class ClockThatMoves : public Clock {
 public:
  ClockThatMoves(int64_t now, int64_t later, int calls) : now_(now), later_(later), calls_(calls) {}
  int64_t NowSeconds() const override { return ++read_ > calls_ ? later_ : now_; }

 private:
  int64_t now_, later_;
  int calls_;
  mutable int read_ = 0;
};

// A post comes due while a build that found only a comment runs. Each
// build reads the clock once: read again when the state was taken or the
// plan made, such a build took a state whose plan was stale, or planned
// the post without rendering its pages, and lost the comment's pages
// (review of 8c6bd95). Whenever the clock moves, the build shows the
// comment and equals a full build at the time it read; the next build
// publishes the post.
TEST_F(ResidentEngine, APostComingDueDuringACommentBuildIsPublishedByTheNext) {
  site_.WritePost("later", "Later", "2030-01-01", {"odd"});
  AgeFile("content/posts/later.md");
  ASSERT_EQ(BuildResident(false).published_posts.size(), 5u);
  const int64_t now = site_.clock().NowSeconds(), due = 1893456000 + 60;  // 2030-01-01T00:01:00Z
  for (const bool resident : {true, false}) {
    for (int readings = 1; readings <= 3; ++readings) {
      SCOPED_TRACE(std::string(resident ? "kiln serve" : "kiln build") +
                   ", the clock moves after reading " + std::to_string(readings));
      const std::string body = "Hi " + std::to_string(readings) + (resident ? " resident" : "");
      AddComment("p1", body);
      ClockThatMoves clock(now, due, readings);
      BuildOptions options;
      options.site_root = site_.root();
      options.clock = &clock;
      if (resident) options.resident = &resident_;
      BuildReport report;
      ASSERT_TRUE(RunBuild(options, &report).ok());
      EXPECT_EQ(report.path, "comments");
      EXPECT_NE(site_.ReadFile("site/posts/p1/index.html").find(body), std::string::npos);
      ExpectEqualsFullBuild();
    }
  }
  site_.clock().Set(due);
  BuildReport next = BuildResident(true);
  EXPECT_FALSE(next.resident);
  EXPECT_EQ(next.published_posts.size(), 6u);
  ExpectEqualsFullBuild();
}

// A comment written while a build runs (after it read the comments it
// renders) is not lost: that build does not claim it, and the next one
// renders it, from memory or not.
TEST_F(ResidentEngine, ACommentArrivingDuringABuildIsRenderedByTheNext) {
  for (const bool resident : {true, false}) {
    SCOPED_TRACE(resident ? "resident" : "from disk");
    AddComment("p1", resident ? "first, resident" : "first");
    BuildOptions options;
    options.site_root = site_.root();
    options.clock = &site_.clock();
    if (resident) {
      options.resident = &resident_;
      options.files_unchanged = true;
    }
    const std::string late = resident ? "Written during a resident build" : "Written during a build";
    options.after_comments_read_for_tests = [&] { AddComment("p3", late); };
    BuildReport during;
    ASSERT_TRUE(RunBuild(options, &during).ok());
    EXPECT_EQ(during.resident, resident);
    EXPECT_EQ(during.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
    EXPECT_EQ(site_.ReadFile("site/posts/p3/index.html").find(late), std::string::npos);
    BuildReport next = resident ? BuildResident(true) : site_.Build();
    EXPECT_EQ(next.path, "comments");
    EXPECT_EQ(next.rendered, (Urls{"/page/2/", "/posts/p3/", "/tags/odd/"}));
    EXPECT_NE(site_.ReadFile("site/posts/p3/index.html").find(late), std::string::npos);
    ExpectEqualsFullBuild();
  }
}

// The plan of a resident state holds until a scheduled post comes due.
TEST_F(ResidentEngine, AScheduledPostComingDueLeavesTheResidentPath) {
  const int64_t now = site_.clock().NowSeconds();
  site_.WritePost("later", "Later", "2030-01-01", {"odd"});
  ASSERT_TRUE(BuildResident(false).published_posts.size() == 5u);
  site_.clock().Set(1893456000 + 60);  // 2030-01-01T00:01:00Z
  ASSERT_GT(site_.clock().NowSeconds(), now);
  AddComment("p1", "Hi");
  BuildReport report = BuildResident(true);
  EXPECT_FALSE(report.resident);
  EXPECT_EQ(report.published_posts.size(), 6u);
  ExpectEqualsFullBuild();
}

TEST_F(ResidentEngine, AFailedBuildEmptiesTheResidentState) {
  const std::string post = site_.ReadFile("templates/post.mustache");
  site_.WriteFile("templates/post.mustache", post + "{{#unclosed}}\n");
  BuildReport failed;
  EXPECT_FALSE(TryBuildResident(false, &failed).ok());
  EXPECT_TRUE(resident_.empty());
  site_.WriteFile("templates/post.mustache", post);
  EXPECT_TRUE(TryBuildResident(false, &failed).ok());
  EXPECT_FALSE(resident_.empty());
  ExpectEqualsFullBuild();
}

// A damaged page record found on the resident path: the build falls back to
// the normal path, which renders everything.
TEST_F(ResidentEngine, ADamagedPageRecordFallsBackToAFullRender) {
  site_.Sql("UPDATE state_pages SET deps = 'not a dependency list' WHERE url = '/posts/p1/'");
  AddComment("p1", "Hi");
  BuildReport report = BuildResident(true);
  EXPECT_FALSE(report.resident);
  EXPECT_TRUE(report.full);
  ExpectEqualsFullBuild();
  AddComment("p1", "Again");
  EXPECT_TRUE(BuildResident(true).resident);
}

}  // namespace
}  // namespace kiln::testing

namespace kiln::testing {
namespace {

// The resident engine keeps its connection to kiln.db between builds, but
// only while kiln.db is the same file: a copy put in its place (a restored
// backup, here with one more comment) is opened anew and its comment seen.
TEST(ResidentEngineStore, AKilnDbPutInPlaceIsOpenedAgain) {
  TempSite site(/*posts_per_page=*/2, /*feed_size=*/3);
  site.WriteOddEvenPosts(3);
  site.Build();
  site.AgeInputs();
  site.Build();
  ResidentState resident;
  BuildOptions options;
  options.site_root = site.root();
  options.clock = &site.clock();
  options.resident = &resident;
  BuildReport report;
  ASSERT_TRUE(RunBuild(options, &report).ok());
  ASSERT_NE(resident.db, nullptr);
  const std::string copy = (site.root() / "kiln.db.new").string();
  site.Sql("VACUUM INTO '" + copy + "'");
  {
    SQLite::Database db(copy, SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'From the backup', '2026-11-26T10:00:00Z')");
  }
  std::filesystem::rename(copy, site.root() / "kiln.db");
  std::filesystem::remove(site.root() / "kiln.db-wal");
  std::filesystem::remove(site.root() / "kiln.db-shm");
  options.files_unchanged = true;
  ASSERT_TRUE(RunBuild(options, &report).ok());
  EXPECT_NE(site.ReadFile("site/posts/p1/index.html").find("From the backup"), std::string::npos);
  EXPECT_EQ(DescribeDifferences(site.SiteFiles(), site.FullBuildFromScratch()), "");
}

}  // namespace
}  // namespace kiln::testing
