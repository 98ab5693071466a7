#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <mutex>

#include "store/statement_cache.h"

namespace kiln {
namespace {

// Implementation details: the schema is created in steps keyed by
// PRAGMA user_version (docs/store-format.md). Each step runs in one
// transaction, so a crash mid-migration leaves the previous version intact.
// Tables prefixed state_ are the build state, a cache owned by
// store/build_state.cc, versioned there and never migrated: dropped instead.

const char* const kSchemaV1 = R"sql(
CREATE TABLE comments(
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  post        TEXT NOT NULL,
  author      TEXT NOT NULL,
  email       TEXT NOT NULL DEFAULT '',
  body        TEXT NOT NULL,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  modified_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
  status      TEXT NOT NULL DEFAULT 'published'
              CHECK (status IN ('published', 'pending', 'spam')),
  parent      INTEGER DEFAULT NULL,
  client_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comments_by_post ON comments(post, status, created_at, id);
CREATE INDEX comments_by_client ON comments(client_addr, created_at);

-- One row per post that ever had a comment; bumped by every change so a
-- build asks "which posts' comments changed?" without reading comments.
CREATE TABLE comment_versions(
  post    TEXT PRIMARY KEY,
  version INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER comments_after_insert AFTER INSERT ON comments BEGIN
  INSERT INTO comment_versions(post, version) VALUES (NEW.post, 1)
    ON CONFLICT(post) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER comments_after_update AFTER UPDATE ON comments BEGIN
  INSERT INTO comment_versions(post, version) VALUES (OLD.post, 1)
    ON CONFLICT(post) DO UPDATE SET version = version + 1;
  INSERT INTO comment_versions(post, version) SELECT NEW.post, 1 WHERE NEW.post <> OLD.post
    ON CONFLICT(post) DO UPDATE SET version = version + 1;
END;
CREATE TRIGGER comments_after_delete AFTER DELETE ON comments BEGIN
  INSERT INTO comment_versions(post, version) VALUES (OLD.post, 1)
    ON CONFLICT(post) DO UPDATE SET version = version + 1;
END;

-- Figures of every build, for `kiln stats`.
CREATE TABLE build_history(
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  finished_at TEXT NOT NULL,
  full        INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  pages       INTEGER NOT NULL,
  rendered    INTEGER NOT NULL,
  unchanged   INTEGER NOT NULL,
  written     INTEGER NOT NULL,
  removed     INTEGER NOT NULL
);
CREATE TABLE build_history_kinds(
  build_id INTEGER NOT NULL REFERENCES build_history(id) ON DELETE CASCADE,
  kind     TEXT NOT NULL,
  rendered INTEGER NOT NULL,
  reused   INTEGER NOT NULL,
  PRIMARY KEY (build_id, kind)
) WITHOUT ROWID;
)sql";

// v2: INSERT OR REPLACE by plain SQL deletes the row it replaces without
// firing the delete trigger (SQLite fires it only with recursive_triggers),
// so a REPLACE that moved a comment to another post left the old post's
// version alone. This trigger bumps the post of the row about to be replaced.
const char* const kSchemaV2 = R"sql(
CREATE TRIGGER comments_before_replace BEFORE INSERT ON comments WHEN NEW.id IS NOT NULL BEGIN
  INSERT INTO comment_versions(post, version) SELECT post, 1 FROM comments WHERE id = NEW.id
    ON CONFLICT(post) DO UPDATE SET version = version + 1;
END;
)sql";

// v3: a change log beside the versions. Every change to a comment appends
// (seq, post) here, so "did any comment change since the last build?" is
// one read of the largest rowid, and "which posts?" one range scan of the
// primary key (issue 6). Builds delete the rows they have consumed.
const char* const kSchemaV3 = R"sql(
CREATE TABLE comment_changes(
  seq  INTEGER PRIMARY KEY AUTOINCREMENT,
  post TEXT NOT NULL
);
CREATE TRIGGER comment_changes_after_insert AFTER INSERT ON comments BEGIN
  INSERT INTO comment_changes(post) VALUES (NEW.post);
END;
CREATE TRIGGER comment_changes_after_update AFTER UPDATE ON comments BEGIN
  INSERT INTO comment_changes(post) VALUES (OLD.post);
  INSERT INTO comment_changes(post) SELECT NEW.post WHERE NEW.post <> OLD.post;
END;
CREATE TRIGGER comment_changes_after_delete AFTER DELETE ON comments BEGIN
  INSERT INTO comment_changes(post) VALUES (OLD.post);
END;
CREATE TRIGGER comment_changes_before_replace BEFORE INSERT ON comments WHEN NEW.id IS NOT NULL BEGIN
  INSERT INTO comment_changes(post) SELECT post FROM comments WHERE id = NEW.id;
END;
-- A first row, so that a database migrated with comments already in it
-- reads as "changed" by a build that has not seen the log yet.
INSERT INTO comment_changes(post) VALUES ('');
)sql";

// v4: what kiln serve saw readers request (issue 9, "hit monitoring,
// live"), flushed every few seconds by serve/hit_recorder.h: hits and
// regenerations per page for `kiln stats`, and one row per flush interval
// for the charts of /_kiln/stats.
const char* const kSchemaV4 = R"sql(
CREATE TABLE page_hits(
  url           TEXT PRIMARY KEY,
  hits          INTEGER NOT NULL DEFAULT 0,  -- 200, 206 and 304 answers
  not_modified  INTEGER NOT NULL DEFAULT 0,  -- of which 304
  regenerations INTEGER NOT NULL DEFAULT 0,  -- renders by builds inside kiln serve
  last_seen_at  TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE TABLE serve_samples(
  at             INTEGER PRIMARY KEY,  -- UTC seconds at the end of the interval
  seconds        INTEGER NOT NULL,     -- the interval's length
  requests       INTEGER NOT NULL,
  hits           INTEGER NOT NULL,
  regenerations  INTEGER NOT NULL,
  builds         INTEGER NOT NULL,
  comments       INTEGER NOT NULL,
  comment_ms_sum REAL NOT NULL,
  comment_ms_max REAL NOT NULL
);
)sql";

// v5: where imported comments came from (issue 8, `kiln import`): one row
// per comment of a Disqus export or an Isso database that was imported, so
// importing the same file again adds nothing. No foreign key to comments: a
// comment deleted after its import stays deleted when the file is imported
// again (the row still says "already imported").
const char* const kSchemaV5 = R"sql(
CREATE TABLE comment_imports(
  source     TEXT NOT NULL,     -- 'disqus' or 'isso'
  source_id  TEXT NOT NULL,     -- the comment's id in that source
  comment_id INTEGER NOT NULL,  -- comments.id it became
  PRIMARY KEY (source, source_id)
) WITHOUT ROWID;
)sql";

