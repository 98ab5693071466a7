#include "serve/file_cache.h"

#include "serve/http_types.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

#include "wait_until.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

class FileCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-cache-test-XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& bytes) {
    fs::path tmp = dir_ / (name + ".tmp");
    std::ofstream(tmp) << bytes;
    fs::rename(tmp, dir_ / name);  // as the engine writes site/
  }
  fs::path dir_;
};

TEST_F(FileCacheTest, InvalidateDropsTheEntry) {
  FileCache cache(false);
  Write("a.html", "one");
  auto first = cache.Load("a.html", dir_ / "a.html");
  ASSERT_TRUE(first);
  EXPECT_EQ(*first->body, "one");
  EXPECT_EQ(cache.Find("a.html"), first);
  Write("a.html", "two");
  cache.Invalidate({"a.html"});
  EXPECT_EQ(cache.Find("a.html"), nullptr);
  auto second = cache.Load("a.html", dir_ / "a.html");
  EXPECT_EQ(*second->body, "two");
  EXPECT_NE(second->etag, first->etag);
  EXPECT_EQ(*first->body, "one");  // a response in flight keeps its bytes
}

// A file changed by someone else is re-checked at most a second after it
// was last checked: Find gives it up within that second (plus slack for a
// loaded machine), never later.
TEST_F(FileCacheTest, OutsideChangesAreSeenWithinASecond) {
  FileCache cache(false);
  Write("a.css", "one");
  ASSERT_TRUE(cache.Load("a.css", dir_ / "a.css"));
  Write("a.css", "three");
  EXPECT_TRUE(kiln::testing::WaitUntil([&] { return cache.Find("a.css") == nullptr; },
                                       std::chrono::milliseconds(1500)));
}

TEST_F(FileCacheTest, ReloadScriptOnlyInHtmlAndOnlyWhenAsked) {
  Write("a.html", "<body></body>");
  Write("a.css", "body{}");
  FileCache plain(false), watch(true);
  EXPECT_EQ(*plain.Load("a.html", dir_ / "a.html")->body, "<body></body>");
  EXPECT_NE(watch.Load("a.html", dir_ / "a.html")->body->find("EventSource"), std::string::npos);
  EXPECT_EQ(*watch.Load("a.css", dir_ / "a.css")->body, "body{}");
}

// The header blocks of the fast path are built once, from the entry.
TEST_F(FileCacheTest, HeaderBlocksAreSerializedOnce) {
  FileCache cache(false);
  Write("a.css", "body{}");
  auto file = cache.Load("a.css", dir_ / "a.css");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->head_200, "HTTP/1.1 200 OK\r\nServer: kiln\r\nETag: " + file->etag +
                                "\r\nLast-Modified: " + file->last_modified +
                                "\r\nCache-Control: no-cache\r\nAccept-Ranges: bytes\r\n"
                                "Content-Type: text/css; charset=utf-8\r\nContent-Length: 6\r\n");
  EXPECT_EQ(file->head_304, "HTTP/1.1 304 Not Modified\r\nServer: kiln\r\nETag: " + file->etag +
                                "\r\nLast-Modified: " + file->last_modified +
                                "\r\nCache-Control: no-cache\r\n");
}

// Issue 7 item 5: a file over kStreamAboveBytes is described, not read: no
// body in memory, an ETag from its mtime, size and inode, and Open() gives
// its descriptor only while the file on disk is still that one.
TEST_F(FileCacheTest, LargeFilesAreDescribedNotRead) {
  FileCache cache(false);
  std::string large(FileCache::kStreamAboveBytes + 1, 'x');
  Write("big.bin", large);
  auto file = cache.Load("big.bin", dir_ / "big.bin");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->body, nullptr);
  EXPECT_EQ(file->size, static_cast<int64_t>(large.size()));
  EXPECT_NE(file->head_200.find("Content-Length: " + std::to_string(large.size()) + "\r\n"),
            std::string::npos);
  EXPECT_TRUE(FileCache::Open(*file));
  Write("big.bin", large + "y");  // replaced by rename: another inode and size
  EXPECT_FALSE(FileCache::Open(*file));
  auto again = cache.Load("big.bin", dir_ / "big.bin");
  ASSERT_TRUE(again);
  EXPECT_NE(again->etag, file->etag);
  EXPECT_TRUE(FileCache::Open(*again));
  // At the threshold, still in memory.
  Write("edge.bin", std::string(FileCache::kStreamAboveBytes, 'e'));
  EXPECT_NE(cache.Load("edge.bin", dir_ / "edge.bin")->body, nullptr);
}

// SPEC.md, "The edge": the header block names the file's cache tags; a
// build that changes them (not the bytes) drops the entry, so the next
// answer names the new ones.
TEST_F(FileCacheTest, CacheTagsAndCacheControlAreInTheHeaderBlocks) {
  FileCache cache(false, "public, s-maxage=9");
  Write("a.css", "body{}");
  Write("b.css", "p{}");
  cache.SetCacheTags({{"a.css", "static:a.css"}, {"b.css", "static:b.css"}});
  auto a = cache.Load("a.css", dir_ / "a.css");
  cache.Load("b.css", dir_ / "b.css");
  EXPECT_NE(a->head_200.find("\r\nCache-Control: public, s-maxage=9\r\nxkey: static:a.css\r\n"
                             "Surrogate-Key: static:a.css\r\n"), std::string::npos) << a->head_200;
  EXPECT_NE(a->head_304.find("\r\nxkey: static:a.css\r\n"), std::string::npos) << a->head_304;
  cache.UpdateCacheTags({{"a.css", "static:a.css template:x"}, {"b.css", "static:b.css"}}, {});
  EXPECT_FALSE(cache.Find("a.css"));
  EXPECT_TRUE(cache.Find("b.css"));
  EXPECT_NE(cache.Load("a.css", dir_ / "a.css")->head_200.find("xkey: static:a.css template:x\r\n"),
            std::string::npos);
  cache.UpdateCacheTags({}, {"b.css"});
  EXPECT_FALSE(cache.Find("b.css"));
  EXPECT_EQ(cache.Load("b.css", dir_ / "b.css")->head_200.find("xkey"), std::string::npos);
  cache.SetCacheTags({{"a.css", "other"}});
  EXPECT_FALSE(cache.Find("a.css"));
}

TEST_F(FileCacheTest, AFileWithoutTagsHasNoTagHeaders) {
  FileCache cache(false);
  Write("a.css", "body{}");
  EXPECT_EQ(cache.Load("a.css", dir_ / "a.css")->head_200.find("xkey"), std::string::npos);
}

}  // namespace
}  // namespace kiln
