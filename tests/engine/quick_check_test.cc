// SPEC.md invariant 4, "Cheap to verify", through the manifest (issue 6): a
// build with nothing changed stops after stat calls and two queries, and
// every kind of change still takes the normal path, so the result equals a
// full build.
#include "engine/quick_check.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <thread>

#include "site_fixture.h"
#include "store/manifest.h"
#include "unit_test_util.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/time_format.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

class QuickCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteOddEvenPosts(5);
    site_.Build();
    // Freshly written files are racily clean; once aged, the next build
    // leaves a manifest that can prove a no-op.
    site_.AgeInputs();
    BuildReport settled = site_.Build();
    ASSERT_NE(settled.path, "no-op");
    ASSERT_EQ(settled.rendered, Urls{});
  }

  void ExpectEqualsFullBuild() {
    EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
  }

  TempSite site_{/*posts_per_page=*/2, /*feed_size=*/3};
};

TEST_F(QuickCheck, NothingChangedStopsAtTheManifest) {
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "no-op");
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(report.written, Urls{});
  EXPECT_EQ(report.pages, 18u);  // 3 home, 5 posts, tags + 2 of odd + even, 3 feeds, sitemap, 404, robots.txt
  EXPECT_EQ(report.unchanged, report.pages);
  EXPECT_EQ(report.published_posts, (Urls{"p1", "p2", "p3", "p4", "p5"}));
  EXPECT_EQ(site_.Build().path, "no-op");
}

// A no-op build writes nothing to the store (not even its line in `kiln
// stats`): every write is a WAL commit and a checkpoint with two disk syncs
// when the store closes, which made up a third of a no-op's time.
TEST_F(QuickCheck, NothingChangedWritesNothingToTheStore) {
  auto builds = [&] {
    SQLite::Database db((site_.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM build_history").getInt64();
  };
  const int64_t builds_before = builds();
  const std::string before = site_.ReadFile("kiln.db");
  EXPECT_EQ(site_.Build().path, "no-op");
  EXPECT_EQ(builds(), builds_before);
  EXPECT_TRUE(site_.ReadFile("kiln.db") == before) << "kiln.db changed in a no-op build";
}

// Only comments changed: the reverse index names the pages to decide on, and
// nothing else is loaded or compared.
TEST_F(QuickCheck, CommentByPlainSqlTakesTheCommentPath) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.pages, 18u);
  EXPECT_EQ(report.unchanged, 15u);
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
  EXPECT_EQ(site_.Build().path, "no-op");
  ExpectEqualsFullBuild();
}

// A pending comment changes no page, but the log moved: the normal path
// runs once, renders nothing, and the next build is a no-op again.
TEST_F(QuickCheck, PendingCommentRendersNothingThenSettles) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at, status) "
            "VALUES ('p1', 'Bob', 'Spam?', '2026-11-26T10:00:00Z', 'pending')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(site_.Build().path, "no-op");
}

TEST_F(QuickCheck, EditedPostIsRenderedWhereItShows) {
  site_.WritePost("p2", "Post 2", "2026-01-02", {"even"}, "New body.\n");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  // The summary is the body's first paragraph: the listings showing p2 too,
  // and the even feed (p4 p2; the site's lists p5 p4 p3).
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p2/", "/tags/even/", "/tags/even/feed.xml"}));
  ExpectEqualsFullBuild();
}

TEST_F(QuickCheck, NewStaticFileIsWritten) {
  site_.WriteFile("static/extra.txt", "hello");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_EQ(report.written, Urls{"extra.txt"});
}

TEST_F(QuickCheck, RemovedPostTakesTheNormalPath) {
  site_.RemoveFile("content/posts/p3.md");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_FALSE(site_.Exists("site/posts/p3/index.html"));
  ExpectEqualsFullBuild();
}

// "A file deleted from site/ by hand is still restored by the next build."
TEST_F(QuickCheck, OutputDeletedByHandIsRestored) {
  site_.RemoveFile("site/posts/p4/index.html");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_EQ(report.rendered, Urls{"/posts/p4/"});
  EXPECT_TRUE(site_.Exists("site/posts/p4/index.html"));
}

