// Issue 7, item 9: a comment that arrives while another writer holds
// kiln.db past the busy timeout is answered 503 with Retry-After, stores
// nothing, and is stored when sent again after the lock is gone.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

TEST(LockedStoreTest, Issue7LockedDatabaseAnswers503WithRetryAfterAndStoresNothing) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  const std::string comment = R"({"post":"first","author":"Ada","body":"Sent twice"})";

  SQLite::Database holder((site.root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
  holder.exec("BEGIN IMMEDIATE");
  HttpResult locked = HttpPost(server.Url("/api/comments"), "application/json", comment);
  holder.exec("COMMIT");
  EXPECT_EQ(locked.status, 503) << locked.body;
  EXPECT_EQ(locked.Header("retry-after"), "5");  // http_server.cc: every 503 says when
  EXPECT_NE(locked.body.find("database is locked"), std::string::npos) << locked.body;
  EXPECT_EQ(site.CountComments("first"), 0);

  HttpResult again = HttpPost(server.Url("/api/comments"), "application/json", comment);
  EXPECT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(site.CountComments("first"), 1);
}

}  // namespace
}  // namespace kiln::test
