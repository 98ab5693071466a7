#include "util/strings.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(Slugify, LowersAndJoinsWithDashes) {
  EXPECT_EQ(Slugify("Static Sites & Caching!"), "static-sites-caching");
  EXPECT_EQ(Slugify("  C++20 "), "c-20");
  EXPECT_EQ(Slugify("café"), "café");
}

TEST(IsValidSlug, RefusesPathTricks) {
  EXPECT_TRUE(IsValidSlug("hello-kiln"));
  EXPECT_FALSE(IsValidSlug(""));
  EXPECT_FALSE(IsValidSlug(".."));
  EXPECT_FALSE(IsValidSlug("a/b"));
  EXPECT_FALSE(IsValidSlug("-lead"));
  EXPECT_FALSE(IsValidSlug("Upper"));
  EXPECT_FALSE(IsValidSlug("a..b"));
}

TEST(EscapeHtml, EscapesAllFive) {
  EXPECT_EQ(EscapeHtml("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
}

TEST(HexDigitValue, BothCasesAndNothingElse) {
  EXPECT_EQ(HexDigitValue('0'), 0);
  EXPECT_EQ(HexDigitValue('a'), 10);
  EXPECT_EQ(HexDigitValue('F'), 15);
  EXPECT_EQ(HexDigitValue('g'), -1);
  EXPECT_EQ(HexDigitValue('%'), -1);
}

}  // namespace
}  // namespace kiln
