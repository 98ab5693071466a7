// SPEC.md, "Output": every HTML page carries a title with the site's name,
// a description (the post's summary), a canonical link, Open Graph and
// Twitter card tags; posts carry JSON-LD. All through templates/head.mustache,
// with dependencies recorded like everything else.
#include <gtest/gtest.h>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

bool HeadContains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PageHead, PostCarriesTitleDescriptionCanonicalCardsAndJsonLd) {
  TempSite site;
  site.WritePost("a", "Hello", "2026-01-02", {"x"}, "Body.\n", "summary: Short & sweet.\nauthor: Grace\n");
  site.Build();
  const std::string page = site.ReadFile("site/posts/a/index.html");
  EXPECT_TRUE(HeadContains(page, "<title>Hello · Test blog</title>"));
  EXPECT_TRUE(HeadContains(page, "<meta name=\"description\" content=\"Short &amp; sweet.\">"));
  EXPECT_TRUE(HeadContains(page, "<link rel=\"canonical\" href=\"https://blog.example/posts/a/\">"));
  EXPECT_TRUE(HeadContains(page, "<meta property=\"og:type\" content=\"article\">"));
  EXPECT_TRUE(HeadContains(page, "<meta name=\"twitter:card\" content=\"summary\">"));
  EXPECT_TRUE(HeadContains(page, "<meta name=\"author\" content=\"Grace\">"));
  EXPECT_TRUE(HeadContains(page, "\"@type\":\"BlogPosting\""));
  EXPECT_TRUE(HeadContains(page, "\"description\":\"Short \\u0026 sweet.\""));
  const std::string home = site.ReadFile("site/index.html");
  EXPECT_TRUE(HeadContains(home, "<title>Test blog</title>"));
  EXPECT_TRUE(HeadContains(home, "<meta property=\"og:type\" content=\"website\">"));
  EXPECT_FALSE(HeadContains(home, "ld+json"));
  EXPECT_FALSE(HeadContains(site.ReadFile("site/404.html"), "rel=\"canonical\""));
}

// A title is the author's text, but it must not end the JSON-LD script.
TEST(PageHead, JsonLdCannotCloseItsScript) {
  TempSite site;
  site.WritePost("a", "</script><script>alert(1)</script>", "2026-01-02");
  site.Build();
  const std::string page = site.ReadFile("site/posts/a/index.html");
  const size_t ld = page.find("application/ld+json\">");
  ASSERT_NE(ld, std::string::npos);
  const size_t end = page.find("</script>", ld);
  EXPECT_TRUE(HeadContains(page.substr(ld, end - ld), "\\u003c/script\\u003e"));
  EXPECT_FALSE(HeadContains(page, "<script>alert(1)"));
}

// The site title is in every <title>: renaming the site renders every HTML page.
TEST(PageHead, SiteTitleChangeRendersTheHtmlPages) {
  TempSite site(3, 4);
  site.WritePost("a", "A", "2026-01-02");
  site.Build();
  site.WriteConfig(3, 4, "Renamed");
  BuildReport report = site.Build();
  EXPECT_EQ(report.rendered, (std::vector<std::string>{"/", "/404.html", "/feed.xml", "/posts/a/", "/tags/"}));
  EXPECT_TRUE(HeadContains(site.ReadFile("site/posts/a/index.html"), "<title>A · Renamed</title>"));
}

}  // namespace
}  // namespace kiln::testing
