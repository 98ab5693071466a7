// GET/HEAD of site/ through the real `kiln serve` (SPEC.md, "The server").
#include "serve/static_files.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    site_ = new TestSite();
    // One file per type issue 3 names; static/ is copied into site/.
    for (const char* name : {"t.css", "t.js", "t.json", "t.svg", "t.png", "t.jpg", "t.webp",
                             "t.ico", "t.woff2", "t.txt", "t.xml", "noext", "t.HTML"}) {
      site_->WriteFile(std::string("static/") + name, "x");
    }
    // Larger than a socket buffer: its answers exercise partial writes.
    std::string big(1 << 20, '\0');
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + (i * 7919) % 26);
    site_->WriteFile("static/big.txt", big);
    server_ = new ServerProcess(site_->root());
    ASSERT_TRUE(server_->WaitServing()) << server_->Stderr();
  }
  static void TearDownTestSuite() {
    delete server_;
    delete site_;
  }
  static std::string Url(const std::string& path) { return server_->Url(path); }

  static TestSite* site_;
  static ServerProcess* server_;
};
TestSite* StaticFilesTest::site_ = nullptr;
ServerProcess* StaticFilesTest::server_ = nullptr;

TEST_F(StaticFilesTest, RootServesIndexHtml) {
  HttpResult r = HttpGet(Url("/"));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.body, site_->ReadFile("site/index.html"));
}

TEST_F(StaticFilesTest, FolderServesItsIndexHtml) {
  HttpResult r = HttpGet(Url("/posts/first/"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, site_->ReadFile("site/posts/first/index.html"));
  EXPECT_NE(r.body.find("First post"), std::string::npos);
}

// SPEC.md: "/posts/a redirects to /posts/a/".
TEST_F(StaticFilesTest, FolderWithoutSlashRedirects) {
  HttpResult r = HttpGet(Url("/posts/first"));
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.Header("location"), "/posts/first/");
  r = HttpGet(Url("/posts/first?ref=feed"));
  EXPECT_EQ(r.Header("location"), "/posts/first/?ref=feed");
  // Collapsed slashes never make a scheme-relative "//host" location.
  r = HttpGet(Url("//posts//first"));
  EXPECT_EQ(r.Header("location"), "/posts/first/");
}

