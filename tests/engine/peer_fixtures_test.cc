// Blogs moved from Jekyll, Hugo and Zola as they are (issue 8): each fixture
// under tests/fixtures/ is written in that tool's own conventions and must
// build, with the repository's theme, at the URLs that tool gives.
#include <gtest/gtest.h>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

const std::filesystem::path kPeerFixtureRoot = std::filesystem::path(KILN_SOURCE_DIR) / "tests/fixtures";

class PeerFixture {
 public:
  explicit PeerFixture(const std::string& name) {
    std::filesystem::remove_all(site_.root() / "content");
    std::filesystem::copy(kPeerFixtureRoot / name, site_.root(),
                          std::filesystem::copy_options::recursive |
                              std::filesystem::copy_options::overwrite_existing);
    report_ = site_.Build(/*full=*/true);
  }
  bool Has(const std::string& rel) const { return site_.Exists("site/" + rel); }
  std::string Read(const std::string& rel) const { return site_.ReadFile("site/" + rel); }
  TempSite& site() { return site_; }

 private:
  TempSite site_;
  BuildReport report_;
};

bool PeerContains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PeerFixtures, JekyllPostsKeepTheirUrls) {
  PeerFixture f("jekyll_site");
  EXPECT_TRUE(f.Has("2014/09/15/Launch-Day.html"));
  EXPECT_TRUE(f.Has("2016/03/07/hello-world.html"));  // no front matter, one-digit month and day
  EXPECT_TRUE(f.Has("2008/10/18/foo-bar.html"));
  EXPECT_TRUE(f.Has("2013/01/02/post-excerpt.html"));
  EXPECT_TRUE(f.Has("2009/05/18/empty-yaml.html"));
  EXPECT_TRUE(f.Has("about-the-blog/index.html"));   // its own permalink
  EXPECT_FALSE(f.Has("2015/01/01/unpublished.html"));  // published: false
  EXPECT_TRUE(f.Has("about/index.html"));
  // jekyll-redirect-from's redirect_from, at both spellings of a path.
  EXPECT_TRUE(PeerContains(f.Read("foo-bar/index.html"), "url=/notes/2008/10/18/foo-bar.html"));
  EXPECT_TRUE(f.Has("2008/10/18/old-foo-bar.html"));
  const std::string hello = f.Read("2016/03/07/hello-world.html");
  EXPECT_TRUE(PeerContains(hello, "<h1>Hello World</h1>"));
  EXPECT_TRUE(PeerContains(hello, "datetime=\"2016-03-07\""));
  const std::string excerpt = f.Read("2013/01/02/post-excerpt.html");
  EXPECT_TRUE(PeerContains(excerpt, "<h1>Post Excerpt</h1>"));
  EXPECT_TRUE(PeerContains(excerpt, "datetime=\"2013-02-01\""));  // last_modified_at
  // base_url https://ada.github.io/notes/: links carry /notes/.
  EXPECT_TRUE(PeerContains(f.Read("index.html"), "href=\"/notes/2014/09/15/Launch-Day.html\""));
  EXPECT_TRUE(PeerContains(f.Read("index.html"), "An excerpt written by hand."));
  EXPECT_TRUE(f.Has("tags/news/index.html"));  // categories join the tags
  EXPECT_TRUE(PeerContains(f.Read("feed.xml"), "https://ada.github.io/notes/2016/03/07/hello-world.html"));
}

TEST(PeerFixtures, HugoContentWithTomlAndABundle) {
  PeerFixture f("hugo_site");
  EXPECT_TRUE(f.Has("posts/my-first-post/index.html"));
  EXPECT_TRUE(f.Has("posts/paris-trip/index.html"));
  EXPECT_EQ(f.Read("posts/paris-trip/river.jpg"), "JPEG");
  EXPECT_EQ(f.Read("posts/paris-trip/gallery/bridge.png"), "PNG");
  EXPECT_TRUE(PeerContains(f.Read("old/trip/index.html"), "url=/posts/paris-trip/"));
  EXPECT_TRUE(PeerContains(f.Read("posts/trip/index.html"), "url=/posts/paris-trip/"));
  EXPECT_TRUE(f.Has("special/moved/index.html"));  // Hugo's url
  EXPECT_FALSE(f.Has("posts/draft-post/index.html"));
  EXPECT_FALSE(f.Has("posts/_index/index.html"));  // a section file, not a post
  EXPECT_EQ(f.Read("robots.txt"), "User-agent: *\nDisallow: /private/\n");
  const std::string first = f.Read("posts/my-first-post/index.html");
  EXPECT_TRUE(PeerContains(first, "datetime=\"2023-01-15\""));
  EXPECT_TRUE(PeerContains(first, "datetime=\"2023-02-01\""));  // lastmod
  EXPECT_TRUE(f.Has("tags/go/index.html"));
  EXPECT_TRUE(f.Has("tags/notes/index.html"));
}

TEST(PeerFixtures, ZolaSectionWithTaxonomiesAndPaths) {
  PeerFixture f("zola_site");
  EXPECT_TRUE(f.Has("posts/hello/index.html"));     // the date prefix is not in the slug
  EXPECT_TRUE(f.Has("custom/second/index.html"));   // Zola's path
  EXPECT_TRUE(f.Has("posts/second/old/index.html"));
  EXPECT_TRUE(f.Has("tags/static-sites/index.html"));
  EXPECT_TRUE(PeerContains(f.Read("posts/hello/index.html"), "datetime=\"2018-10-02\""));
  EXPECT_TRUE(PeerContains(f.Read("robots.txt"), "Sitemap: https://zola.example/sitemap.xml"));
}

// Invariant 1 on a moved blog: an edit then an incremental build equals a
// full build from scratch.
TEST(PeerFixtures, JekyllSiteStaysEqualToAFullBuildAfterAnEdit) {
  PeerFixture f("jekyll_site");
  f.site().WriteFile("content/posts/2016-3-7-hello-world.markdown", "Edited text.\n");
  f.site().Build();
  auto full = f.site().FullBuildFromScratch();
  auto incremental = f.site().SiteFiles();
  EXPECT_EQ(incremental, full) << DescribeDifferences(incremental, full);
}

}  // namespace
}  // namespace kiln::testing
