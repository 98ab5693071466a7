// Hits kiln serve records for `kiln stats` (issue 9): flushes add up, and
// old samples are dropped.
#include "store/page_hits.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

class PageHitsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(OpenDatabase(dir_.path() / "kiln.db", &db_).ok()); }
  unit::TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

TEST_F(PageHitsTest, FlushesAddUp) {
  ASSERT_TRUE(RecordHits(db_.get(), {{"/", 3, 1, 1}, {"/posts/a/", 1, 0, 0}}, {}, 1000).ok());
  ASSERT_TRUE(RecordHits(db_.get(), {{"/", 4, 0, 1}}, {}, 1005).ok());
  std::vector<PageHitRow> rows;
  ASSERT_TRUE(ReadPageHits(db_.get(), 10, &rows).ok());
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].url, "/");
  EXPECT_EQ(rows[0].hits, 7);
  EXPECT_EQ(rows[0].not_modified, 1);
  EXPECT_EQ(rows[0].regenerations, 2);
  EXPECT_EQ(rows[0].last_seen_at, "1970-01-01T00:16:45Z");
  EXPECT_EQ(rows[1].url, "/posts/a/");
}

TEST_F(PageHitsTest, SamplesAreKeptInOrderAndOldOnesDropped) {
  ServeSample old{100, 5, 1, 1, 0, 0, 0, 0, 0};
  ServeSample a{kSampleRetentionSeconds + 200, 5, 9, 8, 1, 1, 1, 12.5, 12.5};
  ServeSample b{kSampleRetentionSeconds + 205, 5, 2, 2, 0, 0, 0, 0, 0};
  ASSERT_TRUE(RecordHits(db_.get(), {}, {old}, 105).ok());
  ASSERT_TRUE(RecordHits(db_.get(), {}, {a, b}, kSampleRetentionSeconds + 205).ok());
  std::vector<ServeSample> samples;
  ASSERT_TRUE(ReadServeSamples(db_.get(), 10, &samples).ok());
  ASSERT_EQ(samples.size(), 2u);  // `old` is past the retention
  EXPECT_EQ(samples[0].at, a.at);
  EXPECT_EQ(samples[0].hits, 8);
  EXPECT_DOUBLE_EQ(samples[0].comment_ms_sum, 12.5);
  EXPECT_EQ(samples[1].at, b.at);
}

// A flush that cannot get the write lock fails and writes nothing, so the
// recorder can keep its figures for the next one.
TEST_F(PageHitsTest, LockedStoreWritesNothing) {
  SQLite::Database other((dir_.path() / "kiln.db").string(), SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  db_->setBusyTimeout(10);
  EXPECT_FALSE(RecordHits(db_.get(), {{"/", 1, 0, 0}}, {}, 1000).ok());
  other.exec("ROLLBACK");
  std::vector<PageHitRow> rows;
  ASSERT_TRUE(ReadPageHits(db_.get(), 10, &rows).ok());
  EXPECT_TRUE(rows.empty());
}

}  // namespace
}  // namespace kiln
