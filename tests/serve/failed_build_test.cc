// Issue 7, item 3: a `kiln serve` whose build fails (here a broken template)
// keeps serving what site/ holds, keeps taking comments, says what is wrong,
// and recovers on its own once the cause is fixed.
#include <cstdlib>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"

namespace kiln::test {
namespace {


std::string CommentJson(const std::string& body) {
  return nlohmann::json{{"post", "first"}, {"author", "Ada"}, {"body", body}}.dump();
}

// Polls (bounded) until GET `url` contains `text`: the server rebuilds on
// its own, in another process, at a time the test does not control.
bool WaitForPageWith(const std::string& url, const std::string& text,
                     std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (HttpGet(url).body.find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(FailedBuildTest, Issue7BrokenTemplateAtStartStillTakesCommentsAndRecovers) {
  TestSite site;
  std::string build = std::string("'") + KILN_BINARY + "' build --site '" + site.root().string() +
                      "' >/dev/null 2>&1";
  ASSERT_EQ(std::system(build.c_str()), 0);
  const std::string good = site.ReadFile("templates/post.mustache");
  site.WriteFile("templates/post.mustache", good + "{{#never_closed}}\n");

  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  EXPECT_TRUE(server.WaitStderr("build failed", std::chrono::seconds(5))) << server.Stderr();
  EXPECT_EQ(HttpGet(server.Url("/posts/first/")).status, 200);  // what site/ holds

  // Stored, and the answer says the rebuild failed and why.
  HttpResult stored = HttpPost(server.Url("/api/comments"), kJson, CommentJson("Kept while broken"));
  ASSERT_EQ(stored.status, 201) << stored.body;
  auto json = nlohmann::json::parse(stored.body);
  ASSERT_TRUE(json.contains("rebuild_error")) << stored.body;
  EXPECT_NE(json["rebuild_error"].get<std::string>().find("post.mustache"), std::string::npos)
      << stored.body;
  EXPECT_EQ(site.CountComments("first"), 1);

  // Fixed: no comment, command or change event needed.
  site.WriteFile("templates/post.mustache", good);
  EXPECT_TRUE(WaitForPageWith(server.Url("/posts/first/"), "Kept while broken",
                              std::chrono::seconds(20)))
      << server.Stderr();

  HttpResult next = HttpPost(server.Url("/api/comments"), kJson, CommentJson("After the fix"));
  ASSERT_EQ(next.status, 201) << next.body;
  EXPECT_FALSE(nlohmann::json::parse(next.body).contains("rebuild_error")) << next.body;
  std::string page = HttpGet(server.Url("/posts/first/")).body;
  EXPECT_NE(page.find("Kept while broken"), std::string::npos);
  EXPECT_NE(page.find("After the fix"), std::string::npos);
}

// The form gets a page that says the comment is stored and why it is not
// shown yet, instead of a redirect to a post that does not show it.
TEST(FailedBuildTest, Issue7FormCommentDuringABrokenBuildSaysWhy) {
  TestSite site;
  site.WriteFile("templates/post.mustache", "{{#never_closed}}\n");
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult r = HttpPost(server.Url("/api/comments"), "application/x-www-form-urlencoded",
                          FormEncode({{"post", "first"}, {"author", "Ada"}, {"body", "Hi"}}));
  EXPECT_EQ(r.status, 202) << r.body;
  EXPECT_NE(r.body.find("is stored"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("post.mustache"), std::string::npos) << r.body;
  EXPECT_EQ(site.CountComments("first"), 1);
}

// A build that fails before it reads content (here the build lock cannot be
// opened, as on a read-only disk) still leaves comments open: the posts are
// then known from loading content/ alone.
TEST(FailedBuildTest, Issue7BuildFailingBeforeContentStillTakesComments) {
  TestSite site;
  fs::create_directories(site.root() / ".kiln" / "build.lock");  // a folder: open() fails
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult r = HttpPost(server.Url("/api/comments"), kJson, CommentJson("Early"));
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_NE(nlohmann::json::parse(r.body).value("rebuild_error", "").find("build.lock"),
            std::string::npos)
      << r.body;
  EXPECT_EQ(HttpPost(server.Url("/api/comments"), kJson,
                     R"({"post":"hidden-draft","author":"A","body":"B"})")
                .status,
            404);  // drafts still take none

  fs::remove(site.root() / ".kiln" / "build.lock");
  EXPECT_TRUE(WaitForPageWith(server.Url("/posts/first/"), "Early", std::chrono::seconds(20)))
      << server.Stderr();
}

// Issue 7, item 4, in the server: started without the kiln.db the site was
// built from, it keeps the pages that show comments and says why.
TEST(FailedBuildTest, Issue7ServerWithoutKilnDbKeepsThePagesThatShowComments) {
  TestSite site;
  std::string kiln = std::string("'") + KILN_BINARY + "' ";
  std::string at = " --site '" + site.root().string() + "' >/dev/null 2>&1";
  ASSERT_EQ(std::system((kiln + "comment add --post first --author Ada --body 'Only here'" + at).c_str()), 0);
  ASSERT_EQ(std::system((kiln + "build" + at).c_str()), 0);
  for (const char* f : {"kiln.db", "kiln.db-wal", "kiln.db-shm"}) fs::remove(site.root() / f);

  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  EXPECT_TRUE(server.WaitStderr("--allow-empty-comments", std::chrono::seconds(5))) << server.Stderr();
  EXPECT_NE(HttpGet(server.Url("/posts/first/")).body.find("Only here"), std::string::npos);
  EXPECT_NE(site.ReadFile("site/posts/first/index.html").find("Only here"), std::string::npos);
}

}  // namespace
}  // namespace kiln::test
