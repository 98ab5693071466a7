#include "util/fs.h"

#include <gtest/gtest.h>

#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::TempDir;
using unit::WriteFileOrDie;

constexpr int64_t kSecond = 1'000'000'000;

TEST(FileStat, TrustedOnlyAFullSecondAfterMtime) {
  // A stat read in the same clock tick as a write may hide a later write
  // ("racily clean"): trust it only once mtime is over a second old.
  FileStat st;
  st.size = 1;
  st.mtime_ns = 100 * kSecond;
  EXPECT_FALSE(st.TrustedAfter(100 * kSecond));
  EXPECT_FALSE(st.TrustedAfter(100 * kSecond + kSecond / 2));
  EXPECT_FALSE(st.TrustedAfter(101 * kSecond));  // exactly one second: not yet
  EXPECT_TRUE(st.TrustedAfter(101 * kSecond + 1));
  EXPECT_FALSE(st.TrustedAfter(99 * kSecond));  // mtime in the future (clock skew)
}

TEST(FileStat, MissingFileHasNegativeSizeAndNoError) {
  TempDir dir;
  FileStat st;
  st.size = 5;
  ASSERT_TRUE(StatFile(dir / "nope", &st).ok());
  EXPECT_FALSE(st.exists());
  EXPECT_EQ(st, FileStat());
}

TEST(FileStat, PathThroughAFileIsMissing) {
  TempDir dir;
  WriteFileOrDie(dir / "f", "x");
  FileStat st;
  ASSERT_TRUE(StatFile(dir / "f/child", &st).ok());  // ENOTDIR
  EXPECT_FALSE(st.exists());
}

TEST(FileStat, StatSeesSizeAndMtime) {
  TempDir dir;
  WriteFileOrDie(dir / "f", "hello");
  FileStat a, b;
  ASSERT_TRUE(StatFile(dir / "f", &a).ok());
  EXPECT_EQ(a.size, 5);
  EXPECT_GT(a.inode, 0);
  unit::AgeFile(dir / "f", 10);
  ASSERT_TRUE(StatFile(dir / "f", &b).ok());
  EXPECT_NE(a, b);
  EXPECT_NEAR(static_cast<double>(a.mtime_ns - b.mtime_ns), 10.0 * kSecond, 1e6);
}

TEST(Fs, ReadFileReadsBinary) {
  TempDir dir;
  const std::string bytes("a\0b\xff", 4);
  WriteFileOrDie(dir / "f", bytes);
  std::string out;
  ASSERT_TRUE(ReadFile(dir / "f", &out).ok());
  EXPECT_EQ(out, bytes);
}

TEST(Fs, ReadFileReadsEmptyAndLargeFiles) {
  TempDir dir;
  WriteFileOrDie(dir / "empty", "");
  std::string large(1 << 20, 'x');
  large[12345] = '\0';
  WriteFileOrDie(dir / "large", large);
  std::string out = "stale";
  ASSERT_TRUE(ReadFile(dir / "empty", &out).ok());
  EXPECT_EQ(out, "");
  ASSERT_TRUE(ReadFile(dir / "large", &out).ok());
  EXPECT_EQ(out, large);
}

// A file whose stat says 0 bytes may still have some (procfs): read to the end.
TEST(Fs, ReadFileReadsPastAStatSizeOfZero) {
  std::string out;
  ASSERT_TRUE(ReadFile("/proc/self/status", &out).ok());
  EXPECT_NE(out.find("Name:"), std::string::npos);
  EXPECT_GT(out.size(), 100u);
}

TEST(Fs, ReadFileOfAFolderIsIoWithName) {
  TempDir dir;
  std::string out = "keep";
  Status s = ReadFile(dir.path(), &out);
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_EQ(s.file(), dir.path().string());
  EXPECT_EQ(out, "keep");
}

TEST(Fs, ReadMissingFileIsIoWithName) {
  TempDir dir;
  std::string out = "keep";
  Status s = ReadFile(dir / "nope", &out);
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_EQ(s.file(), (dir / "nope").string());
  EXPECT_EQ(out, "keep");
}

TEST(MappedFile, MapsBinaryEmptyAndLargeFiles) {
  TempDir dir;
  std::string large(1 << 20, 'x');
  large[12345] = '\0';
  WriteFileOrDie(dir / "large", large);
  WriteFileOrDie(dir / "empty", "");
  MappedFile mapped;
  ASSERT_TRUE(mapped.Open(dir / "large").ok());
  EXPECT_EQ(mapped.bytes(), large);
  MappedFile empty;
  ASSERT_TRUE(empty.Open(dir / "empty").ok());
  EXPECT_EQ(empty.bytes(), "");
}

// What the site snapshot relies on: a file replaced by rename while mapped
// keeps its bytes for the reader.
TEST(MappedFile, KeepsItsBytesWhenTheFileIsReplaced) {
  TempDir dir;
  WriteFileOrDie(dir / "f", "old bytes");
  MappedFile mapped;
  ASSERT_TRUE(mapped.Open(dir / "f").ok());
  WriteFileOrDie(dir / "g", "new");
  std::filesystem::rename(dir / "g", dir / "f");
  EXPECT_EQ(mapped.bytes(), "old bytes");
}

TEST(MappedFile, ASecondOpenReplacesTheFirst) {
  TempDir dir;
  WriteFileOrDie(dir / "a", "first");
  WriteFileOrDie(dir / "b", "second");
  MappedFile mapped;
  ASSERT_TRUE(mapped.Open(dir / "a").ok());
  ASSERT_TRUE(mapped.Open(dir / "b").ok());
  EXPECT_EQ(mapped.bytes(), "second");
  EXPECT_FALSE(mapped.Open(dir / "nope").ok());
  EXPECT_EQ(mapped.bytes(), "");
}

TEST(MappedFile, MissingFileOrFolderIsIoWithName) {
  TempDir dir;
  MappedFile missing;
  Status s = missing.Open(dir / "nope");
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_EQ(s.file(), (dir / "nope").string());
  EXPECT_EQ(missing.bytes(), "");
  MappedFile folder;
  s = folder.Open(dir.path());
  EXPECT_EQ(s.code(), Status::Code::kIo);
  EXPECT_EQ(folder.bytes(), "");
}

TEST(Fs, ListFilesRecursiveIsSortedRelativeFilesOnly) {
  TempDir dir;
  WriteFileOrDie(dir / "b.txt", "");
  WriteFileOrDie(dir / "a/z.css", "");
  WriteFileOrDie(dir / "a/b/c.js", "");
  std::filesystem::create_directories(dir / "empty");
  std::vector<std::string> files = {"stale"};
  ASSERT_TRUE(ListFilesRecursive(dir.path(), &files).ok());
  EXPECT_EQ(files, (std::vector<std::string>{"a/b/c.js", "a/z.css", "b.txt"}));
}

TEST(Fs, ListMissingFolderIsEmpty) {
  TempDir dir;
  std::vector<std::string> files = {"stale"};
  ASSERT_TRUE(ListFilesRecursive(dir / "nope", &files).ok());
  EXPECT_TRUE(files.empty());
}

TEST(Fs, NowIsAfter2020) {
  EXPECT_GT(NowNanoseconds(), 1'577'836'800LL * kSecond);
}

}  // namespace
}  // namespace kiln