// v6: which process recorded a build (store/build_history.h,
// ProcessWriterId). A running `kiln serve` tells its own builds from those
// of a `kiln build` run beside it by this column alone
// (serve/change_poller.h): its own row is committed before the server
// learns the row's id, and a poll in between took it for another
// program's build (cleared the file cache and re-read every input).
const char* const kSchemaV6 = R"sql(
ALTER TABLE build_history ADD COLUMN writer INTEGER;
)sql";

const char* const kMigrations[] = {kSchemaV1, kSchemaV2, kSchemaV3, kSchemaV4, kSchemaV5, kSchemaV6};

// Either kind of connection: a plain SQLite::Database or a StoreConnection
// (store/statement_cache.h).
template <class Connection>
Status OpenAs(const std::filesystem::path& path, std::unique_ptr<Connection>* out) {
  const std::string name = path.string();
  try {
    auto db = std::make_unique<Connection>(name, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(kBusyTimeoutMs);
    // Before anything that writes (even the journal mode): a database from a
    // newer kiln is refused byte for byte untouched.
    int version = db->execAndGet("PRAGMA user_version").getInt();
    if (version > kSchemaVersion) {
      return Status::Invalid("written by a newer kiln (schema " + std::to_string(version) +
                                 ", this kiln knows " + std::to_string(kSchemaVersion) + ")",
                             name);
    }
    // WAL lets the server read while a build or another program writes.
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=NORMAL");
    // The WAL file stays when the last connection closes, truncated to zero
    // bytes after the closing checkpoint: every build would otherwise unlink
    // it and the -shm file and create them again (with a sync of the
    // folder), a few milliseconds of a 4,000-post no-op on a busy disk.
    // Empty, it can never replay old pages onto a kiln.db restored from a
    // backup, and kiln.db alone stays a whole copy of the store.
    int persist_wal = 1;
    sqlite3_file_control(db->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist_wal);
    db->exec("PRAGMA journal_size_limit=0");
    db->exec("PRAGMA foreign_keys=ON");
    for (int v = version; v < kSchemaVersion; ++v) {
      SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
      // Re-read inside the write lock: another process may have migrated.
      if (db->execAndGet("PRAGMA user_version").getInt() > v) continue;
      db->exec(kMigrations[v]);
      db->exec("PRAGMA user_version=" + std::to_string(v + 1));
      tx.commit();
    }
    *out = std::move(db);
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot open the store: ") + e.what(), name);
  }
}

}  // namespace

