#include "load/permalink.h"

#include <gtest/gtest.h>

#include "util/time_format.h"

namespace kiln {
namespace {

PostMeta PermalinkPost(const char* slug, const char* title_part, const char* day) {
  PostMeta p;
  p.slug = slug;
  p.title_part = title_part;
  EXPECT_TRUE(ParseIsoDate(day, &p.date_local));
  return p;
}

std::string Expand(const std::string& pattern, const PostMeta& post) {
  std::string url, error;
  EXPECT_TRUE(ExpandPermalink(pattern, post, &url, &error)) << error;
  return url;
}

// Jekyll's :title keeps case and the "pretty" punctuation (Utils.slugify).
TEST(Permalink, JekyllTitleSlug) {
  EXPECT_EQ(JekyllTitleSlug("Hello-World"), "Hello-World");
  EXPECT_EQ(JekyllTitleSlug("Hello World!"), "Hello-World!");
  EXPECT_EQ(JekyllTitleSlug("  C++ / Rust?  "), "C++-Rust");
  EXPECT_EQ(JekyllTitleSlug("café crème"), "café-crème");
}

TEST(Permalink, PatternsOfThePeers) {
  const PostMeta p = PermalinkPost("hello-world", "Hello-World", "2016-03-07");
  EXPECT_EQ(Expand("/posts/:slug/", p), "/posts/hello-world/");
  EXPECT_EQ(Expand("/:year/:month/:day/:title.html", p), "/2016/03/07/Hello-World.html");
  EXPECT_EQ(Expand("/:year/:i_month/:i_day/:title/", p), "/2016/3/7/Hello-World/");
  EXPECT_EQ(Expand("/blog/:short_year/:slug/", p), "/blog/16/hello-world/");
}

TEST(Permalink, TitleThatWouldLeaveTheSiteIsRefused) {
  std::string url, error;
  EXPECT_FALSE(ExpandPermalink("/:title/", PermalinkPost("x", "..", "2016-03-07"), &url, &error));
  EXPECT_NE(error.find("leave"), std::string::npos);
}

TEST(Permalink, PatternCheck) {
  std::string error;
  EXPECT_TRUE(CheckPermalinkPattern("/:year/:month/:day/:title.html", &error));
  EXPECT_FALSE(CheckPermalinkPattern("posts/:slug/", &error));
  EXPECT_FALSE(CheckPermalinkPattern("/posts/:name/", &error));
  EXPECT_NE(error.find(":name"), std::string::npos);
  EXPECT_FALSE(CheckPermalinkPattern("/posts/:slug", &error));
}

TEST(Permalink, SanitizeSitePath) {
  std::string path, error;
  ASSERT_TRUE(SanitizeSitePath("https://example.org/blog/old/a.html", "https://example.org/blog/", &path, &error));
  EXPECT_EQ(path, "/old/a.html");
  ASSERT_TRUE(SanitizeSitePath("/a//b", "", &path, &error));
  EXPECT_EQ(path, "/a/b/");
  ASSERT_TRUE(SanitizeSitePath("/caf%C3%A9/", "", &path, &error));
  EXPECT_EQ(path, "/café/");
  EXPECT_FALSE(SanitizeSitePath("/%2e%2e/x", "", &path, &error));
  EXPECT_FALSE(SanitizeSitePath("/a/%252e%252e/", "", &path, &error));  // '%' left after decoding
  EXPECT_FALSE(SanitizeSitePath("/", "", &path, &error));
  EXPECT_FALSE(SanitizeSitePath("/a b/", "", &path, &error));
}

// Clean paths take a shortcut (no decoding or splitting). "/%61" decodes to
// "/a", so "/%61" + tail goes the general route while "/a" + tail may take
// the shortcut: both must give the same answer and the same path.
TEST(Permalink, SanitizeSitePathShortcutAgreesWithTheGeneralRoute) {
  const char* const kTails[] = {"/",          "",          ".html",       "/2024/05/03/slug/",
                                "/y.tar.gz",  "/.hidden",  "/./y/",       "/../y/",
                                "//y",        "/y//",      "/.",          "/..",
                                "/~a/b!c$d/", "/b.c/d",    "/caf\xc3\xa9/", "/b/c/index.html",
                                "/a b/",      "/a%2e%2e/", "/x:y/",       "/\x01/"};
  for (const char* tail : kTails) {
    std::string shortcut, shortcut_error, general, general_error;
    const bool shortcut_ok = SanitizeSitePath(std::string("/a") + tail, "", &shortcut, &shortcut_error);
    const bool general_ok = SanitizeSitePath(std::string("/%61") + tail, "", &general, &general_error);
    EXPECT_EQ(shortcut_ok, general_ok) << tail;
    if (shortcut_ok && general_ok) EXPECT_EQ(shortcut, general) << tail;
  }
}

}  // namespace
}  // namespace kiln
