// SPEC.md, "The server": "no request can read outside site/". Issue 3 asks
// for at least thirty hostile requests: `..`, percent-encoded dots or
// slashes, backslashes, NUL, absolute-form targets, symlinks out of site/.
// They go through a raw socket, byte for byte, so no client library
// normalizes them first.
#include "serve/path_resolver.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

constexpr char kMarker[] = "TOP-SECRET-MARKER-7f3a";

class TraversalTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new TestSite();
    site_->WriteFile("secret.txt", kMarker);
    server_ = new ServerProcess(site_->root());
    ASSERT_TRUE(server_->WaitServing()) << server_->Stderr();
    // Symlinks out of site/, planted after the build (only kiln writes
    // site/; this is what an attacker who got one in would try).
    fs::path site = site_->root() / "site";
    ASSERT_EQ(symlink("..", (site / "link-out").c_str()), 0);
    ASSERT_EQ(symlink("../secret.txt", (site / "leak.txt").c_str()), 0);
    ASSERT_EQ(symlink("/etc", (site / "abs").c_str()), 0);
    ASSERT_EQ(symlink("../secret.txt", (site / "posts" / "index.html").c_str()), 0);
  }
  static void TearDownTestSuite() {
    delete server_;
    delete site_;
  }
  static TestSite* site_;
  static ServerProcess* server_;
};
TestSite* TraversalTest::site_ = nullptr;
ServerProcess* TraversalTest::server_ = nullptr;

TEST_F(TraversalTest, HostileTargetsNeverReadOutsideSite) {
  const std::string targets[] = {
      "/../secret.txt",
      "/../../../../../../etc/passwd",
      "/..%2fsecret.txt",
      "/%2e%2e/secret.txt",
      "/%2E%2E/secret.txt",
      "/%2e%2e%2fsecret.txt",
      "/.%2e/secret.txt",
      "/%2e./secret.txt",
      "/posts/../../secret.txt",
      "/posts/%2e%2e/%2e%2e/secret.txt",
      "/posts/first/../../../secret.txt",
      "/./../secret.txt",
      "/..\\secret.txt",
      "/\\..\\secret.txt",
      "/%5c..%5csecret.txt",
      "/..%5csecret.txt",
      "/%2e%2e%5csecret.txt",
      "/secret.txt%00.html",
      "/%00../secret.txt",
      "/..%00/secret.txt",
      std::string("/..") + '\0' + "/secret.txt",
      "http://127.0.0.1/../secret.txt",
      "http://evil.example/%2e%2e/secret.txt",
      "//etc/passwd",
      "/%2fetc%2fpasswd",
      "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/%252e%252e/secret.txt",
      "/%c0%ae%c0%ae/secret.txt",
      "/..;/secret.txt",
      "/.../secret.txt",
      "/../kiln.toml",
      "/../kiln.db",
      "/site/../secret.txt",
      "../secret.txt",
      "/%2e%2e",
      "/..",
      "/%",
      "/%zz/secret.txt",
      "/link-out/secret.txt",
      "/link-out/kiln.toml",
      "/link-out/",
      "/link-out",
      "/leak.txt",
      "/abs/passwd",
      "/abs/",
      "/posts/",  // its index.html is a symlink out
      "/posts/index.html",
  };
  ASSERT_GE(std::size(targets), 30u);
  for (const std::string& target : targets) {
    for (const char* method : {"GET", "HEAD"}) {
      std::string response = RawExchange(
          server_->port(),
          std::string(method) + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      SCOPED_TRACE(std::string(method) + " " + target);
      ASSERT_FALSE(response.empty()) << "no answer";
      std::string status = response.substr(0, response.find("\r\n"));
      EXPECT_TRUE(status == "HTTP/1.1 400 Bad Request" || status == "HTTP/1.1 404 Not Found")
          << status;
      EXPECT_EQ(response.find(kMarker), std::string::npos);
      EXPECT_EQ(response.find("root:"), std::string::npos);
      EXPECT_EQ(response.find("[comments]"), std::string::npos);
      EXPECT_EQ(response.find("SQLite format"), std::string::npos);
    }
  }
  // And the server is still serving.
  EXPECT_EQ(HttpGet(server_->Url("/")).status, 200);
}

// Pure checks of step 1 of path_resolver.h.
TEST(NormalizeTargetTest, AcceptsOrdinaryPaths) {
  NormalizedTarget t;
  ASSERT_TRUE(NormalizeTarget("/posts/a%20b/?x=1#f", &t).ok());
  EXPECT_EQ(t.path, "posts/a b");
  EXPECT_TRUE(t.trailing_slash);
  EXPECT_EQ(t.query, "x=1");
  ASSERT_TRUE(NormalizeTarget("/", &t).ok());
  EXPECT_EQ(t.path, "");
  EXPECT_TRUE(t.trailing_slash);
  ASSERT_TRUE(NormalizeTarget("//a///b", &t).ok());
  EXPECT_EQ(t.path, "a/b");
  EXPECT_FALSE(t.trailing_slash);
  ASSERT_TRUE(NormalizeTarget("/.well-known/x", &t).ok());  // dot files are names
}

TEST(NormalizeTargetTest, RejectsWhatCouldEscape) {
  NormalizedTarget t;
  for (const char* target : {"/..", "/a/../b", "/.", "/%2e%2E/x", "/a%2fb", "/a%5Cb", "/a\\b",
                             "/a%00", "/a%0a", "/%", "/%4", "/%g0", "http://h/x", "*", "", "x"}) {
    EXPECT_FALSE(NormalizeTarget(target, &t).ok()) << target;
  }
}

TEST(EncodePathTest, NeverProducesSchemeRelativeOrHeaderBreakingUrls) {
  EXPECT_EQ(EncodePath("posts/a b"), "posts/a%20b");
  EXPECT_EQ(EncodePath("caf\xc3\xa9"), "caf%C3%A9");
  EXPECT_EQ(EncodePath("a\r\nb?c#d"), "a%0D%0Ab%3Fc%23d");
}

}  // namespace
}  // namespace kiln::test
