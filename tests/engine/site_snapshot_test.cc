// The site snapshot (engine/site_snapshot.h): a comment build of `kiln
// build` takes the content, plan and templates from .kiln/site-snapshot
// when the manifest it was made with is the one saved now. Each test checks
// whether the build took it (report.snapshot), exactly which pages it
// rendered, and that site/ equals a full build from scratch; a damaged,
// stale or missing snapshot is not used and changes no byte of the output.
#include <gtest/gtest.h>

#include <filesystem>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

using Urls = std::vector<std::string>;

constexpr char kSnapshot[] = ".kiln/site-snapshot";

class SiteSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WriteOddEvenPosts(5);
    site_.Build();
    site_.AgeInputs();
    site_.Build();
    ASSERT_TRUE(site_.Exists(kSnapshot));
  }

  void AddComment(const std::string& post, const std::string& body) {
    site_.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('" + post + "', 'Ada', '" +
              body + "', '2026-11-26T10:00:00Z')");
  }

  void ExpectEqualsFullBuild() {
    EXPECT_EQ(DescribeDifferences(site_.SiteFiles(), site_.FullBuildFromScratch()), "");
  }

  TempSite site_{/*posts_per_page=*/2, /*feed_size=*/3};
};

// The snapshot is written a megabyte at a time: one of several, with a
// template text larger than a chunk, reads back whole.
TEST_F(SiteSnapshot, ASnapshotOfSeveralChunksIsTakenWhole) {
  std::string big = "{{! ";
  for (int i = 0; big.size() < 2'500'000; ++i) big += "filler " + std::to_string(i) + " ";
  big += "}}";
  // Included by every page, so that the build renders and reads it.
  site_.WriteFile("templates/big_note.mustache", big);
  site_.WriteFile("templates/foot.mustache",
                  site_.ReadFile("templates/foot.mustache") + "{{> big_note}}\n");
  site_.AgeInputs();
  ASSERT_FALSE(site_.Build().rendered.empty());
  ASSERT_GT(std::filesystem::file_size(site_.root() / kSnapshot), 2'500'000u);
  AddComment("p1", "Hi");
  const BuildReport report = site_.Build();
  EXPECT_TRUE(report.snapshot);
  EXPECT_EQ(report.path, "comments");
  ExpectEqualsFullBuild();
}

TEST_F(SiteSnapshot, ACommentBuildTakesItAndRendersOnlyItsPages) {
  const std::string before = site_.ReadFile(kSnapshot);
  AddComment("p1", "Hi");
  BuildReport report = site_.Build();
  EXPECT_TRUE(report.snapshot);
  EXPECT_FALSE(report.resident);
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
  ExpectEqualsFullBuild();
  // The inputs it describes did not move: it is not written again.
  EXPECT_EQ(site_.ReadFile(kSnapshot), before);
  AddComment("p2", "Again");
  report = site_.Build();
  EXPECT_TRUE(report.snapshot);
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p2/", "/tags/even/"}));
  ExpectEqualsFullBuild();
  EXPECT_EQ(site_.Build().path, "no-op");
}

TEST_F(SiteSnapshot, CommentChangesInARowEqualFullBuilds) {
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
    BuildReport report = site_.Build();
    EXPECT_TRUE(report.snapshot) << sql;
    ExpectEqualsFullBuild();
  }
}

TEST_F(SiteSnapshot, ADamagedSnapshotIsNotUsedAndIsWrittenAgain) {
  std::string bytes = site_.ReadFile(kSnapshot);
  bytes[bytes.size() / 2] ^= 0x20;
  site_.WriteFile(kSnapshot, bytes);
  AddComment("p1", "Hi");
  BuildReport report = site_.Build();
  EXPECT_FALSE(report.snapshot);
  EXPECT_EQ(report.path, "comments");
  EXPECT_EQ(report.rendered, (Urls{"/page/3/", "/posts/p1/", "/tags/odd/page/2/"}));
  ExpectEqualsFullBuild();
  AddComment("p1", "Hi again");
  EXPECT_TRUE(site_.Build().snapshot);
  ExpectEqualsFullBuild();
}

TEST_F(SiteSnapshot, ACutOrMissingSnapshotIsNotUsed) {
  const std::string bytes = site_.ReadFile(kSnapshot);
  site_.WriteFile(kSnapshot, bytes.substr(0, bytes.size() - 9));
  AddComment("p3", "Cut");
  EXPECT_FALSE(site_.Build().snapshot);
  ExpectEqualsFullBuild();
  site_.RemoveFile(kSnapshot);
  AddComment("p3", "Missing");
  BuildReport report = site_.Build();
  EXPECT_FALSE(report.snapshot);
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p3/", "/tags/odd/"}));
  ExpectEqualsFullBuild();
  EXPECT_TRUE(site_.Exists(kSnapshot));
}

// A comment and a file edit since the last build: the snapshot is read
// ahead (the comment log moved) but the inputs moved too, so the build
// takes the incremental path from the files and leaves what was read unused.
TEST_F(SiteSnapshot, ACommentWithAFileEditIsNotACommentBuild) {
  AddComment("p3", "Hi");
  std::string post = site_.ReadFile("content/posts/p1.md");
  site_.WriteFile("content/posts/p1.md", post + "\nOne more paragraph.\n");
  site_.AgeInputs();
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "incremental");
  EXPECT_FALSE(report.snapshot);
  // p1's body (feeds carry summaries); p3's comment list and count.
  EXPECT_EQ(report.rendered, (Urls{"/page/2/", "/posts/p1/", "/posts/p3/", "/tags/odd/"}));
  ExpectEqualsFullBuild();
  AddComment("p3", "Again");
  EXPECT_TRUE(site_.Build().snapshot);
  ExpectEqualsFullBuild();
}

// A snapshot of other inputs (here: from before a post was retitled) names
// another manifest: a comment build after the edit must not show the old
// title, so it does not take it.
TEST_F(SiteSnapshot, ASnapshotOfOtherInputsIsNotUsed) {
  const std::string old_snapshot = site_.ReadFile(kSnapshot);
  std::string post = site_.ReadFile("content/posts/p1.md");
  const size_t title = post.find("title:");
  ASSERT_NE(title, std::string::npos);
  post.insert(title + 6, " Renamed");
  site_.WriteFile("content/posts/p1.md", post);
  site_.AgeInputs();
  EXPECT_EQ(site_.Build().path, "incremental");
  EXPECT_NE(site_.ReadFile(kSnapshot), old_snapshot);
  site_.WriteFile(kSnapshot, old_snapshot);
  AddComment("p1", "Hi");
  BuildReport report = site_.Build();
  EXPECT_EQ(report.path, "comments");
  EXPECT_FALSE(report.snapshot);
  ExpectEqualsFullBuild();
}

// A no-op neither needs nor writes it; a dry run never writes it.
TEST_F(SiteSnapshot, ANoOpLeavesItAlone) {
  site_.RemoveFile(kSnapshot);
  EXPECT_EQ(site_.Build().path, "no-op");
  EXPECT_FALSE(site_.Exists(kSnapshot));
}

}  // namespace
}  // namespace kiln::testing