// "a scheduled post coming due counts as a change"
TEST_F(QuickCheck, ScheduledPostComingDueIsPublished) {
  site_.WritePost("later", "Later", "2026-11-27T09:00:00Z");
  site_.AgeInputs();
  EXPECT_NE(site_.Build().path, "no-op");
  EXPECT_FALSE(site_.Exists("site/posts/later/index.html"));
  EXPECT_EQ(site_.Build().path, "no-op");
  int64_t due;
  ASSERT_TRUE(ParseIsoDate("2026-11-27T09:00:00Z", &due));
  site_.clock().Set(due);
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_TRUE(site_.Exists("site/posts/later/index.html"));
  EXPECT_EQ(site_.Build().path, "no-op");
}

// A build that started writing and died leaves no manifest behind it; a
// state marked "writing" by any means is never taken for a no-op.
TEST_F(QuickCheck, InterruptedBuildIsNeverANoOp) {
  site_.Sql("INSERT OR REPLACE INTO state_meta VALUES ('writing', '1')");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_EQ(report.rendered.size(), report.pages);
  EXPECT_EQ(site_.Build().path, "no-op");
}

// The manifest is a cache: damaged, it costs one normal build, no more.
TEST_F(QuickCheck, DamagedManifestTakesTheNormalPathOnce) {
  site_.Sql("UPDATE state_manifest SET data = substr(data, 1, length(data) - 3)");
  BuildReport report = site_.Build();
  EXPECT_NE(report.path, "no-op");
  EXPECT_EQ(report.rendered, Urls{});
  EXPECT_EQ(site_.Build().path, "no-op");
}

TEST_F(QuickCheck, FullBuildIsNeverANoOp) {
  BuildReport report = site_.Build(/*full=*/true);
  EXPECT_NE(report.path, "no-op");
  EXPECT_EQ(report.rendered.size(), report.pages);
}

// A comment and a post's file edited in place together: the edit path
// (tests/engine/edit_path_test.cc) decides on the pages of both.
TEST_F(QuickCheck, CommentAndPostEditTogetherTakeTheEditPath) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p5', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  site_.WritePost("p1", "Post 1 renamed", "2026-01-01", {"odd"});
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "edits");
  // p1's title shows in the odd feed (p5 p3 p1), not the site's (p5 p4 p3).
  EXPECT_EQ(report.rendered, (Urls{"/", "/page/3/", "/posts/p1/", "/posts/p2/", "/posts/p5/", "/tags/odd/",
                                   "/tags/odd/feed.xml", "/tags/odd/page/2/"}));
  ExpectEqualsFullBuild();
}

// The reverse index follows the listings: once a new post pushes p2 from
// /page/2/ to /page/3/, a comment on p2 renders /page/3/ and not /page/2/.
TEST_F(QuickCheck, CommentIndexFollowsPostsMovingBetweenListingPages) {
  site_.WritePost("p6", "Post 6", "2026-01-06", {"even"});
  site_.AgeInputs();
  ASSERT_EQ(site_.Build().path, "incremental");
  ASSERT_EQ(site_.Build().path, "no-op");
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p2', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p2/", "/tags/even/page/2/"}));
  ExpectEqualsFullBuild();
}

// A comment on a draft shows nowhere: the comment path renders nothing.
TEST_F(QuickCheck, CommentOnADraftRendersNothing) {
  site_.WritePost("d", "Draft", "2026-01-09", {}, "Body.\n", "draft: true\n");
  site_.AgeInputs();
  site_.Build();
  ASSERT_EQ(site_.Build().path, "no-op");
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('d', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, Urls{});
  ExpectEqualsFullBuild();
}

// A comment and a page deleted by hand: the normal path restores the page.
TEST_F(QuickCheck, CommentWithAMissingOutputTakesTheIncrementalPath) {
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p2', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  site_.RemoveFile("site/posts/p4/index.html");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p2/", "/posts/p4/", "/tags/even/"}));
  ExpectEqualsFullBuild();
}

// A run of comment-path builds, each compared with a full build: the state
// they save (records, index, manifest) keeps every later build right.
TEST_F(QuickCheck, CommentPathBuildsInARowEqualFullBuilds) {
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
    EXPECT_EQ(site_.Build().path, "comments") << sql;
    ExpectEqualsFullBuild();
    EXPECT_EQ(site_.Build().path, "no-op") << sql;
  }
}

