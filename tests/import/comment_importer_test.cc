#include "import/comment_importer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

ForeignComment Comment(const std::string& id, const std::string& thread, const std::string& parent = "",
                       ForeignStatus status = ForeignStatus::kPublished) {
  ForeignComment c;
  c.id = id;
  c.thread_id = thread;
  c.parent_id = parent;
  c.author = "Author " + id;
  c.body = "Body " + id;
  c.created_at = "2014-09-15T10:00:00Z";  // equal dates: the file's order decides
  c.status = status;
  return c;
}

class CommentImporterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Status s = OpenDatabase(dir_ / "kiln.db", &db_);
    ASSERT_TRUE(s.ok()) << s.ToString();
    in_.source = "disqus";
    in_.threads = {{"t1", "/a/", "A"}, {"t2", "/b/", "B"}, {"t3", "/gone/", "Gone"}};
  }
  ImportSummary Import(bool dry_run = false) {
    ImportSummary summary;
    Status s = ImportComments(db_.get(), in_, {{"t1", "a"}, {"t2", "b"}, {"t3", ""}}, dry_run, &summary);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return summary;
  }
  // "post author parent-author status" per comment, by id.
  std::vector<std::string> Rows() {
    std::vector<std::string> rows;
    SQLite::Statement q(*db_,
                        "SELECT c.post, c.author, coalesce(p.author, '-'), c.status FROM comments c "
                        "LEFT JOIN comments p ON p.id = c.parent ORDER BY c.id");
    while (q.executeStep()) {
      rows.push_back(q.getColumn(0).getString() + " " + q.getColumn(1).getString() + " < " +
                     q.getColumn(2).getString() + " " + q.getColumn(3).getString());
    }
    return rows;
  }

  unit::TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
  ForeignComments in_;
};

// A reply's source parent becomes its kiln parent, even when the reply
// comes first in the file; a parent that did not import (deleted, on
// another post) leaves the reply top-level.
TEST_F(CommentImporterTest, MapsParentsToNewIds) {
  in_.comments = {Comment("r1", "t1", "c1"), Comment("c1", "t1"), Comment("d", "t1", "", ForeignStatus::kDeleted),
                  Comment("r2", "t1", "d"), Comment("x", "t2", "c1"), Comment("s", "t2", "x", ForeignStatus::kSpam)};
  ImportSummary s = Import();
  EXPECT_EQ(s.imported, 5u);
  EXPECT_EQ(s.deleted, 1u);
  EXPECT_EQ(s.replies, 2u);
  EXPECT_EQ(Rows(), (std::vector<std::string>{"a Author c1 < - published", "a Author r1 < Author c1 published",
                                              "a Author r2 < - published", "b Author x < - published",
                                              "b Author s < Author x spam"}));
}

TEST_F(CommentImporterTest, SecondImportAddsNothing) {
  in_.comments = {Comment("c1", "t1"), Comment("r1", "t1", "c1")};
  EXPECT_EQ(Import().imported, 2u);
  ImportSummary again = Import();
  EXPECT_EQ(again.imported, 0u);
  EXPECT_EQ(again.duplicates, 2u);
  EXPECT_EQ(Rows().size(), 2u);
}

// A reply added to the source later finds its parent of the earlier import.
TEST_F(CommentImporterTest, LaterReplyFindsParentOfEarlierImport) {
  in_.comments = {Comment("c1", "t1")};
  Import();
  in_.comments.push_back(Comment("r1", "t1", "c1"));
  EXPECT_EQ(Import().imported, 1u);
  EXPECT_EQ(Rows().back(), "a Author r1 < Author c1 published");
}

// A comment deleted in kiln after its import stays deleted.
TEST_F(CommentImporterTest, DeletedAfterImportIsNotImportedAgain) {
  in_.comments = {Comment("c1", "t1")};
  Import();
  db_->exec("DELETE FROM comments");
  EXPECT_EQ(Import().duplicates, 1u);
  EXPECT_TRUE(Rows().empty());
}

TEST_F(CommentImporterTest, UnmatchedThreadsAreReportedAndSkipped) {
  in_.comments = {Comment("g1", "t3"), Comment("g2", "t3"), Comment("c1", "t1")};
  ImportSummary s = Import();
  EXPECT_EQ(s.imported, 1u);
  EXPECT_EQ(s.unmatched_comments, 2u);
  EXPECT_EQ(s.unmatched_threads, std::vector<std::string>{"/gone/"});
}

TEST_F(CommentImporterTest, DryRunStoresNothing) {
  in_.comments = {Comment("c1", "t1")};
  EXPECT_EQ(Import(/*dry_run=*/true).imported, 1u);
  EXPECT_TRUE(Rows().empty());
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM comment_imports").getInt(), 0);
}

// Hostile shapes: a cycle of parents, and a chain of 50,000 replies (the
// walk up to the ancestors is a loop, not recursion).
TEST_F(CommentImporterTest, ParentCyclesAndLongChainsImport) {
  in_.comments = {Comment("x", "t1", "y"), Comment("y", "t1", "x")};
  for (int i = 0; i < 50000; ++i) {
    in_.comments.push_back(Comment("n" + std::to_string(i), "t2", i == 0 ? "" : "n" + std::to_string(i - 1)));
  }
  std::reverse(in_.comments.begin() + 2, in_.comments.end());
  ImportSummary s = Import();
  EXPECT_EQ(s.imported, 50002u);
  EXPECT_EQ(s.replies, 50000u);  // one of x, y is top-level
}

}  // namespace
}  // namespace kiln
