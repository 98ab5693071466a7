#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/build_history.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::ReadFileOrEmpty;
using unit::TempDir;
using unit::WriteFileOrDie;

std::unique_ptr<SQLite::Database> OpenOrDie(const std::filesystem::path& path) {
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenDatabase(path, &db);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return db;
}

int64_t Version(SQLite::Database& db, const std::string& post) {
  SQLite::Statement q(db, "SELECT version FROM comment_versions WHERE post = ?");
  q.bind(1, post);
  return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

class DatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = OpenOrDie(dir_ / "kiln.db"); }
  TempDir dir_;
  std::unique_ptr<SQLite::Database> db_;
};

// ConfigureSqlite ran before SQLite's first use (tests/sqlite_setup.cc, as
// main() does for the binary): SQLite keeps no memory statistics, so it
// takes no global lock per allocation, and reports none.
TEST_F(DatabaseTest, SqliteKeepsNoMemoryStatistics) {
  db_->exec("CREATE TABLE t(x TEXT); INSERT INTO t VALUES (printf('%.*c', 100000, 'x'))");
  SQLite::Statement q(*db_, "SELECT x FROM t");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString().size(), 100000u);
  EXPECT_EQ(sqlite3_memory_used(), 0);
  EXPECT_EQ(sqlite3_memory_highwater(0), 0);
}

TEST_F(DatabaseTest, CreatesSchemaAtCurrentVersion) {
  EXPECT_EQ(db_->execAndGet("PRAGMA user_version").getInt(), kSchemaVersion);
  EXPECT_TRUE(db_->tableExists("comments"));
  EXPECT_TRUE(db_->tableExists("comment_versions"));
  EXPECT_TRUE(db_->tableExists("build_history"));
}

TEST_F(DatabaseTest, PlainSqlInsertOfSpecWorks) {
  // SPEC.md "Comments": this exact statement must work.
  db_->exec("INSERT INTO comments(post, author, body, created_at) "
            "VALUES ('some-slug', 'Ada', 'Nice *post*', '2026-11-26T10:00:00Z')");
  SQLite::Statement q(*db_, "SELECT status, email, modified_at, parent, id FROM comments");
  ASSERT_TRUE(q.executeStep());
  EXPECT_EQ(q.getColumn(0).getString(), "published");  // whoever writes SQL is trusted
  EXPECT_EQ(q.getColumn(1).getString(), "");
  EXPECT_FALSE(q.getColumn(2).getString().empty());
  EXPECT_TRUE(q.getColumn(3).isNull());
  EXPECT_EQ(q.getColumn(4).getInt64(), 1);
}

TEST_F(DatabaseTest, InsertWithoutCreatedAtGetsNow) {
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'b')");
  std::string created = db_->execAndGet("SELECT created_at FROM comments").getString();
  EXPECT_EQ(created.size(), 20u) << created;  // 2026-11-26T10:00:00Z
  EXPECT_EQ(created.back(), 'Z');
}

TEST_F(DatabaseTest, StatusCheckRefusesUnknownValues) {
  EXPECT_THROW(db_->exec("INSERT INTO comments(post, author, body, status) "
                         "VALUES ('p', 'a', 'b', 'deleted')"),
               SQLite::Exception);
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'b')");
  EXPECT_THROW(db_->exec("UPDATE comments SET status = 'Published'"), SQLite::Exception);
}

TEST_F(DatabaseTest, RequiredColumnsAreNotNull) {
  EXPECT_THROW(db_->exec("INSERT INTO comments(post, body) VALUES ('p', 'b')"), SQLite::Exception);
  EXPECT_THROW(db_->exec("INSERT INTO comments(author, body) VALUES ('a', 'b')"), SQLite::Exception);
}