// A damaged record among the pages the comment path reads: everything is
// rendered again, and nothing else in site/ is lost (the full render sweeps
// site/, so it must plan every page, not just the comment path's).
TEST_F(QuickCheck, DamagedRecordOnTheCommentPathRendersEverything) {
  site_.Sql("UPDATE state_pages SET deps = 'not a dependency list' WHERE url = '/posts/p1/'");
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_TRUE(report.full);
  EXPECT_EQ(report.rendered.size(), report.pages);
  ExpectEqualsFullBuild();
}

// An index that was not reset by a build that rendered everything (a state
// from before the index existed, or a damaged one) is never used.
TEST_F(QuickCheck, IncompleteCommentIndexTakesTheIncrementalPath) {
  site_.Sql("DELETE FROM state_comment_deps");
  site_.Sql("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('p1', 'Ada', 'Hi', '2026-11-26T10:00:00Z')");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
}

// --- The format (STYLE.md: corruption tests for every persisted format). ---

Manifest SampleManifest() {
  Manifest m;
  m.state_version = 2;
  m.next_due = 1'800'000'000;
  m.inputs_digest = 0x0123456789abcdef;
  m.input_count = 2;
  m.outputs = {"index.html", "posts/a/index.html"};
  m.published_posts = {"a"};
  m.pages_by_kind = {{"home", 1}, {"post", 1}};
  m.pages = 2;
  return m;
}

// The output check shared by two threads (the build's two cores): every
// output is looked at, by one thread or the other, and a missing one is
// found wherever it is in the list.
class OutputPresence : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 300; ++i) {  // several batches of 64 (quick_check.cc)
      const std::string out = "posts/p" + std::to_string(i) + "/index.html";
      std::filesystem::create_directories((dir_ / "site" / out).parent_path());
      std::ofstream(dir_ / "site" / out) << i;
      outputs_.push_back(out);
    }
    outputs_.push_back("index.html");
    std::ofstream(dir_ / "site/index.html") << "home";
  }

  // Two threads, one of which starts waiting before the list is published.
  std::string CheckOnTwoThreads() {
    OutputPresenceCheck check(dir_.path());
    std::thread helper([&] { check.Help(); });
    check.Publish(&outputs_);
    check.Help();
    helper.join();
    return check.missing();
  }

  unit::TempDir dir_;
  std::vector<std::string> outputs_;
};

TEST_F(OutputPresence, AllPresentIsEmpty) {
  EXPECT_EQ(CheckOnTwoThreads(), "");
  EXPECT_EQ(FindMissingOutput(dir_.path(), outputs_), "");
}

TEST_F(OutputPresence, AMissingOutputIsFoundWhereverItIs) {
  for (const char* gone : {"posts/p0/index.html", "posts/p277/index.html", "index.html"}) {
    std::filesystem::rename(dir_ / "site" / gone, dir_ / "aside");
    EXPECT_EQ(CheckOnTwoThreads(), gone);
    EXPECT_EQ(FindMissingOutput(dir_.path(), outputs_), gone);
    std::filesystem::rename(dir_ / "aside", dir_ / "site" / gone);
  }
}

TEST_F(OutputPresence, AMissingTopFolderIsAMissingOutput) {
  std::filesystem::rename(dir_ / "site/posts", dir_ / "aside");
  EXPECT_EQ(CheckOnTwoThreads().rfind("posts/", 0), 0u);
  std::filesystem::rename(dir_ / "site", dir_ / "aside-site");
  EXPECT_EQ(CheckOnTwoThreads(), outputs_.front());
}

// The build publishes once, and a guard publishes nothing again on its way
// out (build.cc, QuickCheck): the second call must not undo the first.
TEST_F(OutputPresence, OnlyTheFirstPublishCounts) {
  std::filesystem::remove(dir_ / "site/posts/p3/index.html");
  OutputPresenceCheck check(dir_.path());
  check.Publish(&outputs_);
  check.Publish(nullptr);
  check.Help();
  EXPECT_EQ(check.missing(), "posts/p3/index.html");
}

TEST_F(OutputPresence, NoManifestChecksNothing) {
  OutputPresenceCheck check(dir_.path());
  std::thread helper([&] { check.Help(); });
  check.Publish(nullptr);
  check.Help();
  helper.join();
  EXPECT_EQ(check.missing(), "");
}

// --- The walk of the inputs, which the manifest keeps as a digest. ---

class InputWalkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteFile("content/posts/a.md", "---\ntitle: A\n---\nA");
    site_.WriteFile("content/posts/b.md", "---\ntitle: B\n---\nB");
    site_.WriteFile("static/css/site.css", "body {}");
    site_.AgeInputs();
  }
  InputWalk Walk() {
    InputWalk walk;
    EXPECT_TRUE(WalkInputs(site_.root(), NowNanoseconds(), &walk).ok());
    return walk;
  }
  // Moves a file's mtime, its size and name unchanged.
  void Touch(const std::string& rel, int seconds) {
    const auto path = site_.root() / rel;
    std::filesystem::last_write_time(
        path, std::filesystem::last_write_time(path) + std::chrono::seconds(seconds));
  }
  TempSite site_;
};

TEST_F(InputWalkTest, AnUnchangedTreeWalksToTheSameDigest) {
  const InputWalk first = Walk();
  const InputWalk second = Walk();
  EXPECT_TRUE(first.complete);
  int64_t files = 1;  // kiln.toml
  for (const char* dir : {"content", "static", "templates"}) {
    for (const auto& e : std::filesystem::recursive_directory_iterator(site_.root() / dir)) {
      files += e.is_regular_file() ? 1 : 0;
    }
  }
  EXPECT_EQ(first.count, files);
  EXPECT_EQ(first.digest, second.digest);
  EXPECT_EQ(first.count, second.count);
}

// Each change below also moves the file's ctime, which the digest holds
// too: every step is compared with the one before it.
TEST_F(InputWalkTest, EveryKindOfChangeMovesTheDigest) {
  InputWalk last = Walk();
  auto expect_moved = [&](const char* what) {
    const InputWalk now = Walk();
    EXPECT_NE(now.digest, last.digest) << what;
    last = now;
  };
  Touch("content/posts/a.md", -5);
  expect_moved("an older mtime, same size and name");
  site_.WriteFile("content/posts/a.md", "---\ntitle: Z\n---\nA");  // same size
  site_.AgeInputs();
  expect_moved("rewritten in place");
  std::filesystem::rename(site_.root() / "content/posts/b.md", site_.root() / "content/posts/c.md");
  expect_moved("renamed");
  std::filesystem::rename(site_.root() / "static/css/site.css", site_.root() / "static/site.css");
  expect_moved("moved to the parent folder");
  std::filesystem::remove(site_.root() / "content/posts/c.md");
  EXPECT_EQ(Walk().count, last.count - 1);
  expect_moved("removed");
  site_.WriteFile("templates/extra.mustache", "x");
  site_.AgeInputs();
  EXPECT_EQ(Walk().count, last.count + 1);
  expect_moved("added");
}

TEST_F(InputWalkTest, AFileWrittenWithinTheSecondLeavesTheWalkIncomplete) {
  site_.WriteFile("content/posts/fresh.md", "---\ntitle: F\n---\nF");
  EXPECT_FALSE(Walk().complete);
}

TEST(ManifestFormat, RoundTrips) {
  Manifest back;
  ASSERT_TRUE(DecodeManifest(EncodeManifest(SampleManifest()), &back));
  EXPECT_EQ(back, SampleManifest());
}

// A manifest of an older format, whole and with a good checksum (format 2
// listed every input's path and stat), is not read as this one.
TEST(ManifestFormat, AnOlderFormatIsNotUsed) {
  std::string body = EncodeManifest(SampleManifest());
  body.resize(body.size() - 8);
  const uint32_t format = 2;
  std::memcpy(body.data() + 4, &format, 4);
  const uint64_t sum = HashBytes(body);
  const std::string bytes = body + std::string(reinterpret_cast<const char*>(&sum), 8);
  Manifest back;
  EXPECT_FALSE(DecodeManifest(bytes, &back));
}

TEST(ManifestFormat, EveryTruncationIsRejected) {
  const std::string bytes = EncodeManifest(SampleManifest());
  Manifest back;
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeManifest(bytes.substr(0, n), &back)) << "truncated to " << n;
  }
}

TEST(ManifestFormat, EveryFlippedByteIsRejected) {
  const std::string bytes = EncodeManifest(SampleManifest());
  Manifest back;
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string damaged = bytes;
    damaged[i] = static_cast<char>(damaged[i] ^ 0x20);
    EXPECT_FALSE(DecodeManifest(damaged, &back)) << "byte " << i;
  }
}

}  // namespace
}  // namespace kiln::testing
