#include "load/content_loader.h"

#include <gtest/gtest.h>

#include <cstdio>

#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::AgeFile;
using unit::TempDir;
using unit::WriteFileOrDie;

std::string Post(const std::string& title, const std::string& extra = "") {
  return "---\ntitle: " + title + "\ndate: 2026-01-01\n" + extra + "---\nBody of " + title + "\n";
}

class ContentLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override { WriteFileOrDie(dir_ / "kiln.toml", "title = \"t\"\n"); }
  void Write(const std::string& rel, const std::string& bytes) { WriteFileOrDie(dir_ / rel, bytes); }
  Status Load(bool force = false) { return LoadContent(dir_.path(), force, &cache_, &content_); }
  const PostMeta* FindPost(const std::string& slug) const {
    for (const auto& p : content_.posts) {
      if (p.slug == slug) return &p;
    }
    return nullptr;
  }

  TempDir dir_;
  SourceCache cache_;
  SiteContent content_;
};

TEST_F(ContentLoaderTest, LoadsPostsRecursivelyAndTopLevelPages) {
  Write("content/posts/a.md", Post("A"));
  Write("content/posts/2026/b.md", Post("B"));
  Write("content/about.md", "---\ntitle: About\n---\nHi\n");
  Write("content/sub/not-a-page.md", "---\ntitle: X\n---\n");
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(content_.posts.size(), 2u);
  ASSERT_NE(FindPost("b"), nullptr);
  EXPECT_EQ(FindPost("b")->source, "content/posts/2026/b.md");
  ASSERT_EQ(content_.pages.size(), 1u);
  EXPECT_EQ(content_.pages[0].slug, "about");
  EXPECT_EQ(content_.config.title, "t");
}

TEST_F(ContentLoaderTest, IgnoresHiddenAndNonMarkdownFiles) {
  // Editors leave .#a.md, .a.md.swp and backups beside posts.
  Write("content/posts/a.md", Post("A"));
  Write("content/posts/.a.md", "garbage");
  Write("content/posts/.cache/b.md", "garbage");
  Write("content/posts/notes.txt", "garbage");
  Write("content/posts/a.md~", "garbage");
  Status s = Load();
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(content_.posts.size(), 1u);
}

TEST_F(ContentLoaderTest, MissingConfigIsNotFound) {
  std::filesystem::remove(dir_ / "kiln.toml");
  EXPECT_EQ(Load().code(), Status::Code::kNotFound);
}

TEST_F(ContentLoaderTest, NoContentFolderIsAnEmptySite) {
  ASSERT_TRUE(Load().ok());
  EXPECT_TRUE(content_.posts.empty());
  EXPECT_TRUE(content_.pages.empty());
}

TEST_F(ContentLoaderTest, BadPostNamesFileAndLine) {
  Write("content/posts/a.md", Post("A"));
  Write("content/posts/b.md", "---\ntitle: B\ndate: never\n---\n");
  Status s = Load();
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), "content/posts/b.md");
  EXPECT_EQ(s.line(), 3);
}

// Posts are read on all cores when there are many: the result is in file
// order and, of several bad posts, the first in file order is reported,
// on every run.
TEST_F(ContentLoaderTest, ManyPostsLoadInFileOrderAndTheFirstBadOneIsReported) {
  for (int i = 0; i < 300; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "content/posts/p%03d.md", i);
    Write(name, Post("P" + std::to_string(i)));
  }
  ASSERT_TRUE(Load().ok());
  ASSERT_EQ(content_.posts.size(), 300u);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(content_.posts[i].title, "P" + std::to_string(i));
  Write("content/posts/p120.md", "---\ntitle: [unclosed\n---\n");
  Write("content/posts/p250.md", "---\ntitle: [unclosed\n---\n");
  for (int run = 0; run < 5; ++run) {
    Status s = Load(/*force=*/true);
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.file().find("p120.md"), std::string::npos) << s.ToString();
  }
}

TEST_F(ContentLoaderTest, DuplicatePostSlugsNameBothFiles) {
  Write("content/posts/a.md", Post("A", "slug: same\n"));
  Write("content/posts/b.md", Post("B", "slug: same\n"));
  Status s = Load();
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  std::string text = s.ToString();
  EXPECT_NE(text.find("content/posts/a.md"), std::string::npos) << text;
  EXPECT_NE(text.find("content/posts/b.md"), std::string::npos) << text;
  EXPECT_NE(text.find("same"), std::string::npos) << text;
}

TEST_F(ContentLoaderTest, DuplicateSlugFromStemAndFrontMatter) {
  Write("content/posts/hello.md", Post("A"));
  Write("content/posts/2025/other.md", Post("B", "slug: hello\n"));
  Status s = Load();
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.ToString().find("content/posts/hello.md"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("content/posts/2025/other.md"), std::string::npos) << s.ToString();
}

TEST_F(ContentLoaderTest, DuplicatePageSlugsNameBothFiles) {
  Write("content/about.md", "---\ntitle: A\n---\n");
  Write("content/me.md", "---\ntitle: B\nslug: about\n---\n");
  Status s = Load();
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.ToString().find("content/about.md"), std::string::npos) << s.ToString();
  EXPECT_NE(s.ToString().find("content/me.md"), std::string::npos) << s.ToString();
}

TEST_F(ContentLoaderTest, PostAndPageMayShareASlug) {
  // /posts/about/ and /about/ are different URLs.
  Write("content/posts/about.md", Post("A"));
  Write("content/about.md", "---\ntitle: About\n---\n");
  EXPECT_TRUE(Load().ok());
}

