// util/byte_codec.h: records written through a sink a chunk at a time are
// the bytes a writer holding everything makes, and read back the same.
#include "util/byte_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "util/hash.h"

namespace kiln {
namespace {

void WriteRecords(ByteWriter* w) {
  for (int i = 0; i < 500; ++i) {
    w->U8(static_cast<uint8_t>(i));
    w->U32(static_cast<uint32_t>(i * 7));
    w->I64(-i);
    w->U64(static_cast<uint64_t>(i) << 40);
    w->Str(std::string(static_cast<size_t>(i % 37), static_cast<char>('a' + i % 26)));
  }
}

TEST(ByteWriter, ASinkGetsTheSameBytesInChunks) {
  ByteWriter whole;
  WriteRecords(&whole);

  std::vector<std::string> chunks;
  ByteWriter streamed([&](std::string_view bytes) { chunks.emplace_back(bytes); }, 100);
  WriteRecords(&streamed);
  EXPECT_GT(chunks.size(), 50u);  // handed over as it went
  streamed.Flush();
  EXPECT_TRUE(streamed.bytes().empty());

  std::string joined;
  Hasher pieces;
  for (const std::string& chunk : chunks) {
    EXPECT_GE(chunk.size(), 1u);
    EXPECT_LT(chunk.size(), 100u + 64u);  // a chunk, plus at most one field
    joined += chunk;
    pieces.AddRaw(chunk);
  }
  EXPECT_EQ(joined, whole.bytes());
  EXPECT_EQ(pieces.Finish(), HashBytes(whole.bytes()));  // the checksum formats end in

  ByteReader r(joined);
  for (int i = 0; i < 500; ++i) {
    uint8_t u8;
    uint32_t u32;
    int64_t i64;
    uint64_t u64;
    std::string s;
    ASSERT_TRUE(r.U8(&u8) && r.U32(&u32) && r.I64(&i64) && r.U64(&u64) && r.Str(&s)) << i;
    EXPECT_EQ(u8, static_cast<uint8_t>(i));
    EXPECT_EQ(u32, static_cast<uint32_t>(i * 7));
    EXPECT_EQ(i64, -i);
    EXPECT_EQ(u64, static_cast<uint64_t>(i) << 40);
    EXPECT_EQ(s, std::string(static_cast<size_t>(i % 37), static_cast<char>('a' + i % 26)));
  }
  EXPECT_TRUE(r.AtEnd());
}

// A field of a chunk or more is handed over whole, after what came before.
TEST(ByteWriter, AFieldLargerThanAChunkGoesStraightThrough) {
  std::vector<std::string> chunks;
  ByteWriter w([&](std::string_view bytes) { chunks.emplace_back(bytes); }, 16);
  w.U8(1);
  w.Str(std::string(100, 'x'));
  w.U8(2);
  w.Flush();
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0], std::string("\x01\x64\0\0\0", 5));  // the byte and the length
  EXPECT_EQ(chunks[1], std::string(100, 'x'));
  EXPECT_EQ(chunks[2], "\x02");
}

TEST(ByteWriter, FlushWithoutASinkKeepsTheBytes) {
  ByteWriter w;
  w.Str("kept");
  w.Flush();
  EXPECT_EQ(w.bytes().size(), 8u);
}

}  // namespace
}  // namespace kiln
