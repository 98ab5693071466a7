#include "serve/file_cache.h"

#include <unistd.h>

#include <fstream>

#include <gtest/gtest.h>

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

TEST_F(FileCacheTest, OutsideChangesAreSeenWithinASecond) {
  FileCache cache(false);
  Write("a.css", "one");
  cache.Load("a.css", dir_ / "a.css");
  Write("a.css", "three");
  usleep(1'100'000);
  EXPECT_EQ(cache.Find("a.css"), nullptr);
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
                                "\r\nCache-Control: no-cache\r\nContent-Type: text/css; "
                                "charset=utf-8\r\nContent-Length: 6\r\n");
  EXPECT_EQ(file->head_304, "HTTP/1.1 304 Not Modified\r\nServer: kiln\r\nETag: " + file->etag +
                                "\r\nLast-Modified: " + file->last_modified +
                                "\r\nCache-Control: no-cache\r\n");
}

}  // namespace
}  // namespace kiln
