// Issue 7, item 9: another writer holding kiln.db (here a real second
// connection with a write transaction open for 11 s, past the 10 s busy
// timeout) no longer makes `kiln comment add` fail: the command line says
// it waits, waits, and stores the comment. Through the real binary.
#include "store/database.h"

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "cli_runner.h"
#include "site_fixture.h"

namespace kiln::testing {
namespace {

TEST(LockWaitTest, Issue7CommentAddWaitsForAnotherWriterAndKeepsTheComment) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  ASSERT_EQ(RunKiln("build" + SiteFlag(site.root())).exit_code, 0);

  SQLite::Database holder((site.root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");  // the write lock, as a long script would hold it
  const auto held_for = std::chrono::milliseconds(kBusyTimeoutMs + 1000);
  std::thread release([&] {
    // The scenario itself (a writer that takes long), not synchronisation.
    std::this_thread::sleep_for(held_for);
    holder.exec("COMMIT");
  });
  auto start = std::chrono::steady_clock::now();
  KilnRun run = RunKiln("comment add --post a --author Ada --body 'Waited for it'" +
                        SiteFlag(site.root()));
  auto took = std::chrono::steady_clock::now() - start;
  release.join();

  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "1\n");
  EXPECT_NE(run.err.find("is locked by another writer: waiting up to 60 s"), std::string::npos)
      << run.err;
  EXPECT_GE(took, held_for - std::chrono::milliseconds(500));  // it really waited
  SQLite::Database check((site.root() / "kiln.db").string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(check.execAndGet("SELECT count(*) FROM comments WHERE body = 'Waited for it'").getInt(),
            1);
}

}  // namespace
}  // namespace kiln::testing
