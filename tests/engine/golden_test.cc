// Output pinned byte for byte (zola's snapshot tests): the fixture site
// tests/fixtures/test_site, built with the repository's theme at a pinned
// "now", must produce exactly the pages in tests/fixtures/golden/. A change
// to the theme or the renderer shows up here as a diff to read; regenerate
// with KILN_UPDATE_GOLDEN=1 (tests/fixtures/README.md). Every post with
// something of its own is pinned: posts/first uses the GFM extensions
// (table, strikethrough, autolink, task list), posts/second-post a
// highlighted code block and a comment; tags/news a tag page (its <head>
// names its feed) and that tag's feed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

const std::filesystem::path kFixture = std::filesystem::path(KILN_SOURCE_DIR) / "tests/fixtures";

class Golden : public ::testing::TestWithParam<const char*> {
 protected:
  static void SetUpTestSuite() {
    site_ = new TempSite();
    std::filesystem::remove_all(site_->root() / "content");
    std::filesystem::copy(kFixture / "test_site" / "content", site_->root() / "content",
                          std::filesystem::copy_options::recursive);
    std::filesystem::copy_file(kFixture / "test_site" / "kiln.toml", site_->root() / "kiln.toml",
                               std::filesystem::copy_options::overwrite_existing);
    site_->Build();  // creates kiln.db
    site_->Sql("INSERT INTO comments(post, author, body, created_at) VALUES "
               "('second-post', 'Ada <script>', 'A *comment* with [a link](https://example.org)', "
               "'2026-11-01T10:00:00Z')");
    site_->Build(/*full=*/true);
  }
  static void TearDownTestSuite() { delete site_; }
  static TempSite* site_;
};

TempSite* Golden::site_ = nullptr;

TEST_P(Golden, PageMatchesSnapshot) {
  const std::string rel = GetParam();
  const std::string actual = site_->ReadFile("site/" + rel);
  const std::filesystem::path golden = kFixture / "golden" / rel;
  if (std::getenv("KILN_UPDATE_GOLDEN")) {
    std::filesystem::create_directories(golden.parent_path());
    std::ofstream(golden, std::ios::binary) << actual;
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << golden << " missing; run with KILN_UPDATE_GOLDEN=1";
  std::string expected((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(actual, expected) << rel << " differs from its snapshot";
}

INSTANTIATE_TEST_SUITE_P(Pages, Golden,
                         ::testing::Values("index.html", "posts/first/index.html",
                                           "posts/second-post/index.html", "tags/index.html",
                                           "made-with/index.html", "feed.xml", "sitemap.xml",
                                           "404.html", "tags/news/index.html", "tags/news/feed.xml"));

}  // namespace
}  // namespace kiln::testing
