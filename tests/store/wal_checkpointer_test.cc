// The server's WAL checkpoints, moved off the commits of its requests
// (store/wal_checkpointer.h): a commit past the threshold wakes the thread,
// which copies the WAL into kiln.db; a commit below it does not; and a
// kiln.db deleted meanwhile is not created again.
#include "store/wal_checkpointer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "store/database.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::TempDir;

std::unique_ptr<SQLite::Database> OpenStoreForCheckpoints(const std::filesystem::path& path) {
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenDatabase(path, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return db;
}

// Commits rows of a kilobyte each, one transaction: four to a 4 KB page.
void CommitRows(SQLite::Database* db, int rows) {
  db->exec("CREATE TABLE IF NOT EXISTS filler(id INTEGER PRIMARY KEY, text TEXT)");
  SQLite::Transaction tx(*db);
  SQLite::Statement insert(*db, "INSERT INTO filler(text) VALUES (?)");
  for (int i = 0; i < rows; ++i) {
    insert.bind(1, std::string(1000, static_cast<char>('a' + i % 26)));
    insert.exec();
    insert.reset();
  }
  tx.commit();
}

bool WaitForCheckpoints(const WalCheckpointer& checkpointer, int64_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (checkpointer.checkpoints() < n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// What a checkpoint changes that can be seen from outside: the pages move
// from kiln.db-wal into kiln.db, which grows.
uintmax_t MainFileSize(const std::filesystem::path& db) { return std::filesystem::file_size(db); }

TEST(WalCheckpointer, ACommitPastTheThresholdIsCheckpointedOnItsThread) {
  TempDir dir;
  WalCheckpointer checkpointer(dir / "kiln.db", /*threshold_pages=*/50);
  auto db = OpenStoreForCheckpoints(dir / "kiln.db");
  checkpointer.Attach(db.get());
  CommitRows(db.get(), 5);
  EXPECT_EQ(checkpointer.checkpoints(), 0);  // below the threshold
  const uintmax_t before = MainFileSize(dir / "kiln.db");
  CommitRows(db.get(), 400);  // about 100 pages
  ASSERT_TRUE(WaitForCheckpoints(checkpointer, 1));
  EXPECT_GT(MainFileSize(dir / "kiln.db"), before + 300 * 1000);
  SQLite::Statement count(*db, "SELECT count(*) FROM filler");
  ASSERT_TRUE(count.executeStep());
  EXPECT_EQ(count.getColumn(0).getInt(), 405);
}

// SQLite's own automatic checkpoint runs inside the commit that passes
// 1,000 pages: a connection attached no longer does it.
TEST(WalCheckpointer, AnAttachedConnectionNoLongerCheckpointsInItsCommit) {
  TempDir dir;
  WalCheckpointer checkpointer(dir / "kiln.db", /*threshold_pages=*/1'000'000);
  auto db = OpenStoreForCheckpoints(dir / "kiln.db");
  checkpointer.Attach(db.get());
  CommitRows(db.get(), 6000);  // about 1,500 pages: past SQLite's 1,000
  EXPECT_EQ(checkpointer.checkpoints(), 0);
  EXPECT_LT(MainFileSize(dir / "kiln.db"), 1'000'000u);  // the rows are all in the WAL

  TempDir other;
  auto plain = OpenStoreForCheckpoints(other / "kiln.db");
  CommitRows(plain.get(), 6000);
  EXPECT_GT(MainFileSize(other / "kiln.db"), 5'000'000u);  // checkpointed by the commit
}

TEST(WalCheckpointer, ADeletedStoreIsNotCreatedAgain) {
  TempDir dir;
  WalCheckpointer checkpointer(dir / "kiln.db", /*threshold_pages=*/50);
  auto db = OpenStoreForCheckpoints(dir / "kiln.db");
  checkpointer.Attach(db.get());
  std::filesystem::remove(dir / "kiln.db");
  CommitRows(db.get(), 200);
  ASSERT_TRUE(WaitForCheckpoints(checkpointer, 1));
  EXPECT_FALSE(std::filesystem::exists(dir / "kiln.db"));
}

uintmax_t WalFileSize(const std::filesystem::path& db) {
  return std::filesystem::file_size(db.string() + "-wal");
}

// The first commit after a checkpoint starts the log over. With the limit
// OpenDatabase sets (zero), SQLite cuts kiln.db-wal back there, freeing its
// blocks inside that commit; a connection given KeepWalFileBetweenCheckpoints
// (the server's) writes the log over in place. Either way, the last
// connection's close leaves it empty (store/database.cc says why).
uintmax_t WalSizeAfterACommitThatStartsTheLogOver(bool keep, const std::filesystem::path& path,
                                                  uintmax_t* grown_to) {
  WalCheckpointer checkpointer(path, /*threshold_pages=*/50);
  auto db = OpenStoreForCheckpoints(path);
  checkpointer.Attach(db.get());
  if (keep) KeepWalFileBetweenCheckpoints(db.get());
  CommitRows(db.get(), 400);  // about 100 pages, then a checkpoint of them all
  EXPECT_TRUE(WaitForCheckpoints(checkpointer, 1));
  *grown_to = WalFileSize(path);
  CommitRows(db.get(), 4);  // one page or two, at the start of the log
  const uintmax_t size = WalFileSize(path);
  db.reset();
  EXPECT_EQ(WalFileSize(path), 0u) << "the close empties kiln.db-wal";
  return size;
}

TEST(WalCheckpointer, AConnectionThatKeepsItsWalWritesTheLogOverInPlace) {
  TempDir dir;
  uintmax_t grown_to = 0;
  EXPECT_EQ(WalSizeAfterACommitThatStartsTheLogOver(true, dir / "kiln.db", &grown_to), grown_to);
  EXPECT_GT(grown_to, 300u * 1000);

  TempDir other;
  EXPECT_LT(WalSizeAfterACommitThatStartsTheLogOver(false, other / "kiln.db", &grown_to),
            grown_to / 4);
}

}  // namespace
}  // namespace kiln