void ConfigureSqlite() {
  static std::once_flag once;
  std::call_once(once, [] {
    // SQLite counts its memory by default, under a global mutex taken for
    // every allocation and free: 2,500 locks a comment in `kiln serve`
    // (callgrind), for figures nothing reads. Refused (SQLITE_MISUSE) once
    // SQLite is initialized; then the count simply stays on.
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

Status OpenDatabase(const std::filesystem::path& path, std::unique_ptr<SQLite::Database>* out) {
  return OpenAs(path, out);
}

Status OpenDatabase(const std::filesystem::path& path, std::unique_ptr<StoreConnection>* out) {
  return OpenAs(path, out);
}

void MapFileForReading(SQLite::Database* db, bool map) {
  // Address space only; SQLite maps no more than the file's size. Pages
  // still in the WAL are read through the cache as before.
  db->exec(map ? "PRAGMA mmap_size=1073741824" : "PRAGMA mmap_size=0");
}

void KeepWalFileBetweenCheckpoints(SQLite::Database* db) {
  // 64 MiB: sixteen times the 1,000 pages at which the server checkpoints.
  // A WAL that grew past it (a reader that held a checkpoint back) is cut
  // back to it, as SQLite does with any limit.
  db->exec("PRAGMA journal_size_limit=67108864");
}

void EnsureSchema(SQLite::Database* db, const char* table, const char* schema) {
  // A null column name asks only whether the table exists (SQLITE_OK).
  if (sqlite3_table_column_metadata(db->getHandle(), "main", table, nullptr, nullptr, nullptr, nullptr,
                                    nullptr, nullptr) == SQLITE_OK) {
    return;
  }
  db->exec(schema);
}

namespace {

// The busy handler of WaitLongerForLocks: SQLite calls it with the number
// of earlier calls for the same lock; returning 0 gives up (SQLITE_BUSY).
struct LockWait {
  std::string path;
  std::chrono::milliseconds limit;
  std::chrono::steady_clock::time_point started;
};

int WaitForLock(void* arg, int calls) {
  auto* wait = static_cast<LockWait*>(arg);
  auto now = std::chrono::steady_clock::now();
  if (calls == 0) {
    wait->started = now;
    std::fprintf(stderr, "kiln: %s is locked by another writer: waiting up to %lld s\n",
                 wait->path.c_str(), static_cast<long long>(wait->limit.count() / 1000));
  }
  if (now - wait->started >= wait->limit) return 0;
  sqlite3_sleep(calls < 10 ? 10 : 50);
  return 1;
}

}  // namespace

void WaitLongerForLocks(SQLite::Database* db, int seconds) {
  // Lives as long as the process: the CLI opens one connection and exits.
  static LockWait wait;
  wait = LockWait{db->getFilename(), std::chrono::seconds(seconds), {}};
  sqlite3_busy_handler(db->getHandle(), WaitForLock, &wait);
}

}  // namespace kiln
