// kiln.db: opening it, creating and migrating its schema. The schema and its
// versions are described in docs/store-format.md. Two kinds of data live here:
//   - user data (comments, build history): migrated, never dropped;
//   - the build state (per-page fingerprints, the source cache): a cache,
//     dropped and rebuilt when missing, corrupt or of another version.
#pragma once

#include <filesystem>
#include <memory>

#include "util/status.h"

namespace SQLite {
class Database;
}

namespace kiln {

class StoreConnection;  // store/statement_cache.h

// PRAGMA user_version of a kiln.db this build of kiln writes.
constexpr int kSchemaVersion = 6;

// Opens (creating if needed) the store at `path` and migrates it. A file that
// is not a SQLite database, or one from a newer kiln, is an error and is left
// untouched: it holds comments.
// Waits at most kBusyTimeoutMs for another writer's lock, then fails with
// "database is locked" (the server answers such a comment 503 with
// Retry-After, and stores nothing).
Status OpenDatabase(const std::filesystem::path& path, std::unique_ptr<SQLite::Database>* out);
// The same, as a connection that keeps the statements it prepares: for one
// used again and again (the resident engine's, the comment API's).
Status OpenDatabase(const std::filesystem::path& path, std::unique_ptr<StoreConnection>* out);

// Sets SQLite up (no memory statistics). It must run before any thread uses
// SQLite (sqlite3_config is not thread-safe): main() calls it first, and the
// tests before theirs (tests/sqlite_setup.cc).
void ConfigureSqlite();

// Runs `schema`, CREATE … IF NOT EXISTS statements that make `table` first,
// unless `table` exists already: a lookup in the connection's loaded schema
// instead of parsing the statements again, which was half a million
// instructions in each comment build of the server. `schema` must create
// everything it holds in one savepoint, so that `table` existing means the
// rest does too.
void EnsureSchema(SQLite::Database* db, const char* table, const char* schema);

// Makes `db` read kiln.db's pages through a mapping of the file instead of
// copying them into SQLite's page cache: for a connection that reads much
// and lives briefly, as a one-off `kiln build`'s. Not for the server's
// connections: SQLite drops the whole mapping at the start of every read
// transaction after another connection has written (pagerBeginReadTransaction),
// and unmapping a mapping in use costs more than the copies it saves.
// The price: a disk that fails to read kiln.db ends the process with
// SIGBUS instead of SQLite's "disk I/O error" (as the site snapshot's
// mapping, util/fs.h, already would). A build killed so is repaired by the
// next, as after any kill. Measured on the faster machine of 2026-11-27
// 07:35 this was within the noise and left out; on this one a no-op's
// CPU time fell by a tenth (docs/benchmarks.md, 2026-11-27 23:10).
// `map` false stops it (at once, unless a page is in use: then from the
// next read transaction).
void MapFileForReading(SQLite::Database* db, bool map);

// For the server's connections that write: its own, its resident
// engine's (which also stores comments), and the one a large build of that
// engine marks the state with (engine/build.cc, StartWriting).
// kiln.db-wal is cut back to zero bytes when the last connection closes
// (OpenDatabase says why); with the limit OpenDatabase sets, SQLite also
// cut it back at the first commit after every checkpoint, when a writer
// starts the log over. On the 2-core test machine (ext4, `discard`) that
// ftruncate freed the 4 MB the WAL had grown to between checkpoints and
// took 5.5-7.1 ms, inside a comment's request: 3 times in 100 comments,
// 13-15 times in 820 (perf trace and perf stat of the server's worker,
// 4,000 posts; the latency percentiles moved within their noise). With a
// limit above what the WAL reaches between the server's checkpoints
// (store/wal_checkpointer.h), the log is written over in place instead;
// the close still empties it.
void KeepWalFileBetweenCheckpoints(SQLite::Database* db);

// How long OpenDatabase's connections wait for another writer's lock.
constexpr int kBusyTimeoutMs = 10000;

// For the command line, whose user is there to wait (issue 7: a writer
// holding kiln.db for 15 s made `kiln comment add` fail and lose the
// comment): wait up to `seconds` for a lock instead, and say once on stderr
// that kiln is waiting and why.
void WaitLongerForLocks(SQLite::Database* db, int seconds);

}  // namespace kiln
