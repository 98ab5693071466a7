#include "render/highlight_cache.h"

#include <gtest/gtest.h>

#include "render/markdown.h"

namespace kiln {
namespace {

TEST(HighlightCache, FindsWhatWasInsertedUnderItsDefinitionAndCode) {
  HighlightCache cache;
  std::string html = "<pre>";
  EXPECT_FALSE(cache.Lookup("cpp.lang", "int x;\n", &html));
  cache.Insert("cpp.lang", "int x;\n", "<span>int</span> x;\n");
  EXPECT_TRUE(cache.Lookup("cpp.lang", "int x;\n", &html));
  EXPECT_EQ(html, "<pre><span>int</span> x;\n");
  EXPECT_FALSE(cache.Lookup("c.lang", "int x;\n", &html));
  EXPECT_FALSE(cache.Lookup("cpp.lang", "int y;\n", &html));
}

TEST(HighlightCache, EmptiesItselfPastItsBound) {
  HighlightCache cache(/*max_bytes=*/64);
  cache.Insert("a.lang", "one", std::string(30, 'x'));
  cache.Insert("a.lang", "two", std::string(30, 'y'));  // over 64 with the first: starts again
  std::string html;
  EXPECT_FALSE(cache.Lookup("a.lang", "one", &html));
  EXPECT_TRUE(cache.Lookup("a.lang", "two", &html));
  cache.Insert("a.lang", "big", std::string(100, 'z'));  // larger than the bound: not kept
  EXPECT_FALSE(cache.Lookup("a.lang", "big", &html));
  EXPECT_TRUE(cache.Lookup("a.lang", "two", &html));
}

TEST(HighlightCache, CachedRenderEqualsFreshRender) {
  const std::string md = "```cpp\nint cached_render_check = 1; // c\n```\n";
  HighlightCache::Shared().set_enabled(false);
  const std::string fresh = RenderTrustedMarkdown(md);
  HighlightCache::Shared().set_enabled(true);
  const std::string first = RenderTrustedMarkdown(md);   // fills the cache
  const std::string second = RenderTrustedMarkdown(md);  // from the cache
  EXPECT_EQ(first, fresh);
  EXPECT_EQ(second, fresh);
  EXPECT_NE(fresh.find("<span class=\"hl-type\">int</span>"), std::string::npos);
}

}  // namespace
}  // namespace kiln
