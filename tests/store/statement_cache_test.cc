// Kept statements (store/statement_cache.h): a StoreConnection prepares each
// SQL text once; a Query that ends leaves its statement as a finalized one
// would (no binding, no read snapshot held); two uses of one text at once
// get two statements; the cache is bounded; the connection still closes;
// on a plain connection nothing is kept. And the transactions whose BEGIN
// and COMMIT go through it (store/write_transaction.h).
#include "store/statement_cache.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "store/database.h"
#include "store/write_transaction.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::TempDir;

std::unique_ptr<StoreConnection> OpenKept(const std::filesystem::path& path) {
  std::unique_ptr<StoreConnection> db;
  const Status s = OpenDatabase(path, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return db;
}

std::unique_ptr<SQLite::Database> OpenPlain(const std::filesystem::path& path) {
  std::unique_ptr<SQLite::Database> db;
  const Status s = OpenDatabase(path, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return db;
}

int64_t CountRows(SQLite::Database& db) {
  Query q(db, "SELECT count(*) FROM t");
  EXPECT_TRUE(q.executeStep());
  return q.getColumn(0).getInt64();
}

// How many of this process's descriptors are open on `file`.
int OpenDescriptorsOn(const std::filesystem::path& file) {
  int n = 0;
  const std::string target = std::filesystem::canonical(file).string();
  DIR* dir = ::opendir("/proc/self/fd");
  if (!dir) return -1;
  while (dirent* entry = ::readdir(dir)) {
    char link[4096];
    const std::string path = std::string("/proc/self/fd/") + entry->d_name;
    const ssize_t len = ::readlink(path.c_str(), link, sizeof(link) - 1);
    if (len > 0 && std::string(link, static_cast<size_t>(len)) == target) ++n;
  }
  ::closedir(dir);
  return n;
}

TEST(StatementCache, EachTextIsPreparedOnceOnAStoreConnection) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER)");
  for (int i = 0; i < 5; ++i) {
    Query insert(*db, "INSERT INTO t VALUES (?)");
    insert.bind(1, i);
    insert.exec();
  }
  EXPECT_EQ(CountRows(*db), 5);
  EXPECT_EQ(CountRows(*db), 5);
  // Two texts: the INSERT and the count.
  EXPECT_EQ(db->statements().size(), 2u);
  EXPECT_EQ(db->statements().prepared(), 2u);
  EXPECT_EQ(db->statements().reused(), 4u + 1u);
}

TEST(StatementCache, AKeptStatementComesBackWithoutItsBindings) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  {
    Query q(*db, "SELECT ?1 IS NULL, ?1");
    q.bind(1, 42);
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt(), 0);
    EXPECT_EQ(q.getColumn(1).getInt(), 42);
  }
  Query again(*db, "SELECT ?1 IS NULL, ?1");
  ASSERT_TRUE(again.executeStep());
  EXPECT_EQ(again.getColumn(0).getInt(), 1) << "the last use's binding was kept";
  EXPECT_EQ(db->statements().reused(), 1u);
}

// A statement left in the middle of its rows holds a read snapshot; a kept
// one that still held it would hide every later write from its connection.
TEST(StatementCache, AQueryLeftBeforeItsLastRowHoldsNoSnapshot) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2), (3)");
  {
    Query q(*db, "SELECT x FROM t ORDER BY x");
    ASSERT_TRUE(q.executeStep());  // one row of three, then leave
  }
  auto other = OpenPlain(dir / "kiln.db");
  other->exec("INSERT INTO t VALUES (4)");
  EXPECT_EQ(CountRows(*db), 4);
  // And the kept statement starts again from its first row.
  Query q(*db, "SELECT x FROM t ORDER BY x");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getInt(), 1);
}

TEST(StatementCache, TwoUsesOfOneTextAtOnceGetTwoStatements) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1), (2)");
  const char* sql = "SELECT x FROM t WHERE x >= ? ORDER BY x";
  Query outer(*db, sql);
  outer.bind(1, 1);
  std::vector<std::pair<int, int>> pairs;
  while (outer.executeStep()) {
    Query inner(*db, sql);  // the kept one is in use: a statement of its own
    inner.bind(1, outer.getColumn(0).getInt());
    while (inner.executeStep())
      pairs.emplace_back(outer.getColumn(0).getInt(), inner.getColumn(0).getInt());
  }
  EXPECT_EQ(pairs, (std::vector<std::pair<int, int>>{{1, 1}, {1, 2}, {2, 2}}));
  EXPECT_EQ(db->statements().size(), 1u);
}

TEST(StatementCache, KeepsAtMostItsBoundAndStillAnswersBeyondIt) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  const size_t texts = StatementCache::kMaxStatements + 20;
  for (size_t i = 0; i < texts; ++i) {
    Query q(*db, "SELECT " + std::to_string(i));
    ASSERT_TRUE(q.executeStep());
    EXPECT_EQ(q.getColumn(0).getInt64(), static_cast<int64_t>(i));
  }
  EXPECT_EQ(db->statements().size(), StatementCache::kMaxStatements);
}