TEST_F(ContentLoaderTest, ReservedPageSlugsAreRejected) {
  // SPEC.md "Output": these top-level URLs belong to kiln.
  for (const char* slug : {"posts", "tags", "page", "api", "feed.xml", "sitemap.xml", "404.html",
                           "index.html"}) {
    TempDir dir;
    WriteFileOrDie(dir / "kiln.toml", "");
    WriteFileOrDie(dir / "content/p.md", std::string("---\ntitle: P\nslug: ") + slug + "\n---\n");
    SourceCache cache;
    SiteContent content;
    Status s = LoadContent(dir.path(), false, &cache, &content);
    EXPECT_EQ(s.code(), Status::Code::kInvalid) << slug;
    EXPECT_EQ(s.file(), "content/p.md") << slug;
  }
}

TEST_F(ContentLoaderTest, ReservedSlugFromFileStem) {
  Write("content/tags.md", "---\ntitle: Tags\n---\n");
  Status s = Load();
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), "content/tags.md");
}

TEST_F(ContentLoaderTest, ReservedPageSlugIsRejectedWhenCached) {
  // The check runs on cached metadata too, not only on freshly parsed files.
  Write("content/p.md", "---\ntitle: P\n---\n");
  AgeFile(dir_ / "content/p.md", 10);
  ASSERT_TRUE(Load().ok());
  cache_["content/p.md"].page.slug = "api";
  EXPECT_EQ(Load().code(), Status::Code::kInvalid);
}

TEST_F(ContentLoaderTest, UnchangedTrustedFileIsNotReRead) {
  // A stat equal to the cached one, taken more than a second after the
  // file's mtime, is trusted: the file is neither read nor parsed again.
  Write("content/posts/a.md", Post("Real"));
  AgeFile(dir_ / "content/posts/a.md", 10);
  ASSERT_TRUE(Load().ok());
  const int64_t observed = cache_.at("content/posts/a.md").observed_ns;
  cache_["content/posts/a.md"].post.title = "FromCache";
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(FindPost("a")->title, "FromCache");
  EXPECT_EQ(cache_.at("content/posts/a.md").observed_ns, observed);
}

TEST_F(ContentLoaderTest, RacilyCleanFileIsReRead) {
  // A file whose mtime is within a second of the read may change again in
  // the same timestamp tick without changing its stat ("racily clean"):
  // the next load must read it again.
  Write("content/posts/a.md", Post("AAAA"));
  ASSERT_TRUE(Load().ok());
  Write("content/posts/a.md", Post("BBBB"));  // same size, same second
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(FindPost("a")->title, "BBBB");
}

TEST_F(ContentLoaderTest, UntrustedEntryIsReReadEvenWithEqualStat) {
  Write("content/posts/a.md", Post("Real"));
  ASSERT_TRUE(Load().ok());  // mtime is "now": not trusted yet
  cache_["content/posts/a.md"].post.title = "Stale";
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(FindPost("a")->title, "Real");
}

TEST_F(ContentLoaderTest, ChangedStatIsReRead) {
  Write("content/posts/a.md", Post("One"));
  AgeFile(dir_ / "content/posts/a.md", 10);
  ASSERT_TRUE(Load().ok());
  Write("content/posts/a.md", Post("Two, longer"));
  AgeFile(dir_ / "content/posts/a.md", 5);
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(FindPost("a")->title, "Two, longer");
}

TEST_F(ContentLoaderTest, ForceReReadsTrustedFiles) {
  Write("content/posts/a.md", Post("Real"));
  AgeFile(dir_ / "content/posts/a.md", 10);
  ASSERT_TRUE(Load().ok());
  cache_["content/posts/a.md"].post.title = "Stale";
  ASSERT_TRUE(Load(/*force=*/true).ok());
  EXPECT_EQ(FindPost("a")->title, "Real");
}

TEST_F(ContentLoaderTest, CacheEntryHoldsStatAndHash) {
  const std::string bytes = Post("A");
  Write("content/posts/a.md", bytes);
  ASSERT_TRUE(Load().ok());
  const CachedSource& e = cache_.at("content/posts/a.md");
  EXPECT_EQ(e.stat.size, static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(e.content_hash, HashBytes(bytes));
  EXPECT_EQ(e.post.slug, "a");
  EXPECT_GT(e.observed_ns, 0);
}

TEST_F(ContentLoaderTest, DeletedFilesLeaveTheCache) {
  Write("content/posts/a.md", Post("A"));
  Write("content/posts/b.md", Post("B"));
  ASSERT_TRUE(Load().ok());
  std::filesystem::remove(dir_ / "content/posts/b.md");
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(cache_.count("content/posts/b.md"), 0u);
  EXPECT_EQ(content_.posts.size(), 1u);
}

TEST_F(ContentLoaderTest, NonContentCacheEntriesAreKept) {
  // Templates, static files and kiln.toml are refreshed by the engine.
  cache_["templates/post.mustache"].content_hash = 42;
  ASSERT_TRUE(Load().ok());
  EXPECT_EQ(cache_.at("templates/post.mustache").content_hash, 42u);
}

TEST_F(ContentLoaderTest, ErrorLeavesCacheUntouched) {
  Write("content/posts/a.md", Post("A"));
  ASSERT_TRUE(Load().ok());
  const SourceCache before = cache_;
  Write("content/posts/b.md", "no front matter");
  ASSERT_FALSE(Load().ok());
  EXPECT_EQ(cache_.size(), before.size());
  EXPECT_EQ(cache_.count("content/posts/b.md"), 0u);
}

}  // namespace
}  // namespace kiln
