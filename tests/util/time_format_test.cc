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
