// Comment records (engine/comment_records.h): a post's fingerprint and count
// of published comments. Many posts are read in one scan, few one by one;
// both must give the same records, and the scan hands its comments over.
#include "engine/comment_records.h"

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

class CommentRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(OpenDatabase(dir_ / "kiln.db", &db_).ok()); }
  // `posts` posts with i % 3 published comments each, and one pending.
  void AddComments(int posts) {
    SQLite::Transaction tx(*db_);
    for (int i = 0; i < posts; ++i) {
      const std::string post = "p" + std::to_string(i);
      for (int c = 0; c < i % 3; ++c) {
        db_->exec("INSERT INTO comments(post, author, body) VALUES ('" + post + "', 'a', 'c" +
                  std::to_string(c) + "')");
      }
      db_->exec("INSERT INTO comments(post, author, body, status) VALUES ('" + post + "', 'a', 'x', 'pending')");
    }
    tx.commit();
  }

  unit::TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(CommentRecordsTest, OneScanGivesTheRecordsOfOneQueryPerPost) {
  const int posts = static_cast<int>(kScanAllCommentsFrom) + 10;
  AddComments(posts);
  CommentStore store(db_.get());
  std::map<std::string, CommentRecord> scanned;
  std::map<std::string, std::vector<Comment>> read;
  bool read_all = false;
  ASSERT_TRUE(RefreshCommentRecords(&store, {}, /*force=*/true, &scanned, &read, &read_all).ok());
  EXPECT_TRUE(read_all);
  ASSERT_EQ(scanned.size(), static_cast<size_t>(posts));

  // The same posts, a few at a time: each read by its own query.
  std::map<std::string, CommentRecord> one_by_one, old;
  for (int i = 0; i < posts; ++i) {
    const std::string post = "p" + std::to_string(i);
    ASSERT_TRUE(RefreshCommentRecordsOf(&store, {post}, &one_by_one, &old).ok());
  }
  ASSERT_EQ(one_by_one.size(), scanned.size());
  for (const auto& [post, record] : scanned) {
    SCOPED_TRACE(post);
    EXPECT_EQ(record.version, one_by_one[post].version);
    EXPECT_EQ(record.fingerprint, one_by_one[post].fingerprint);
    EXPECT_EQ(record.count, one_by_one[post].count);
    const auto it = read.find(post);
    EXPECT_EQ(it == read.end() ? 0 : static_cast<int64_t>(it->second.size()), record.count);
  }
}

TEST_F(CommentRecordsTest, FewPostsAreReadOneByOneAndHandOverNothing) {
  AddComments(5);
  CommentStore store(db_.get());
  std::map<std::string, CommentRecord> records;
  std::map<std::string, std::vector<Comment>> read;
  bool read_all = false;
  ASSERT_TRUE(RefreshCommentRecords(&store, {}, /*force=*/true, &records, &read, &read_all).ok());
  EXPECT_FALSE(read_all);
  EXPECT_TRUE(read.empty());
  EXPECT_EQ(records.size(), 5u);
  EXPECT_EQ(records["p2"].count, 2);
}

}  // namespace
}  // namespace kiln
