#include "util/time_format.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(TimeFormat, ParsesPlainDayAsMidnightUtc) {
  int64_t s;
  ASSERT_TRUE(ParseIsoDate("2026-11-26", &s));
  EXPECT_EQ(FormatRfc3339(s), "2026-11-26T00:00:00Z");
}

TEST(TimeFormat, AppliesOffsets) {
  int64_t s;
  ASSERT_TRUE(ParseIsoDate("2026-11-26T10:00:00+02:00", &s));
  EXPECT_EQ(FormatRfc3339(s), "2026-11-26T08:00:00Z");
}

TEST(TimeFormat, RejectsImpossibleDates) {
  int64_t s;
  EXPECT_FALSE(ParseIsoDate("2026-02-30", &s));
  EXPECT_FALSE(ParseIsoDate("2026-13-01", &s));
  EXPECT_FALSE(ParseIsoDate("26-11-2026", &s));
  EXPECT_FALSE(ParseIsoDate("2026-11-26T25:00", &s));
  EXPECT_FALSE(ParseIsoDate("2026-11-26 garbage", &s));
  EXPECT_TRUE(ParseIsoDate("2024-02-29", &s));  // leap year
}

TEST(TimeFormat, HumanDate) {
  int64_t s;
  ASSERT_TRUE(ParseIsoDate("2026-03-05T23:59:59Z", &s));
  EXPECT_EQ(FormatHumanDate(s), "5 March 2026");
  EXPECT_EQ(FormatDay(s), "2026-03-05");
}

}  // namespace
}  // namespace kiln

namespace kiln {
namespace {

TEST(TimeFormat, AcceptsDocumentedSpellings) {
  int64_t a, b, c, d, e;
  ASSERT_TRUE(ParseIsoDate("2026-11-26 10:00", &a));
  ASSERT_TRUE(ParseIsoDate("2026-11-26T10:00:00", &b));
  ASSERT_TRUE(ParseIsoDate("2026-11-26T10:00:00Z", &c));
  ASSERT_TRUE(ParseIsoDate("2026-11-26T10:00:00.123456Z", &d));
  ASSERT_TRUE(ParseIsoDate("2026-11-26T05:30:00-04:30", &e));
  EXPECT_EQ(a, b);
  EXPECT_EQ(b, c);
  EXPECT_EQ(c, d);  // fractions are dropped
  EXPECT_EQ(d, e);
}

TEST(TimeFormat, EpochAndBefore) {
  int64_t s;
  ASSERT_TRUE(ParseIsoDate("1970-01-01T00:00:00Z", &s));
  EXPECT_EQ(s, 0);
  ASSERT_TRUE(ParseIsoDate("1969-12-31T23:59:59Z", &s));
  EXPECT_EQ(s, -1);
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59Z");
}

TEST(TimeFormat, CenturyLeapRules) {
  int64_t s;
  EXPECT_TRUE(ParseIsoDate("2000-02-29", &s));
  EXPECT_FALSE(ParseIsoDate("1900-02-29", &s));
  EXPECT_FALSE(ParseIsoDate("2100-02-29", &s));
  EXPECT_FALSE(ParseIsoDate("2026-02-29", &s));
}

TEST(TimeFormat, RejectsMoreMalformedInput) {
  int64_t s;
  for (const char* bad : {"", "2026", "2026-11", "2026-11-2", "2026-00-10", "2026-11-00",
                          "2026-11-26T", "2026-11-26T10", "2026-11-26T10:60", "2026-11-26T10:00:61",
                          "2026-11-26T10:00:00+2", "2026-11-26T10:00:00+02", "2026-11-26T10:00:00z ",
                          " 2026-11-26", "2026-11-26Z", "+2026-11-26"}) {
    EXPECT_FALSE(ParseIsoDate(bad, &s)) << "'" << bad << "'";
  }
}

TEST(TimeFormat, RoundTripsThroughRfc3339) {
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{1795687200}, int64_t{4102444799}}) {
    int64_t back;
    ASSERT_TRUE(ParseIsoDate(FormatRfc3339(t), &back));
    EXPECT_EQ(back, t);
  }
}

}  // namespace
}  // namespace kiln
