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

// Issue 7 item 7: RFC 9110 5.6.7 asks recipients to accept the two
// obsolete forms too; both used to be rejected.
TEST(HttpDateTest, ParsesRfc850AndAsctime) {
  int64_t s = 0;
  ASSERT_TRUE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 GMT", &s));
  EXPECT_EQ(s, 784111777);
  s = 0;
  ASSERT_TRUE(ParseHttpDate("Sun Nov  6 08:49:37 1994", &s));
  EXPECT_EQ(s, 784111777);
  ASSERT_TRUE(ParseHttpDate("Thu Nov 26 14:42:31 2026", &s));
  EXPECT_EQ(FormatHttpDate(s), "Thu, 26 Nov 2026 14:42:31 GMT");
}

// "a timestamp that appears to be more than 50 years in the future" is in
// the past century.
TEST(HttpDateTest, Rfc850TwoDigitYearIsAtMostFiftyYearsAhead) {
  int64_t now = 1795700000;  // 2026-11
  int64_t s = 0;
  ASSERT_TRUE(ParseHttpDate("Wednesday, 01-Jan-76 00:00:00 GMT", &s, now));
  EXPECT_EQ(FormatHttpDate(s), "Wed, 01 Jan 2076 00:00:00 GMT");
  ASSERT_TRUE(ParseHttpDate("Saturday, 01-Jan-77 00:00:00 GMT", &s, now));
  EXPECT_EQ(FormatHttpDate(s), "Sat, 01 Jan 1977 00:00:00 GMT");
}

TEST(HttpDateTest, RejectsOtherText) {
  int64_t s = 0;
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Foo 1994 08:49:37 GMT", &s));
  EXPECT_FALSE(ParseHttpDate("Sun, 06 Nov 1994 25:49:37 GMT", &s));
  EXPECT_FALSE(ParseHttpDate("Sunday, 06-Nov-94 08:49:37 UTC", &s));
  EXPECT_FALSE(ParseHttpDate("Sun Nov 6 08:49:37 1994", &s));  // asctime pads the day
  EXPECT_FALSE(ParseHttpDate("1994-11-06T08:49:37Z", &s));
  EXPECT_FALSE(ParseHttpDate("", &s));
}

}  // namespace
}  // namespace kiln
