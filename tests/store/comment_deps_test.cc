// The reverse index of comment dependencies (store/comment_deps.h): which
// pages show which posts' comments, kept in step with each build, and
// written only where it changed.
#include "store/comment_deps.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::TempDir;
using Urls = std::vector<std::string>;

class CommentDeps : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(OpenDatabase(dir_ / "kiln.db", &db_).ok());
    ASSERT_TRUE(
        UpdateCommentDeps(db_.get(), /*reset=*/true,
                          {{"/", {"a", "b"}}, {"/posts/a/", {"a"}}, {"/tags/x/", {"b", "c"}}}, {})
            .ok());
  }

  Urls PagesShowing(const std::string& post) {
    Urls urls;
    EXPECT_TRUE(ReadPagesShowingComments(db_.get(), {post}, &urls).ok());
    return urls;
  }

  // Rows inserted, updated or deleted by the call.
  int RowsWritten(const std::map<std::string, std::vector<std::string>>& rendered,
                  const Urls& removed) {
    const int before = sqlite3_total_changes(db_->getHandle());
    EXPECT_TRUE(UpdateCommentDeps(db_.get(), /*reset=*/false, rendered, removed).ok());
    return sqlite3_total_changes(db_->getHandle()) - before;
  }

  TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(CommentDeps, AResetIndexIsCompleteAndAnswersByPost) {
  bool complete = false;
  ASSERT_TRUE(CommentIndexIsComplete(db_.get(), &complete).ok());
  EXPECT_TRUE(complete);
  EXPECT_EQ(PagesShowing("a"), (Urls{"/", "/posts/a/"}));
  EXPECT_EQ(PagesShowing("b"), (Urls{"/", "/tags/x/"}));
  EXPECT_EQ(PagesShowing("z"), Urls{});
}

// A build that renders everything makes the index again from nothing (in
// key order, its index by URL made after the rows): rows of pages it no
// longer lists are gone, a post listed twice on a page is one row, and the
// by-URL index that the next incremental build reads is there again.
TEST_F(CommentDeps, ASecondResetReplacesTheWholeIndex) {
  ASSERT_TRUE(UpdateCommentDeps(db_.get(), /*reset=*/true,
                                {{"/posts/b/", {"b", "b"}}, {"/", {"c", "b"}}, {"/about/", {}}}, {})
                  .ok());
  EXPECT_EQ(PagesShowing("a"), Urls{});
  EXPECT_EQ(PagesShowing("b"), (Urls{"/", "/posts/b/"}));
  EXPECT_EQ(PagesShowing("c"), Urls{"/"});
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM state_comment_deps").getInt(), 4);  // 3 + marker
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                            "name = 'state_comment_deps_by_url'")
                .getInt(),
            1);
  bool complete = false;
  ASSERT_TRUE(CommentIndexIsComplete(db_.get(), &complete).ok());
  EXPECT_TRUE(complete);
  EXPECT_EQ(RowsWritten({{"/", {"b"}}}, {}), 1);  // c's row of "/" found by URL and deleted
  EXPECT_EQ(PagesShowing("c"), Urls{});
}

// A full build that fails after the index was reset rolls back its
// transaction: the old rows come back, and the by-URL index with them.
TEST_F(CommentDeps, AResetRolledBackLeavesTheIndexAsItWas) {
  db_->exec("BEGIN");
  ASSERT_TRUE(UpdateCommentDeps(db_.get(), /*reset=*/true, {{"/other/", {"z"}}}, {}).ok());
  EXPECT_EQ(PagesShowing("z"), Urls{"/other/"});
  db_->exec("ROLLBACK");
  EXPECT_EQ(PagesShowing("z"), Urls{});
  EXPECT_EQ(PagesShowing("a"), (Urls{"/", "/posts/a/"}));
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                            "name = 'state_comment_deps_by_url'")
                .getInt(),
            1);
}

// The common case of a comment: its listing pages are rendered again and
// still show the same posts. Nothing is written for them.
TEST_F(CommentDeps, PagesShowingTheSamePostsWriteNothing) {
  EXPECT_EQ(RowsWritten({{"/", {"b", "a", "a"}}, {"/tags/x/", {"c", "b"}}}, {}), 0);
  EXPECT_EQ(PagesShowing("a"), (Urls{"/", "/posts/a/"}));
}

TEST_F(CommentDeps, APageShowingOtherPostsWritesOnlyTheDifference) {
  // "/" drops a and shows c: one row deleted, one inserted.
  EXPECT_EQ(RowsWritten({{"/", {"b", "c"}}}, {}), 2);
  EXPECT_EQ(PagesShowing("a"), Urls{"/posts/a/"});
  EXPECT_EQ(PagesShowing("c"), (Urls{"/", "/tags/x/"}));
  // A page that shows no comments any more keeps no row.
  EXPECT_EQ(RowsWritten({{"/posts/a/", {}}}, {}), 1);
  EXPECT_EQ(PagesShowing("a"), Urls{});
}

TEST_F(CommentDeps, ARemovedPageLeavesTheIndex) {
  EXPECT_EQ(RowsWritten({}, {"/tags/x/"}), 2);
  EXPECT_EQ(PagesShowing("b"), Urls{"/"});
  EXPECT_EQ(PagesShowing("c"), Urls{});
  bool complete = false;
  ASSERT_TRUE(CommentIndexIsComplete(db_.get(), &complete).ok());
  EXPECT_TRUE(complete);
}

}  // namespace
}  // namespace kiln
