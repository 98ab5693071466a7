#include "serve/http_date.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(HttpDateTest, FormatsAndParsesImfFixdate) {
  EXPECT_EQ(FormatHttpDate(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  int64_t s = 0;
  ASSERT_TRUE(ParseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT", &s));
  EXPECT_EQ(s, 784111777);
}

TEST(HttpDateTest, RejectsOtherFormats) {
  int64_t s = 0;
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", &s));  // RFC 850
  EXPECT_FALSE(ParseHttpDate("Sun Nov  6 08:49:37 1994", &s));        // asctime
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT", &s));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT", &s));
  EXPECT_FALSE(ParseHttpDate("", &s));
}

}  // namespace
}  // namespace kiln
