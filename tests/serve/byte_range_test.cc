#include "serve/byte_range.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

RangeAnswer ParseHeader(std::string_view header, int64_t size, ByteRange* range) {
  return ParseRange(header, size, range);
}

TEST(ByteRangeTest, OneRangeInEachForm) {
  ByteRange r;
  ASSERT_EQ(ParseHeader("bytes=0-99", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.length, 100);
  ASSERT_EQ(ParseHeader("bytes=990-", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.first, 990);
  EXPECT_EQ(r.length, 10);
  ASSERT_EQ(ParseHeader("bytes=-10", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.first, 990);
  EXPECT_EQ(r.length, 10);
  ASSERT_EQ(ParseHeader("Bytes = 5-5", 1000, &r), RangeAnswer::kWhole);  // no space before '='
  ASSERT_EQ(ParseHeader("BYTES=5-5", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.length, 1);
}

TEST(ByteRangeTest, EndsPastTheFileAreCut) {
  ByteRange r;
  ASSERT_EQ(ParseHeader("bytes=900-5000", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.length, 100);
  ASSERT_EQ(ParseHeader("bytes=-5000", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.first, 0);
  EXPECT_EQ(r.length, 1000);
  ASSERT_EQ(ParseHeader("bytes=0-99999999999999999999999", 1000, &r), RangeAnswer::kPartial);
  EXPECT_EQ(r.length, 1000);
}

TEST(ByteRangeTest, Unsatisfiable) {
  ByteRange r;
  EXPECT_EQ(ParseHeader("bytes=1000-", 1000, &r), RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(ParseHeader("bytes=1000-2000", 1000, &r), RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(ParseHeader("bytes=-0", 1000, &r), RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(ParseHeader("bytes=0-", 0, &r), RangeAnswer::kUnsatisfiable);
  EXPECT_EQ(ParseHeader("bytes=-5", 0, &r), RangeAnswer::kUnsatisfiable);
}

// Ignored, so the whole file is sent: several ranges (see byte_range.h),
// other units, and invalid syntax (RFC 9110 14.1.1 and 14.2).
TEST(ByteRangeTest, WholeFileOtherwise) {
  ByteRange r;
  for (const char* header : {"bytes=0-1,5-6", "bytes=0-1, -2", "items=0-1", "bytes=5-1",
                             "bytes=a-b", "bytes=", "bytes=-", "bytes 0-1", "bytes=1-2-3"}) {
    EXPECT_EQ(ParseHeader(header, 1000, &r), RangeAnswer::kWhole) << header;
  }
}

TEST(ByteRangeTest, IfRangeNeedsTheStrongTagOrTheExactDate) {
  const char* etag = "\"abc\"";
  int64_t mtime = 784111777;  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_TRUE(IfRangeAllows("", etag, mtime));
  EXPECT_TRUE(IfRangeAllows("\"abc\"", etag, mtime));
  EXPECT_FALSE(IfRangeAllows("\"abd\"", etag, mtime));
  EXPECT_FALSE(IfRangeAllows("W/\"abc\"", etag, mtime));
  EXPECT_TRUE(IfRangeAllows("Sun, 06 Nov 1994 08:49:37 GMT", etag, mtime));
  EXPECT_FALSE(IfRangeAllows("Sun, 06 Nov 1994 08:49:38 GMT", etag, mtime));
  EXPECT_FALSE(IfRangeAllows("yesterday", etag, mtime));
}

}  // namespace
}  // namespace kiln
