// SPEC.md, "The server": "no request can read outside site/". Issue 3 asks
// for at least thirty hostile requests: `..`, percent-encoded dots or
// slashes, backslashes, NUL, absolute-form targets, symlinks out of site/.
// They go through a raw socket, byte for byte, so no client library
// normalizes them first.
#include "serve/path_resolver.h"

#include <unistd.h>

#include <string_view>

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
    ASSERT_EQ(symlink("../../secret.txt", (site / "posts" / "index.html").c_str()), 0);
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

// Which defence must answer a hostile target (path_resolver.h). Accepting
// "400 or 404" hid a resolver that no longer refused ".." (issue 7): only
// the realpath check still stopped it. So each target names its defence,
// and the test checks that this one, not a later one, answered.
enum class Defence {
  kParser,    // the HTTP layer refuses the request line: 400, "malformed HTTP request"
  kSyntax,    // NormalizeTarget refuses it: 400 with NormalizeTarget's own message
  kRealPath,  // it normalizes, names something that exists through a symlink,
              // and only the realpath check keeps it out: 404
  kAbsent,    // it normalizes to a path that is simply not in site/: 404
};

struct Hostile {
  std::string target;
  Defence defence;
};

TEST_F(TraversalTest, HostileTargetsNeverReadOutsideSite) {
  using enum Defence;
  const Hostile targets[] = {
      {"/../secret.txt", kSyntax},
      {"/../../../../../../etc/passwd", kSyntax},
      {"/..%2fsecret.txt", kSyntax},
      {"/%2e%2e/secret.txt", kSyntax},
      {"/%2E%2E/secret.txt", kSyntax},
      {"/%2e%2e%2fsecret.txt", kSyntax},
      {"/.%2e/secret.txt", kSyntax},
      {"/%2e./secret.txt", kSyntax},
      {"/posts/../../secret.txt", kSyntax},
      {"/posts/%2e%2e/%2e%2e/secret.txt", kSyntax},
      {"/posts/first/../../../secret.txt", kSyntax},
      {"/./../secret.txt", kSyntax},
      {"/..\\secret.txt", kSyntax},
      {"/\\..\\secret.txt", kSyntax},
      {"/%5c..%5csecret.txt", kSyntax},
      {"/..%5csecret.txt", kSyntax},
      {"/%2e%2e%5csecret.txt", kSyntax},
      {"/secret.txt%00.html", kSyntax},
      {"/%00../secret.txt", kSyntax},
      {"/..%00/secret.txt", kSyntax},
      {std::string("/..") + '\0' + "/secret.txt", kParser},
      {"http://127.0.0.1/../secret.txt", kSyntax},
      {"http://evil.example/%2e%2e/secret.txt", kSyntax},
      {"//etc/passwd", kAbsent},
      {"/%2fetc%2fpasswd", kSyntax},
      {"/%2e%2e%2f%2e%2e%2fetc%2fpasswd", kSyntax},
      {"/%252e%252e/secret.txt", kAbsent},
      {"/%c0%ae%c0%ae/secret.txt", kAbsent},
      {"/..;/secret.txt", kAbsent},
      {"/.../secret.txt", kAbsent},
      {"/../kiln.toml", kSyntax},
      {"/../kiln.db", kSyntax},
      {"/site/../secret.txt", kSyntax},
      {"../secret.txt", kSyntax},
      {"/%2e%2e", kSyntax},
      {"/..", kSyntax},
      {"/%", kSyntax},
      {"/%zz/secret.txt", kSyntax},
      {"/link-out/secret.txt", kRealPath},
      {"/link-out/kiln.toml", kRealPath},
      {"/link-out/", kRealPath},
      {"/link-out", kRealPath},
      {"/leak.txt", kRealPath},
      {"/abs/passwd", kRealPath},
      {"/abs/", kRealPath},
      {"/posts/", kRealPath},  // its index.html is a symlink out
      {"/posts/index.html", kRealPath},
  };
  ASSERT_GE(std::size(targets), 30u);
  const fs::path site = site_->root() / "site";
  const fs::path real_site = fs::canonical(site);
  for (const auto& [target, defence] : targets) {
    SCOPED_TRACE(target);
    // The pure step first: what NormalizeTarget makes of it.
    NormalizedTarget normalized;
    Status syntax = NormalizeTarget(target, &normalized);
    if (defence == kSyntax || defence == kParser) {
      ASSERT_FALSE(syntax.ok());
    } else {
      ASSERT_TRUE(syntax.ok()) << syntax.ToString();
      fs::path on_disk = site / normalized.path;
      if (normalized.trailing_slash && fs::exists(on_disk / "index.html")) on_disk /= "index.html";
      std::error_code ec;
      fs::path real = fs::canonical(on_disk, ec);
      if (defence == kRealPath) {
        // There, through a symlink, and outside: only realpath stops it.
        ASSERT_FALSE(ec) << on_disk << " must exist for this case to test the realpath check";
        EXPECT_NE(real.string().rfind(real_site.string() + "/", 0), 0u) << real;
      } else {
        EXPECT_TRUE(ec) << on_disk << " exists";
      }
    }
    const std::string expected_status =
        defence == kRealPath || defence == kAbsent ? "HTTP/1.1 404 Not Found" : "HTTP/1.1 400 Bad Request";
    const std::string expected_message = defence == kParser   ? "malformed HTTP request"
                                         : defence == kSyntax ? "400 Bad Request: " + syntax.message()
                                                              : "";
    for (const char* method : {"GET", "HEAD"}) {
      std::string response = RawExchange(
          server_->port(),
          std::string(method) + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
      SCOPED_TRACE(method);
      ASSERT_FALSE(response.empty()) << "no answer";
      EXPECT_EQ(response.substr(0, response.find("\r\n")), expected_status);
      if (!expected_message.empty() && std::string_view(method) == "GET") {
        EXPECT_NE(response.find(expected_message), std::string::npos) << response;
      }
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