TEST(StatementCache, SqlThatDoesNotPrepareThrowsAndIsNotKept) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  EXPECT_THROW(Query(*db, "SELECT * FROM no_such_table"), SQLite::Exception);
  EXPECT_EQ(db->statements().size(), 0u);
  // Made now, the same text prepares and is kept.
  db->exec("CREATE TABLE no_such_table(x)");
  Query q(*db, "SELECT * FROM no_such_table");
  EXPECT_FALSE(q.executeStep());
  EXPECT_EQ(db->statements().size(), 1u);
}

// sqlite3_close fails while a statement is left: the connection, and its
// file descriptor, would stay open for good.
TEST(StatementCache, TheConnectionClosesWithItsStatementsKept) {
  TempDir dir;
  const auto file = dir / "kiln.db";
  auto db = OpenKept(file);
  db->exec("CREATE TABLE t(x INTEGER)");
  EXPECT_EQ(CountRows(*db), 0);
  ExecKept(*db, "INSERT INTO t VALUES (1)");
  ASSERT_GT(db->statements().size(), 0u);
  ASSERT_GT(OpenDescriptorsOn(file), 0);
  db.reset();
  EXPECT_EQ(OpenDescriptorsOn(file), 0);
}

TEST(StatementCache, APlainConnectionKeepsNothing) {
  TempDir dir;
  auto kept = OpenKept(dir / "kiln.db");
  auto plain = OpenPlain(dir / "kiln.db");
  plain->exec("CREATE TABLE t(x INTEGER)");
  for (int i = 0; i < 3; ++i) ExecKept(*plain, "INSERT INTO t VALUES (1)");
  EXPECT_EQ(CountRows(*plain), 3);
  // Nothing went to the other connection's cache either.
  EXPECT_EQ(kept->statements().size(), 0u);
  // The plain connection closes: its statements were finalized as used.
  plain.reset();
  EXPECT_EQ(CountRows(*kept), 3);
}

// The resident engine's connection is used by the build thread while the
// server's threads use their own; one connection may still be shared.
TEST(StatementCache, TwoThreadsShareOneConnection) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER)");
  std::atomic<int> failures{0};
  auto work = [&](int base) {
    for (int i = 0; i < 200; ++i) {
      try {
        Query insert(*db, "INSERT INTO t VALUES (?)");
        insert.bind(1, base + i);
        insert.exec();
        Query read(*db, "SELECT count(*) FROM t WHERE x = ?");
        read.bind(1, base + i);
        if (!read.executeStep() || read.getColumn(0).getInt() != 1) ++failures;
      } catch (const SQLite::Exception&) {
        ++failures;
      }
    }
  };
  std::thread a(work, 0), b(work, 1000);
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(CountRows(*db), 400);
  EXPECT_EQ(db->statements().size(), 3u);
}

TEST(KeptTransaction, RollsBackUnlessCommitted) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER)");
  {
    KeptTransaction tx(*db, KeptTransaction::Kind::kImmediate);
    ExecKept(*db, "INSERT INTO t VALUES (1)");
  }
  EXPECT_EQ(CountRows(*db), 0);
  {
    KeptTransaction tx(*db, KeptTransaction::Kind::kDeferred);
    ExecKept(*db, "INSERT INTO t VALUES (1)");
    tx.commit();
    EXPECT_THROW(tx.commit(), SQLite::Exception);
  }
  EXPECT_EQ(CountRows(*db), 1);
  // The same kept BEGIN, COMMIT and ROLLBACK serve again and again.
  for (int i = 0; i < 3; ++i) {
    KeptTransaction tx(*db, KeptTransaction::Kind::kImmediate);
    tx.commit();
  }
  EXPECT_EQ(sqlite3_get_autocommit(db->getHandle()), 1);
}

TEST(KeptTransaction, AWriteTransactionInsideAnotherLeavesTheCommitToIt) {
  TempDir dir;
  auto db = OpenKept(dir / "kiln.db");
  db->exec("CREATE TABLE t(x INTEGER)");
  {
    KeptTransaction outer(*db, KeptTransaction::Kind::kImmediate);
    {
      WriteTransaction inner(*db);
      ExecKept(*db, "INSERT INTO t VALUES (1)");
      inner.commit();  // joined: commits nothing
    }
    EXPECT_EQ(sqlite3_get_autocommit(db->getHandle()), 0);
  }  // the outer one rolls back
  EXPECT_EQ(CountRows(*db), 0);
  {
    WriteTransaction own(*db);
    ExecKept(*db, "INSERT INTO t VALUES (1)");
    own.commit();
  }
  EXPECT_EQ(CountRows(*db), 1);
}

}  // namespace
}  // namespace kiln
