// GET/HEAD of site/ through the real `kiln serve` (SPEC.md, "The server").
#include "serve/static_files.h"

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
      {"/t.xml", "application/xml; charset=utf-8"}, {"/feed.xml", "application/xml; charset=utf-8"},
      {"/noext", "application/octet-stream"},   {"/t.HTML", "text/html; charset=utf-8"},
  };
  for (const auto& [path, type] : cases) {
    HttpResult r = HttpGet(Url(path));
    EXPECT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.Header("content-type"), type) << path;
  }
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

}  // namespace
}  // namespace kiln::test
