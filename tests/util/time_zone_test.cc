#include "util/time_zone.h"

#include <gtest/gtest.h>

#include "util/time_format.h"

namespace kiln {
namespace {

int64_t InstantAt(const char* iso) {
  int64_t s = -1;
  EXPECT_TRUE(ParseIsoDate(iso, &s));
  return s;
}

TEST(TimeZone, DefaultIsUtc) {
  TimeZone utc;
  EXPECT_EQ(utc.name(), "UTC");
  EXPECT_EQ(utc.LocalToUtc(InstantAt("2026-01-01T10:00:00")), InstantAt("2026-01-01T10:00:00Z"));
}

TEST(TimeZone, SummerAndWinterOffsets) {
  TimeZone ny;
  ASSERT_TRUE(TimeZone::Find("America/New_York", &ny).ok());
  EXPECT_EQ(ny.LocalToUtc(InstantAt("2026-01-15T12:00:00")), InstantAt("2026-01-15T17:00:00Z"));
  EXPECT_EQ(ny.LocalToUtc(InstantAt("2026-07-15T12:00:00")), InstantAt("2026-07-15T16:00:00Z"));
  EXPECT_EQ(ny.UtcToLocal(InstantAt("2026-07-15T16:00:00Z")), InstantAt("2026-07-15T12:00:00"));
}

// 2026-03-08 02:30 does not exist in New York; 01:30 on 2026-11-01 happens twice.
TEST(TimeZone, GapsAndRepeatsAreResolvedOneWay) {
  TimeZone ny;
  ASSERT_TRUE(TimeZone::Find("America/New_York", &ny).ok());
  EXPECT_EQ(ny.LocalToUtc(InstantAt("2026-03-08T02:30:00")), InstantAt("2026-03-08T07:30:00Z"));
  EXPECT_EQ(ny.LocalToUtc(InstantAt("2026-11-01T01:30:00")), InstantAt("2026-11-01T05:30:00Z"));
}

TEST(TimeZone, UnknownNameIsNotFound) {
  TimeZone zone;
  Status s = TimeZone::Find("Mars/Olympus", &zone);
  EXPECT_EQ(s.code(), Status::Code::kNotFound);
  EXPECT_NE(s.message().find("Mars/Olympus"), std::string::npos);
}

}  // namespace
}  // namespace kiln
