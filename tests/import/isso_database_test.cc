#include "import/isso_database.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "import/import_test_util.h"

namespace kiln {
namespace {

class IssoDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { testing::MakeIssoDatabase(file_); }
  unit::TempDir dir_;
  std::filesystem::path file_ = dir_ / "comments.db";
};

TEST_F(IssoDatabaseTest, ReadsThreadsAndCommentsOfTheFixture) {
  ForeignComments in;
  Status s = ReadIssoDatabase(file_, &in);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(in.source, "isso");
  ASSERT_EQ(in.threads.size(), 3u);
  EXPECT_EQ(in.threads[0].url, "/2014/09/15/launch-day.html");
  ASSERT_EQ(in.comments.size(), 7u);  // oldest first
  const ForeignComment& c = in.comments[1];
  EXPECT_EQ(c.id, "1");
  EXPECT_EQ(c.thread_id, "1");
  EXPECT_EQ(c.body, "First *markdown* comment");
  EXPECT_EQ(c.author, "Ada");
  EXPECT_EQ(c.email, "ada@example.org");
  EXPECT_EQ(c.created_at, "2014-09-15T10:00:00Z");
  EXPECT_EQ(c.modified_at, "");
  EXPECT_EQ(in.comments[2].parent_id, "1");
  EXPECT_EQ(in.comments[2].modified_at, "2014-09-15T12:30:00Z");
  EXPECT_EQ(in.comments[3].status, ForeignStatus::kPending);
  EXPECT_EQ(in.comments[3].author, "");
  EXPECT_EQ(in.comments[4].status, ForeignStatus::kDeleted);
  EXPECT_EQ(in.comments[6].body, "Ça marche — 日本語 ✓");
}

TEST_F(IssoDatabaseTest, UnknownModeIsAnError) {
  SQLite::Database(file_.string(), SQLite::OPEN_READWRITE).exec("UPDATE comments SET mode = 3 WHERE id = 2");
  ForeignComments in;
  EXPECT_EQ(ReadIssoDatabase(file_, &in).ToString(),
            file_.string() + ": comment 2: unknown mode 3 (Isso writes 1 accepted, 2 pending, 4 deleted)");
}

TEST_F(IssoDatabaseTest, NotADatabaseNamesTheFile) {
  unit::WriteFileOrDie(file_, "<disqus/>");
  ForeignComments in;
  Status s = ReadIssoDatabase(file_, &in);
  EXPECT_EQ(s.file(), file_.string());
  EXPECT_EQ(s.message(), "not an Isso database: file is not a database");
}

TEST_F(IssoDatabaseTest, DatabaseWithoutIssoTablesNamesTheFile) {
  std::filesystem::remove(file_);
  SQLite::Database(file_.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE).exec("CREATE TABLE x(a)");
  ForeignComments in;
  EXPECT_EQ(ReadIssoDatabase(file_, &in).ToString(), file_.string() + ": not an Isso database: no such table: threads");
}

}  // namespace
}  // namespace kiln