TEST_F(DatabaseTest, TriggerBumpsVersionOnPlainSqlInsertUpdateDelete) {
  // SPEC.md: UPDATE and DELETE by plain SQL are picked up too.
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'b')");
  EXPECT_EQ(Version(*db_, "p"), 1);
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'c')");
  EXPECT_EQ(Version(*db_, "p"), 2);
  db_->exec("UPDATE comments SET body = 'edited' WHERE id = 1");
  EXPECT_EQ(Version(*db_, "p"), 3);
  db_->exec("DELETE FROM comments WHERE id = 2");
  EXPECT_EQ(Version(*db_, "p"), 4);
  EXPECT_EQ(Version(*db_, "other"), 0);
}

TEST_F(DatabaseTest, UpdateMovingACommentBumpsBothPosts) {
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('from', 'a', 'b')");
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('to', 'a', 'b')");
  db_->exec("UPDATE comments SET post = 'to' WHERE id = 1");
  EXPECT_EQ(Version(*db_, "from"), 2);
  EXPECT_EQ(Version(*db_, "to"), 2);
}

TEST_F(DatabaseTest, UpdateMovingToANewPostCreatesItsVersion) {
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('from', 'a', 'b')");
  db_->exec("UPDATE comments SET post = 'fresh' WHERE id = 1");
  EXPECT_EQ(Version(*db_, "fresh"), 1);
  EXPECT_EQ(Version(*db_, "from"), 2);
}

TEST_F(DatabaseTest, MultiRowStatementsBumpPerRow) {
  db_->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', '1'), ('p', 'a', '2'), "
            "('q', 'a', '3')");
  db_->exec("DELETE FROM comments");
  EXPECT_EQ(Version(*db_, "p"), 4);
  EXPECT_EQ(Version(*db_, "q"), 2);
}

TEST(Database, OpeningTwiceIsIdempotent) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir / "kiln.db");
    db->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'kept')");
  }
  auto db = OpenOrDie(dir / "kiln.db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->execAndGet("SELECT body FROM comments").getString(), "kept");
  EXPECT_EQ(db->execAndGet("PRAGMA user_version").getInt(), kSchemaVersion);
}

// Schema 5 (issue 8, `kiln import`): a store of schema 4 gains
// comment_imports and keeps its comments.
TEST(Database, Schema4MigratesToCommentImports) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir / "kiln.db");
    db->exec("DROP TABLE comment_imports");
    db->exec("ALTER TABLE build_history DROP COLUMN writer");
    db->exec("PRAGMA user_version=4");
    db->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'kept')");
  }
  auto db = OpenOrDie(dir / "kiln.db");
  EXPECT_EQ(db->execAndGet("PRAGMA user_version").getInt(), kSchemaVersion);
  EXPECT_EQ(db->execAndGet("SELECT body FROM comments").getString(), "kept");
  db->exec("INSERT INTO comment_imports(source, source_id, comment_id) VALUES ('disqus', '1', 1)");
  EXPECT_THROW(db->exec("INSERT INTO comment_imports(source, source_id, comment_id) VALUES ('disqus', '1', 2)"),
               SQLite::Exception);
}

TEST(Database, Schema5MigratesToBuildHistoryWriter) {
  TempDir dir;
  {
    auto db = OpenOrDie(dir / "kiln.db");
    db->exec("ALTER TABLE build_history DROP COLUMN writer");
    db->exec("PRAGMA user_version=5");
    db->exec("INSERT INTO build_history(finished_at, full, duration_ms, pages, rendered, unchanged, written, "
             "removed) VALUES ('2026-01-01T00:00:00Z', 1, 5, 3, 3, 0, 3, 0)");
  }
  auto db = OpenOrDie(dir / "kiln.db");
  EXPECT_EQ(db->execAndGet("PRAGMA user_version").getInt(), 6);
  // The old row is kept, recorded by no known process.
  EXPECT_EQ(db->execAndGet("SELECT count(*) FROM build_history WHERE writer IS NULL AND written = 3").getInt(), 1);
  BuildFigures figures;
  figures.finished_at = "2026-01-02T00:00:00Z";
  ASSERT_TRUE(RecordBuild(db.get(), figures).ok());
  EXPECT_EQ(db->execAndGet("SELECT writer FROM build_history ORDER BY id DESC LIMIT 1").getInt64(),
            ProcessWriterId());
}

