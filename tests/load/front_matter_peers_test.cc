// Front matter as Jekyll, Hugo and Zola write it (SPEC.md, "A site on disk";
// issue 8: a real Jekyll blog stopped at "front matter has no 'date'").
#include <gtest/gtest.h>

#include "load/front_matter.h"
#include "util/time_format.h"

namespace kiln {
namespace {

int64_t SecondsAt(const char* iso) {
  int64_t s = -1;
  EXPECT_TRUE(ParseIsoDate(iso, &s)) << iso;
  return s;
}

PostMeta MustParse(const std::string& source, const std::string& bytes,
                   const TimeZone& zone = TimeZone()) {
  PostMeta meta;
  Status s = ParsePostFile(source, bytes, &meta, nullptr, zone);
  EXPECT_TRUE(s.ok()) << s.ToString();
  return meta;
}

TEST(FrontMatterPeers, JekyllPostWithoutFrontMatterTakesDateTitleAndSlugFromItsName) {
  PostMeta m = MustParse("content/posts/2016-03-07-Hello-World.md", "Just text.\n");
  EXPECT_EQ(m.date, SecondsAt("2016-03-07"));
  EXPECT_EQ(m.title, "Hello World");
  EXPECT_EQ(m.slug, "hello-world");
  EXPECT_EQ(m.title_part, "Hello-World");
  EXPECT_EQ(m.summary, "Just text.");
}

TEST(FrontMatterPeers, OneDigitMonthAndDayInTheFileName) {
  PostMeta m = MustParse("content/posts/2014-9-5-launch.markdown", "---\ntitle: Launch\n---\nx\n");
  EXPECT_EQ(m.date, SecondsAt("2014-09-05"));
  EXPECT_EQ(m.slug, "launch");
}

TEST(FrontMatterPeers, FrontMatterDateWithTimeAndZoneWinsOverTheFileName) {
  PostMeta m = MustParse("content/posts/2014-09-15-Launch-Day.md",
                         "---\ndate: 2014-09-16 10:17:08 +0200\n---\n");
  EXPECT_EQ(m.date, SecondsAt("2014-09-16T08:17:08Z"));
  EXPECT_EQ(m.title, "Launch Day");
}

TEST(FrontMatterPeers, DatesWithoutZoneAreInTheSiteTimeZone) {
  TimeZone paris;
  ASSERT_TRUE(TimeZone::Find("Europe/Paris", &paris).ok());
  PostMeta m = MustParse("content/posts/a.md", "---\ndate: 2026-07-01 10:00\n---\n", paris);
  EXPECT_EQ(m.date, SecondsAt("2026-07-01T08:00:00Z"));  // CEST is UTC+2
  EXPECT_EQ(FormatRfc3339(m.date_local), "2026-07-01T10:00:00Z");
  EXPECT_EQ(m.timezone, "Europe/Paris");
  PostMeta named = MustParse("content/posts/2026-01-05-b.md", "", paris);
  EXPECT_EQ(named.date, SecondsAt("2026-01-04T23:00:00Z"));  // midnight in Paris, winter
  PostMeta zoned = MustParse("content/posts/c.md", "---\ndate: 2026-07-01T10:00:00Z\n---\n", paris);
  EXPECT_EQ(zoned.date, SecondsAt("2026-07-01T10:00:00Z"));
}

TEST(FrontMatterPeers, TomlFrontMatterAsHugoAndZolaWriteIt) {
  PostMeta m = MustParse("content/posts/toml.md",
                         "+++\ntitle = \"Hugo post\"\ndate = 2021-05-04T09:30:00-04:00\n"
                         "lastmod = 2021-06-01\ndraft = false\ntags = [\"go\", \"web\"]\n"
                         "aliases = [\"/old/toml/\"]\n\n[taxonomies]\ntags = [\"zola\"]\n"
                         "[extra]\nmath = true\n+++\nBody.\n");
  EXPECT_EQ(m.title, "Hugo post");
  EXPECT_EQ(m.date, SecondsAt("2021-05-04T13:30:00Z"));
  EXPECT_EQ(m.updated, SecondsAt("2021-06-01"));
  EXPECT_EQ(m.tags, (std::vector<std::string>{"go", "web", "zola"}));
  EXPECT_EQ(m.aliases, (std::vector<std::string>{"/old/toml/"}));
  EXPECT_FALSE(m.draft);
}

TEST(FrontMatterPeers, TomlErrorNamesTheFileLine) {
  PostMeta meta;
  Status s = ParsePostFile("content/posts/t.md", "+++\ntitle = \"ok\"\ndate = = 3\n+++\n", &meta, nullptr);
  EXPECT_EQ(s.file(), "content/posts/t.md");
  EXPECT_EQ(s.line(), 3);
}

TEST(FrontMatterPeers, FenceLinesMayEndInSpaces) {
  PostMeta m = MustParse("content/posts/s.md", "--- \ntitle: Spaces\ndate: 2020-01-01\n---  \r\nBody\n");
  EXPECT_EQ(m.title, "Spaces");
  EXPECT_EQ(m.summary, "Body");
}

TEST(FrontMatterPeers, JekyllPublishedFalseIsADraft) {
  EXPECT_TRUE(MustParse("content/posts/2020-01-01-d.md", "---\npublished: false\n---\n").draft);
  EXPECT_FALSE(MustParse("content/posts/2020-01-01-d.md", "---\npublished: true\n---\n").draft);
}

TEST(FrontMatterPeers, KeysThePeersSpellDifferently) {
  PostMeta m = MustParse("content/posts/2020-01-01-k.md",
                         "---\nlast_modified_at: 2020-02-02\nauthors: [Ada, Grace]\n"
                         "excerpt: Short.\ndescription: For search engines.\ncategories: [rust]\n"
                         "redirect_from: /old/k.html\n---\n");
  EXPECT_EQ(m.updated, SecondsAt("2020-02-02"));
  EXPECT_EQ(m.author, "Ada, Grace");
  EXPECT_EQ(m.summary, "Short.");
  EXPECT_EQ(m.description, "For search engines.");
  EXPECT_EQ(m.tags, std::vector<std::string>{"rust"});
  EXPECT_EQ(m.aliases, std::vector<std::string>{"/old/k.html"});
  PostMeta jekyll_author = MustParse("content/posts/2020-01-01-k.md", "---\nauthor:\n  name: Ada\n---\n");
  EXPECT_EQ(jekyll_author.author, "Ada");
}

TEST(FrontMatterPeers, BundleIsNamedByItsFolder) {
  PostMeta m = MustParse("content/posts/2019-10-02-trip/index.md", "---\ntitle: Trip\n---\n");
  EXPECT_EQ(m.slug, "trip");
  EXPECT_EQ(m.date, SecondsAt("2019-10-02"));
}

TEST(FrontMatterPeers, OwnPermalinkIsSanitisedOrRefused) {
  EXPECT_EQ(MustParse("content/posts/a.md", "---\ndate: 2020-01-01\nurl: /about/me\n---\n").permalink,
            "/about/me/");
  EXPECT_EQ(MustParse("content/posts/a.md", "---\ndate: 2020-01-01\npath: notes/a\n---\n").permalink,
            "/notes/a/");  // Zola's path has no leading '/'
  for (const char* bad : {"/%2e%2e/%2e%2e/etc/passwd", "/../x/", "/a/./b", "https://evil.example/x",
                          "//evil.example/x", "/a\\b", "/a%2fb/%2E%2E/%2e%2E/../c"}) {
    PostMeta meta;
    Status s = ParsePostFile("content/posts/a.md",
                             std::string("---\ndate: 2020-01-01\npermalink: '") + bad + "'\n---\n",
                             &meta, nullptr);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_EQ(s.line(), 3) << bad;
  }
}

TEST(FrontMatterPeers, NoDateAnywhereNamesTheFile) {
  PostMeta meta;
  Status s = ParsePostFile("content/posts/plain.md", "Just text\n", &meta, nullptr);
  EXPECT_EQ(s.file(), "content/posts/plain.md");
  EXPECT_NE(s.message().find("2016-03-07-title.md"), std::string::npos);
}

}  // namespace
}  // namespace kiln
