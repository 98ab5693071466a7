#include "import/thread_matcher.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

PostMeta MatcherPost(const std::string& slug, const std::string& url, std::vector<std::string> aliases = {}) {
  PostMeta p;
  p.slug = slug;
  p.url = url;
  p.aliases = std::move(aliases);
  return p;
}

SiteContent MatcherSite(const std::string& base_path = "/") {
  SiteContent content;
  content.config.base_path = base_path;
  content.posts.push_back(MatcherPost("launch-day", "/2014/09/15/launch-day.html"));
  content.posts.push_back(MatcherPost("second-post", "/posts/second-post/", {"/old/second/"}));
  content.posts.push_back(MatcherPost("unicode-post", "/posts/unicode-post/"));
  return content;
}

TEST(ThreadPathOf, DropsSchemeHostQueryAndFragment) {
  EXPECT_EQ(ThreadPathOf("https://old.example/2014/09/15/launch-day.html?utm=1#disqus_thread"),
            "/2014/09/15/launch-day.html");
  EXPECT_EQ(ThreadPathOf("http://old.example"), "/");
  EXPECT_EQ(ThreadPathOf("/a//b"), "/a/b/");
  EXPECT_EQ(ThreadPathOf("/caf%C3%A9/"), "/café/");
}

// A Jekyll-style thread finds the post whose permalink gives that file.
TEST(ThreadMatcher, MatchesPostUrls) {
  ThreadMatcher m(MatcherSite());
  EXPECT_EQ(m.Match("https://old.example/2014/09/15/launch-day.html"), "launch-day");
  EXPECT_EQ(m.Match("/posts/second-post"), "second-post");
  EXPECT_EQ(m.Match("/posts/second-post/index.html"), "second-post");
}

TEST(ThreadMatcher, MatchesAliases) {
  EXPECT_EQ(ThreadMatcher(MatcherSite()).Match("http://old.example/old/second"), "second-post");
}

// The blog's path prefix (base_url https://x.github.io/blog/) is optional.
TEST(ThreadMatcher, MatchesUnderTheBasePath) {
  ThreadMatcher m(MatcherSite("/blog/"));
  EXPECT_EQ(m.Match("https://x.github.io/blog/posts/second-post/"), "second-post");
  EXPECT_EQ(m.Match("https://x.github.io/posts/second-post/"), "second-post");
}

// Failing the URL, the last segment is tried as a slug.
TEST(ThreadMatcher, FallsBackToTheSlug) {
  ThreadMatcher m(MatcherSite());
  EXPECT_EQ(m.Match("https://old.example/blog/Unicode-Post/"), "unicode-post");
  EXPECT_EQ(m.Match("https://old.example/archive/unicode-post.html"), "unicode-post");
}

// No guess beyond that: a thread of no post matches nothing.
TEST(ThreadMatcher, UnknownThreadMatchesNothing) {
  ThreadMatcher m(MatcherSite());
  EXPECT_EQ(m.Match("https://old.example/2013/01/01/gone.html"), "");
  EXPECT_EQ(m.Match("https://old.example/"), "");
  EXPECT_EQ(m.Match("https://old.example/launch"), "");
}

}  // namespace
}  // namespace kiln