TEST(Database, TwoOpenHandlesAtOnce) {
  // The server and a `kiln comment add` may open the store together.
  TempDir dir;
  auto a = OpenOrDie(dir / "kiln.db");
  auto b = OpenOrDie(dir / "kiln.db");
  a->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'x')");
  EXPECT_EQ(b->execAndGet("SELECT count(*) FROM comments").getInt(), 1);
}

// Once the last connection closes, kiln.db alone holds everything (a copy
// of it is a whole backup), and its WAL file stays, empty: no unlink and
// re-create with a directory sync on every build.
TEST(Database, ClosedStoreIsWholeInItsMainFileAndKeepsAnEmptyWal) {
  TempDir dir;
  OpenOrDie(dir / "kiln.db")->exec("INSERT INTO comments(post, author, body) VALUES ('p', 'a', 'kept')");
  ASSERT_TRUE(std::filesystem::exists(dir / "kiln.db-wal"));
  EXPECT_EQ(std::filesystem::file_size(dir / "kiln.db-wal"), 0u);
  std::filesystem::create_directory(dir / "copy");
  std::filesystem::copy_file(dir / "kiln.db", dir / "copy" / "kiln.db");
  SQLite::Database copy((dir / "copy" / "kiln.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(copy.execAndGet("SELECT body FROM comments").getString(), "kept");
}

TEST(Database, NotADatabaseIsAnErrorAndUntouched) {
  // It holds comments: never overwrite what cannot be read.
  TempDir dir;
  const std::string bytes = "this is not a sqlite database, just text that is long enough\n";
  WriteFileOrDie(dir / "kiln.db", bytes);
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenDatabase(dir / "kiln.db", &db);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.file(), (dir / "kiln.db").string());
  EXPECT_EQ(db, nullptr);
  EXPECT_EQ(ReadFileOrEmpty(dir / "kiln.db"), bytes);
  EXPECT_FALSE(std::filesystem::exists(dir / "kiln.db-wal"));
}

TEST(Database, EmptyFileBecomesANewStore) {
  // What `touch kiln.db` makes: SQLite treats a zero-length file as empty.
  TempDir dir;
  WriteFileOrDie(dir / "kiln.db", "");
  auto db = OpenOrDie(dir / "kiln.db");
  ASSERT_NE(db, nullptr);
  EXPECT_TRUE(db->tableExists("comments"));
}

TEST(Database, NewerSchemaIsRefused) {
  TempDir dir;
  {
    SQLite::Database raw((dir / "kiln.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
  }
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenDatabase(dir / "kiln.db", &db);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  EXPECT_EQ(db, nullptr);
}

// BUG (reported): OpenDatabase runs PRAGMA journal_mode=WAL before it reads
// user_version, so refusing a newer kiln's database still rewrites bytes
// 18-19 of its header (rollback journal -> WAL). Expected: byte-for-byte
// untouched (database.h: "left untouched: it holds comments").
TEST(Database, NewerSchemaIsRefusedUntouched) {
  TempDir dir;
  {
    SQLite::Database raw((dir / "kiln.db").string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("CREATE TABLE comments(x); INSERT INTO comments VALUES (1);");
    raw.exec("PRAGMA user_version=" + std::to_string(kSchemaVersion + 1));
  }
  const std::string bytes = ReadFileOrEmpty(dir / "kiln.db");
  std::unique_ptr<SQLite::Database> db;
  Status s = OpenDatabase(dir / "kiln.db", &db);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("newer"), std::string::npos) << s.message();
  EXPECT_EQ(db, nullptr);
  EXPECT_EQ(ReadFileOrEmpty(dir / "kiln.db"), bytes);
}

TEST(Database, MissingFolderIsAnError) {
  TempDir dir;
  std::unique_ptr<SQLite::Database> db;
  EXPECT_FALSE(OpenDatabase(dir / "no/such/dir/kiln.db", &db).ok());
}

}  // namespace
}  // namespace kiln
