// Preview that tells the truth (issue 8; serve/preview_address.h): with
// --preview, the real `kiln serve` links the feed, the sitemap, robots.txt
// and canonical URLs to the address it serves on, while site/ keeps
// base_url; without it, it serves site/'s bytes exactly (production behind
// a cache is unaffected).
#include "serve/preview_address.h"

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

constexpr char kPlaceholder[] = "http://127.0.0.1:8080/";  // TestSite's base_url, as `kiln init` writes it

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(PreviewServe, LinksGoToTheAddressServedOnAndSiteKeepsBaseUrl) {
  TestSite site;
  ServerProcess server(site.root(), {"--preview"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  const std::string served = "http://127.0.0.1:" + std::to_string(server.port()) + "/";
  ASSERT_NE(served, kPlaceholder);
  for (const char* path : {"/feed.xml", "/sitemap.xml", "/robots.txt", "/posts/first/"}) {
    HttpResult r = HttpGet(server.Url(path));
    ASSERT_EQ(r.status, 200) << path;
    EXPECT_EQ(r.body.find(kPlaceholder), std::string::npos) << path;
    EXPECT_NE(r.body.find(served), std::string::npos) << path << "\n" << r.body.substr(0, 600);
    std::string rel = std::string(path).substr(1);
    if (rel.ends_with("/")) rel += "index.html";
    const std::string file = site.ReadFile("site/" + rel);
    EXPECT_EQ(file.find(served), std::string::npos) << "the preview address reached site/" << rel;
    EXPECT_EQ(Count(file, kPlaceholder), Count(r.body, served)) << path;
  }
  EXPECT_NE(HttpGet(server.Url("/posts/first/")).body.find("<link rel=\"canonical\" href=\"" + served + "posts/first/\">"),
            std::string::npos);
  EXPECT_NE(server.Stderr().find("kiln: previewing: pages link to " + served), std::string::npos) << server.Stderr();
}

// The ETag is that of the bytes served, so revalidation still works.
TEST(PreviewServe, RevalidatesAgainstTheRewrittenBytes) {
  TestSite site;
  ServerProcess server(site.root(), {"--preview"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult first = HttpGet(server.Url("/feed.xml"));
  ASSERT_EQ(first.status, 200);
  EXPECT_EQ(first.Header("content-length"), std::to_string(first.body.size()));
  EXPECT_EQ(HttpGet(server.Url("/feed.xml"), {"If-None-Match: " + first.Header("etag")}).status, 304);
}

// Production: no flag, the bytes of site/ as they are, base_url and all.
TEST(PreviewServe, WithoutPreviewTheServedBytesAreSitesBytes) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  for (const char* path : {"/feed.xml", "/sitemap.xml", "/robots.txt"}) {
    EXPECT_EQ(HttpGet(server.Url(path)).body, site.ReadFile(std::string("site") + path)) << path;
  }
  EXPECT_NE(server.Stderr().find("--preview links pages to the address served on"), std::string::npos)
      << server.Stderr();
}

TEST(PreviewAddressTest, RewriteKeepsBaseUrlsPath) {
  const PreviewRewrite r = PreviewRewriteFor(true, "https://x.github.io/blog/", "/blog/", "127.0.0.1", 9000);
  EXPECT_EQ(r.to, "http://127.0.0.1:9000/blog/");
  EXPECT_EQ(RewriteBody("<a href=\"https://x.github.io/blog/posts/a/\">https://x.github.io/blog/</a>", r),
            "<a href=\"http://127.0.0.1:9000/blog/posts/a/\">http://127.0.0.1:9000/blog/</a>");
}

TEST(PreviewAddressTest, WildcardHostsLinkToLoopback) {
  EXPECT_EQ(PreviewRewriteFor(true, "https://b.example/", "/", "0.0.0.0", 80).to, "http://127.0.0.1:80/");
  EXPECT_EQ(PreviewRewriteFor(true, "https://b.example/", "/", "::", 80).to, "http://[::1]:80/");
  EXPECT_FALSE(PreviewRewriteFor(false, "https://b.example/", "/", "127.0.0.1", 80).active());
  // Serving on base_url's own address: nothing to rewrite.
  EXPECT_FALSE(PreviewRewriteFor(true, "http://127.0.0.1:8080/", "/", "127.0.0.1", 8080).active());
}

TEST(PreviewAddressTest, TextTypesOnly) {
  EXPECT_TRUE(IsRewritableType("text/html; charset=utf-8"));
  EXPECT_TRUE(IsRewritableType("application/atom+xml"));
  EXPECT_TRUE(IsRewritableType("application/json"));
  EXPECT_FALSE(IsRewritableType("image/png"));
}

TEST(PreviewAddressTest, LoopbackBaseUrls) {
  EXPECT_TRUE(IsLoopbackBaseUrl("http://127.0.0.1:8080/"));
  EXPECT_TRUE(IsLoopbackBaseUrl("http://localhost/blog/"));
  EXPECT_TRUE(IsLoopbackBaseUrl("http://[::1]:8080/"));
  EXPECT_FALSE(IsLoopbackBaseUrl("https://blog.example/"));
  EXPECT_FALSE(IsLoopbackBaseUrl("https://127.example/"));
}

}  // namespace
}  // namespace kiln::test
