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
    ASSERT_TRUE(kiln::CommentDeps()
                    .Update(db_.get(), /*reset=*/true,
                            {{"/", {"a", "b"}}, {"/posts/a/", {"a"}}, {"/tags/x/", {"b", "c"}}}, {})
                    .ok());
  }

  Urls PagesShowing(const std::string& post) {
    Urls urls;
    EXPECT_TRUE(kiln::CommentDeps().ReadPages(db_.get(), {post}, &urls).ok());
    return urls;
  }

  // Rows inserted, updated or deleted by the call.
  int RowsWritten(const std::map<std::string, std::vector<std::string>>& rendered,
                  const Urls& removed, bool reset = false) {
    const int before = sqlite3_total_changes(db_->getHandle());
    EXPECT_TRUE(kiln::CommentDeps().Update(db_.get(), reset, rendered, removed).ok());
    return sqlite3_total_changes(db_->getHandle()) - before;
  }

  bool Complete() {
    bool complete = false;
    EXPECT_TRUE(kiln::CommentDeps().IsComplete(db_.get(), &complete).ok());
    return complete;
  }

  bool HasIndexByUrl() {
    return db_->execAndGet(
                  "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                  "name = 'state_comment_deps_by_url'")
               .getInt() == 1;
  }

  // 40 pages, each showing its own post and the next one's: 80 rows.
  static std::map<std::string, std::vector<std::string>> ManyPages() {
    std::map<std::string, std::vector<std::string>> rendered;
    for (int i = 0; i < 40; ++i) {
      rendered["/page/" + std::to_string(i) + "/"] = {"p" + std::to_string(i),
                                                      "p" + std::to_string(i + 1)};
    }
    return rendered;
  }

  TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(CommentDeps, AResetIndexIsCompleteAndAnswersByPost) {
  bool complete = false;
  ASSERT_TRUE(kiln::CommentDeps().IsComplete(db_.get(), &complete).ok());
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
  ASSERT_TRUE(kiln::CommentDeps()
                  .Update(db_.get(), /*reset=*/true,
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
  ASSERT_TRUE(kiln::CommentDeps().IsComplete(db_.get(), &complete).ok());
  EXPECT_TRUE(complete);
  EXPECT_EQ(RowsWritten({{"/", {"b"}}}, {}), 1);  // c's row of "/" found by URL and deleted
  EXPECT_EQ(PagesShowing("c"), Urls{});
}

// A build that renders everything over an index that already says the
// same (`kiln build --full` of a site whose pages show the same posts)
// writes no row, and the index stays complete, by-URL index and all.
TEST_F(CommentDeps, AResetToTheSameIndexWritesNothing) {
  // Made again from nothing: the fixture's 6 rows deleted, 80 and the marker inserted.
  ASSERT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 6 + 81);
  EXPECT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 0);
  EXPECT_TRUE(Complete());
  EXPECT_TRUE(HasIndexByUrl());
  EXPECT_EQ(PagesShowing("p7"), (Urls{"/page/6/", "/page/7/"}));
}

// A few rows differ: only they are written, the index stays complete, and
// the next comment build finds the new row by URL.
TEST_F(CommentDeps, AResetThatDiffersInAFewRowsWritesOnlyThem) {
  ASSERT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 6 + 81);
  auto rendered = ManyPages();
  rendered["/page/3/"] = {"p3", "q"};  // p4's row gone, q's added
  rendered.erase("/page/39/");         // p39's and p40's rows gone
  rendered["/new/"] = {"a"};           // added
  EXPECT_EQ(RowsWritten(rendered, {}, /*reset=*/true), 5);
  EXPECT_TRUE(Complete());
  EXPECT_TRUE(HasIndexByUrl());
  EXPECT_EQ(PagesShowing("p4"), Urls{"/page/4/"});
  EXPECT_EQ(PagesShowing("q"), Urls{"/page/3/"});
  EXPECT_EQ(PagesShowing("p40"), Urls{});
  EXPECT_EQ(PagesShowing("a"), Urls{"/new/"});
  EXPECT_EQ(db_->execAndGet("SELECT count(*) FROM state_comment_deps").getInt(),
            80);  // 79 + marker
  // The next comment build finds the new row by URL.
  EXPECT_EQ(RowsWritten({{"/new/", {}}}, {}), 1);
  EXPECT_EQ(PagesShowing("a"), Urls{});
}

// A by-URL index gone missing (kiln.db edited by hand) is made again, as
// the reset that made the whole index again always did.
TEST_F(CommentDeps, AResetRestoresAMissingIndexByUrl) {
  ASSERT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 6 + 81);
  db_->exec("DROP INDEX state_comment_deps_by_url");
  ASSERT_FALSE(HasIndexByUrl());
  EXPECT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 0);
  EXPECT_TRUE(HasIndexByUrl());
  EXPECT_TRUE(Complete());
}

// An index not known complete (a crash between a reset and its marker, a
// file from an older kiln) is made again from nothing, even when its rows
// happen to be the right ones.
TEST_F(CommentDeps, AResetOfAnIncompleteIndexMakesItAgain) {
  ASSERT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 6 + 81);
  db_->exec("DELETE FROM state_comment_deps WHERE post = '' AND url = ''");
  ASSERT_FALSE(Complete());
  EXPECT_EQ(RowsWritten(ManyPages(), {}, /*reset=*/true), 80 + 81);  // all deleted, all inserted
  EXPECT_TRUE(Complete());
  EXPECT_TRUE(HasIndexByUrl());
  EXPECT_EQ(PagesShowing("p7"), (Urls{"/page/6/", "/page/7/"}));
}

// A full build that fails after the index was reset rolls back its
// transaction: the old rows come back, and the by-URL index with them.
TEST_F(CommentDeps, AResetRolledBackLeavesTheIndexAsItWas) {
  db_->exec("BEGIN");
  ASSERT_TRUE(kiln::CommentDeps().Update(db_.get(), /*reset=*/true, {{"/other/", {"z"}}}, {}).ok());
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
  ASSERT_TRUE(kiln::CommentDeps().IsComplete(db_.get(), &complete).ok());
  EXPECT_TRUE(complete);
}

}  // namespace
}  // namespace kiln