TEST_F(StaticFilesTest, ContentTypeFollowsTheExtension) {
  const std::pair<const char*, const char*> cases[] = {
      {"/t.css", "text/css; charset=utf-8"},     {"/t.js", "text/javascript; charset=utf-8"},
      {"/t.json", "application/json"},          {"/t.svg", "image/svg+xml"},
      {"/t.png", "image/png"},                  {"/t.jpg", "image/jpeg"},
      {"/t.webp", "image/webp"},                {"/t.ico", "image/x-icon"},
      {"/t.woff2", "font/woff2"},               {"/t.txt", "text/plain; charset=utf-8"},
      {"/t.xml", "application/xml; charset=utf-8"}, {"/feed.xml", "application/atom+xml; charset=utf-8"},
      {"/noext", "application/octet-stream"},   {"/t.HTML", "text/html; charset=utf-8"},
  };
  for (const auto& [path, type] : cases) {
    HttpResult r = HttpGet(Url(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.Header("content-type"), type) << path;
  }
}

// Issue 8: feeds are served as Atom, the site's and each tag's (the sample
// posts `kiln init` writes are tagged "kiln"); the sitemap stays XML.
TEST_F(StaticFilesTest, FeedsAreServedAsAtom) {
  for (const char* path : {"/feed.xml", "/tags/kiln/feed.xml"}) {
    HttpResult r = HttpGet(Url(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.Header("content-type"), "application/atom+xml; charset=utf-8") << path;
    EXPECT_NE(r.body.find("<feed xmlns=\"http://www.w3.org/2005/Atom\">"), std::string::npos) << path;
  }
  EXPECT_NE(HttpGet(Url("/tags/kiln/feed.xml")).body.find("<link rel=\"self\" type=\"application/atom+xml\" "
                                                         "href=\"http://127.0.0.1:8080/tags/kiln/feed.xml\"/>"),
            std::string::npos);
  EXPECT_EQ(HttpGet(Url("/sitemap.xml")).Header("content-type"), "application/xml; charset=utf-8");
}

TEST_F(StaticFilesTest, EtagMatchGets304WithoutBody) {
  HttpResult first = HttpGet(Url("/posts/first/"));
  std::string etag = first.Header("etag");
  ASSERT_FALSE(etag.empty());
  HttpResult again = HttpGet(Url("/posts/first/"), {"If-None-Match: " + etag});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("etag"), etag);
  // Lists and weak tags match too (RFC 9110 13.1.2).
  again = HttpGet(Url("/posts/first/"), {"If-None-Match: \"nope\", W/" + etag});
  EXPECT_EQ(again.status, 304);
  again = HttpGet(Url("/posts/first/"), {"If-None-Match: \"nope\""});
  EXPECT_EQ(again.status, 200);
}

TEST_F(StaticFilesTest, LastModifiedGets304AndIfNoneMatchWins) {
  HttpResult first = HttpGet(Url("/style.css"));
  std::string last_modified = first.Header("last-modified");
  ASSERT_FALSE(last_modified.empty());
  EXPECT_EQ(HttpGet(Url("/style.css"), {"If-Modified-Since: " + last_modified}).status, 304);
  EXPECT_EQ(HttpGet(Url("/style.css"), {"If-Modified-Since: Thu, 01 Jan 1998 00:00:00 GMT"}).status,
            200);
  // RFC 9110 13.2.2: If-None-Match is evaluated instead of If-Modified-Since.
  EXPECT_EQ(HttpGet(Url("/style.css"), {"If-None-Match: \"other\"",
                                        "If-Modified-Since: " + last_modified})
                .status,
            200);
}

TEST_F(StaticFilesTest, UnknownPathGets404PageWithStatus404) {
  HttpResult r = HttpGet(Url("/no/such/page/"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(r.body, site_->ReadFile("site/404.html"));
  EXPECT_EQ(HttpGet(Url("/feed.xml/")).status, 404);  // a file is not a folder
  EXPECT_EQ(HttpGet(Url("/posts/hidden-draft/")).status, 404);
}

TEST_F(StaticFilesTest, HeadHasHeadersButNoBody) {
  HttpResult get = HttpGet(Url("/"));
  HttpResult head = HttpHead(Url("/"));
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(head.Header("etag"), get.Header("etag"));
  HttpResult missing = HttpHead(Url("/nope"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.body, "");
}

TEST_F(StaticFilesTest, OtherMethodsGet405) {
  HttpResult r = HttpRequest("DELETE", Url("/"));
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("allow"), "GET, HEAD");
  EXPECT_EQ(HttpGet(Url("/api/comments")).status, 405);
}

// The live-reload script exists only in watch mode (issue 3, "Preview").
TEST_F(StaticFilesTest, NoReloadScriptWithoutWatch) {
  EXPECT_EQ(HttpGet(Url("/")).body.find("EventSource"), std::string::npos);
  EXPECT_EQ(HttpGet(Url("/_kiln/live-reload")).status, 404);
}

// Splits the raw bytes of consecutive responses (each with Content-Length,
// or none for 304 and HEAD answers given `bodies`) into header blocks and
// bodies.
struct RawResponse {
  std::string head, body;
};
std::vector<RawResponse> SplitResponses(const std::string& raw, const std::vector<bool>& bodies) {
  std::vector<RawResponse> out;
  size_t pos = 0;
  for (bool has_body : bodies) {
    size_t end = raw.find("\r\n\r\n", pos);
    if (end == std::string::npos) break;
    RawResponse r;
    r.head = raw.substr(pos, end + 4 - pos);
    pos = end + 4;
    size_t cl = r.head.find("Content-Length: ");
    if (has_body && cl != std::string::npos) {
      size_t length = std::stoul(r.head.substr(cl + 16));
      r.body = raw.substr(pos, length);
      pos += length;
    }
    out.push_back(r);
  }
  return out;
}

// Pipelined keep-alive requests on one connection (the cached-file fast
// path parses what is already buffered before reading again).
TEST_F(StaticFilesTest, PipelinedRequestsAreAnsweredInOrder) {
  std::string raw = RawExchange(server_->port(),
                                "GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n"
                                "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /posts/first/?ref=feed HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /no/such/page/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  auto responses = SplitResponses(raw, {true, false, true, true});
  ASSERT_EQ(responses.size(), 4u) << raw.substr(0, 2000);
  EXPECT_TRUE(responses[0].head.starts_with("HTTP/1.1 200 OK\r\n")) << responses[0].head;
  EXPECT_EQ(responses[0].body, site_->ReadFile("site/style.css"));
  EXPECT_NE(responses[0].head.find("\r\nDate: "), std::string::npos);
  EXPECT_NE(responses[0].head.find("\r\nServer: kiln\r\n"), std::string::npos);
  EXPECT_EQ(responses[0].head.find("Connection:"), std::string::npos);
  EXPECT_TRUE(responses[1].head.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_NE(responses[1].head.find("Content-Length: " +
                                   std::to_string(site_->ReadFile("site/index.html").size())),
            std::string::npos);
  EXPECT_EQ(responses[2].body, site_->ReadFile("site/posts/first/index.html"));
  EXPECT_TRUE(responses[3].head.starts_with("HTTP/1.1 404 Not Found\r\n"));
  EXPECT_NE(responses[3].head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(responses[3].body, site_->ReadFile("site/404.html"));
  // Nothing after the answer with "Connection: close".
  size_t total = 0;
  for (const auto& r : responses) total += r.head.size() + r.body.size();
  EXPECT_EQ(total, raw.size());
}

// HTTP/1.0: keep-alive only when asked for, and said so.
TEST_F(StaticFilesTest, Http10KeepAliveIsAnsweredInKind) {
  std::string raw = RawExchange(server_->port(),
                                "GET /style.css HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                                "GET /style.css HTTP/1.0\r\n\r\n"
                                "GET /style.css HTTP/1.0\r\n\r\n");
  auto responses = SplitResponses(raw, {true, true, true});
  ASSERT_EQ(responses.size(), 2u) << raw.substr(0, 2000);  // closed after the second
  EXPECT_NE(responses[0].head.find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_NE(responses[1].head.find("Connection: close\r\n"), std::string::npos);
  EXPECT_EQ(responses[1].body, site_->ReadFile("site/style.css"));
}

// Eight 1 MiB answers while the client is still sending: the kernel takes
// only part of each at once, and the rest must follow intact.
TEST_F(StaticFilesTest, LargeAnswersSurvivePartialWrites) {
  std::string request = "GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\n";
  std::string requests;
  for (int i = 0; i < 8; ++i) requests += request;
  std::string raw = RawExchange(server_->port(), requests);
  auto responses = SplitResponses(raw, std::vector<bool>(8, true));
  ASSERT_EQ(responses.size(), 8u);
  std::string big = site_->ReadFile("site/big.txt");
  for (const auto& r : responses) {
    EXPECT_TRUE(r.head.starts_with("HTTP/1.1 200 OK\r\n"));
    EXPECT_TRUE(r.body == big);
  }
}

// The fast path for plain targets and the full path for the rest give the
// same answer for the same file.
TEST_F(StaticFilesTest, PlainAndEncodedTargetsGetTheSameFile) {
  HttpResult plain = HttpGet(Url("/posts/first/"));
  HttpResult encoded = HttpGet(Url("/posts/%66irst/"));
  HttpResult query = HttpGet(Url("/posts/first/?a=%2e%2e"));
  EXPECT_EQ(encoded.status, 200);
  EXPECT_EQ(encoded.body, plain.body);
  EXPECT_EQ(encoded.Header("etag"), plain.Header("etag"));
  EXPECT_EQ(query.status, 200);
  EXPECT_EQ(query.body, plain.body);
  EXPECT_EQ(HttpGet(Url("/posts/first/.")).status, 400);
  EXPECT_EQ(HttpGet(Url("/.hidden")).status, 404);
}

}  // namespace
}  // namespace kiln::test
