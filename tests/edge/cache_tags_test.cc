#include "edge/cache_tags.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

// SPEC.md, "The edge": a page's cache tags are its dependency keys, so
// "every page that shows post X" is the one tag post:X.
TEST(CacheTagsTest, TagsAreTheDependencyKeysSortedAndUnique) {
  EXPECT_EQ(CacheTagsOf({"template:post", "post:a", "comments:a", "post:a"}),
            (std::vector<std::string>{"comments:a", "post:a", "template:post"}));
}

TEST(CacheTagsTest, SeparatorsAndNonAsciiAreEscaped) {
  // A space or comma would split one tag in two for xkey and Surrogate-Key.
  EXPECT_EQ(CacheTagsOf({"post:a b,c", "static:caf\xc3\xa9.css"}),
            (std::vector<std::string>{"post:a%20b%2Cc", "static:caf%C3%A9.css"}));
}

TEST(CacheTagsTest, TooManyKeysKeepSiteWideTagsOnly) {
  std::vector<std::string> keys = {"template:sitemap", "config:base_url", "list:sitemap"};
  for (int i = 0; i < 500; ++i) keys.push_back("post:post-number-" + std::to_string(i));
  std::vector<std::string> tags = CacheTagsOf(keys);
  EXPECT_EQ(tags, (std::vector<std::string>{"config:base_url", "list:sitemap", "template:sitemap"}));
  EXPECT_LE(JoinCacheTags(tags).size(), kMaxTagBytes);
}

TEST(CacheTagsTest, JoinedBySpaces) {
  EXPECT_EQ(JoinCacheTags({"a", "b:c"}), "a b:c");
  EXPECT_EQ(JoinCacheTags({}), "");
}

TEST(CacheTagsTest, HeadersPerOutput) {
  auto headers = CacheTagHeaders({{"posts/a/index.html", {"post:a", "body:a"}}, {"style.css", {}}});
  EXPECT_EQ(headers.at("posts/a/index.html"), "body:a post:a");
  EXPECT_EQ(headers.at("style.css"), "");
}

TEST(CacheTagsTest, UrlPathOfOutputs) {
  EXPECT_EQ(UrlPathOf("posts/a/index.html"), "/posts/a/");
  EXPECT_EQ(UrlPathOf("index.html"), "/");
  EXPECT_EQ(UrlPathOf("feed.xml"), "/feed.xml");
  EXPECT_EQ(UrlPathOf("2026/01/02/hello.html"), "/2026/01/02/hello.html");
  EXPECT_EQ(UrlPathOf("notindex.html"), "/notindex.html");
  // base_url with a path prefix (https://x.github.io/blog/).
  EXPECT_EQ(UrlPathOf("posts/a/index.html", "/blog/"), "/blog/posts/a/");
  // As a browser sends it.
  EXPECT_EQ(UrlPathOf("img/a b\xc3\xa9.png"), "/img/a%20b%C3%A9.png");
}

TEST(CacheTagsTest, PagesRevalidateInBrowsersAndStayInCaches) {
  EXPECT_EQ(PageCacheControl(60), "public, max-age=0, must-revalidate, s-maxage=60");
}

}  // namespace
}  // namespace kiln
