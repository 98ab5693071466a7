#include "util/hash.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(Hash, HashBytesIsStableXxh3) {
  // Fingerprints are stored in kiln.db: the function must never change.
  EXPECT_EQ(HashBytes(""), 0x2d06800538d394c2ull);  // XXH3_64bits of nothing
  EXPECT_EQ(HashBytes("abc"), HashBytes(std::string("abc")));
  EXPECT_NE(HashBytes("abc"), HashBytes("abd"));
}

TEST(Hasher, FieldsAreLengthPrefixed) {
  // ("ab","c") and ("a","bc") must differ.
  EXPECT_NE(Hasher().Add("ab").Add("c").Finish(), Hasher().Add("a").Add("bc").Finish());
  EXPECT_NE(Hasher().Add("").Add("x").Finish(), Hasher().Add("x").Finish());
}

TEST(Hasher, SameFieldsSameFingerprint) {
  EXPECT_EQ(Hasher().Add("a").Add(int64_t{7}).Finish(), Hasher().Add("a").Add(int64_t{7}).Finish());
  EXPECT_NE(Hasher().Add(int64_t{7}).Finish(), Hasher().Add(int64_t{8}).Finish());
}

TEST(Hasher, FinishDoesNotConsume) {
  Hasher h;
  h.Add("x");
  EXPECT_EQ(h.Finish(), h.Finish());
}

TEST(FingerprintHex, RoundTrip) {
  for (Fingerprint fp : {Fingerprint{0}, Fingerprint{1}, Fingerprint{0xdeadbeef},
                         Fingerprint{0xffffffffffffffffull}, Fingerprint{0x8000000000000000ull}}) {
    std::string hex = FingerprintToHex(fp);
    EXPECT_EQ(hex.size(), 16u);
    Fingerprint back = 42;
    ASSERT_TRUE(ParseFingerprintHex(hex, &back)) << hex;
    EXPECT_EQ(back, fp);
  }
  EXPECT_EQ(FingerprintToHex(0xab), "00000000000000ab");
}

TEST(FingerprintHex, RejectsMalformed) {
  Fingerprint out = 7;
  EXPECT_FALSE(ParseFingerprintHex("", &out));
  EXPECT_FALSE(ParseFingerprintHex("0123456789abcde", &out));    // 15
  EXPECT_FALSE(ParseFingerprintHex("0123456789abcdef0", &out));  // 17
  EXPECT_FALSE(ParseFingerprintHex("0123456789ABCDEF", &out));   // upper case
  EXPECT_FALSE(ParseFingerprintHex("0123456789abcdeg", &out));
  EXPECT_FALSE(ParseFingerprintHex(std::string_view("0123456789abcde\0", 16), &out));
  EXPECT_FALSE(ParseFingerprintHex(" 123456789abcdef", &out));
  EXPECT_EQ(out, 7u);  // untouched on failure
}

}  // namespace
}  // namespace kiln
