// Issue 7, item 4 (SPEC.md, "Comments"): a missing or empty kiln.db never
// turns built pages that show comments into pages that show none; the
// build stops and says what to do. Through the real `kiln build`.
#include "engine/comment_guard.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>

#include <SQLiteCpp/Database.h>

#include "cli_runner.h"
#include "site_fixture.h"
#include "store/database.h"

namespace kiln::testing {
namespace {

namespace fs = std::filesystem;

class CommentGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    site_.WritePost("a", "A", "2026-01-01");
    ASSERT_EQ(Build("").exit_code, 0);
    site_.Sql("INSERT INTO comments(post, author, body, created_at) "
              "VALUES ('a', 'Ada', 'Only copy of these words', '2026-01-02T10:00:00Z')");
    ASSERT_EQ(Build("").exit_code, 0);
    ASSERT_TRUE(PageShowsComment());
  }
  KilnRun Build(const std::string& flags) {
    return RunKiln("build" + flags + SiteFlag(site_.root()));
  }
  bool PageShowsComment() const {
    return site_.ReadFile("site/posts/a/index.html").find("Only copy of these words") !=
           std::string::npos;
  }
  void RemoveDatabase() {
    for (const char* f : {"kiln.db", "kiln.db-wal", "kiln.db-shm"}) fs::remove(site_.root() / f);
  }
  // A new kiln.db with the schema and no build state, as a server makes.
  void CreateDatabase() {
    std::unique_ptr<SQLite::Database> db;
    ASSERT_TRUE(OpenDatabase(site_.root() / "kiln.db", &db).ok());
  }
  TempSite site_;
};

TEST_F(CommentGuardTest, Issue7MissingDatabaseStopsTheBuildAndKeepsThePages) {
  RemoveDatabase();
  KilnRun run = Build("");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("kiln.db: missing, while site/ was built from a kiln.db with 1 comment:"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("Restore kiln.db from a backup"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("--allow-empty-comments"), std::string::npos) << run.err;
  EXPECT_TRUE(PageShowsComment());
  EXPECT_FALSE(fs::exists(site_.root() / "kiln.db"));  // not created: a restore goes there
  EXPECT_EQ(Build(" --full").exit_code, 1);              // --full is no way around it
  EXPECT_TRUE(PageShowsComment());
}

TEST_F(CommentGuardTest, Issue7EmptyDatabaseFileStopsTheBuild) {
  RemoveDatabase();
  site_.WriteFile("kiln.db", "");  // what `: > kiln.db` leaves
  KilnRun run = Build("");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("holds no comments"), std::string::npos) << run.err;
  EXPECT_TRUE(PageShowsComment());
}

// A new kiln.db that got a comment since (a server took one) still lost the
// others: the build stops too.
TEST_F(CommentGuardTest, Issue7NewDatabaseWithFewerCommentsStopsTheBuild) {
  RemoveDatabase();
  CreateDatabase();
  site_.Sql("INSERT INTO comments(post, author, body) VALUES ('a', 'Bo', 'New one')");
  site_.Sql("INSERT INTO comments(post, author, body) VALUES ('a', 'Cy', 'Another')");
  site_.WriteFile(".kiln/comments-shown", "3\n");
  KilnRun run = Build("");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("holds only 2 comments, while site/ was built from a kiln.db with 3"), std::string::npos) << run.err;
  EXPECT_TRUE(PageShowsComment());
}

TEST_F(CommentGuardTest, AllowEmptyCommentsBuildsWithWhatKilnDbHolds) {
  RemoveDatabase();
  KilnRun run = Build(" --allow-empty-comments");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(PageShowsComment());
  EXPECT_EQ(Build("").exit_code, 0);  // the count now matches kiln.db
}

// Deleting comments from the kiln.db the site was built from is an edit.
TEST_F(CommentGuardTest, CommentsDeletedFromTheSameDatabaseAreRemovedFromThePages) {
  site_.Sql("DELETE FROM comments");
  KilnRun run = Build("");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(PageShowsComment());
  EXPECT_EQ(site_.ReadFile(".kiln/comments-shown"), "0\n");
}

// The count is rewritten in place (comment_guard.cc): a shorter number
// leaves no digit of the longer one behind, and a number after stray digits
// left by a killed write still reads as that number.
TEST(CommentGuardRecordTest, TheCountFileHoldsTheLastNumberWhateverItsLength) {
  TempSite site;
  ASSERT_TRUE(RecordShownComments(site.root(), 1234).ok());
  EXPECT_EQ(site.ReadFile(".kiln/comments-shown"), "1234\n");
  ASSERT_TRUE(RecordShownComments(site.root(), 99).ok());
  EXPECT_EQ(site.ReadFile(".kiln/comments-shown"), "99\n");
  ASSERT_TRUE(RecordShownComments(site.root(), 100000).ok());
  EXPECT_EQ(site.ReadFile(".kiln/comments-shown"), "100000\n");
  // A write killed before its cut: the new number, then the old one's tail.
  site.WriteFile(".kiln/comments-shown", "7\n000\n");
  ASSERT_TRUE(RecordShownComments(site.root(), 7).ok());  // read as 7: untouched
  EXPECT_EQ(site.ReadFile(".kiln/comments-shown"), "7\n000\n");
  ASSERT_TRUE(RecordShownComments(site.root(), 8).ok());
  EXPECT_EQ(site.ReadFile(".kiln/comments-shown"), "8\n");
}

// A site whose site/ was never built has nothing to lose.
TEST(CommentGuardFreshSiteTest, FirstBuildWithoutDatabaseGoesAhead) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  site.WriteFile(".kiln/comments-shown", "4\n");  // left from an earlier life
  KilnRun run = RunKiln("build" + SiteFlag(site.root()));
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

}  // namespace
}  // namespace kiln::testing
