#include "load/front_matter.h"

#include <gtest/gtest.h>

#include "unit_test_util.h"
#include "util/time_format.h"

namespace kiln {
namespace {

const char kSource[] = "content/posts/hello-kiln.md";

Status Parse(const std::string& bytes, PostMeta* meta, std::string* body = nullptr) {
  return ParsePostFile(kSource, bytes, meta, body);
}

int64_t Day(const char* iso) {
  int64_t s = -1;
  EXPECT_TRUE(ParseIsoDate(iso, &s));
  return s;
}

TEST(FrontMatter, MinimalPost) {
  PostMeta meta;
  std::string body;
  Status s = Parse("---\ntitle: Hello\ndate: 2026-11-26\n---\nBody *text*.\n", &meta, &body);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "Hello");
  EXPECT_EQ(meta.date, Day("2026-11-26"));
  EXPECT_EQ(meta.slug, "hello-kiln");  // from the file stem
  EXPECT_EQ(meta.source, kSource);
  EXPECT_EQ(meta.updated, 0);
  EXPECT_FALSE(meta.draft);
  EXPECT_TRUE(meta.tags.empty());
  EXPECT_EQ(body, "Body *text*.\n");
}

TEST(FrontMatter, AllOptionalFields) {
  PostMeta meta;
  Status s = Parse(
      "---\ntitle: T\ndate: 2026-01-02T03:04:05Z\nupdated: 2026-02-01\ntags: [a, b]\n"
      "slug: my-slug\nsummary: '  Short.  '\ndraft: true\n---\n",
      &meta);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.date, Day("2026-01-02T03:04:05Z"));
  EXPECT_EQ(meta.updated, Day("2026-02-01"));
  EXPECT_EQ(meta.tags, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(meta.slug, "my-slug");
  EXPECT_EQ(meta.summary, "Short.");  // trimmed
  EXPECT_TRUE(meta.draft);
}

TEST(FrontMatter, UnknownKeysAreIgnored) {
  // Header: front matter written for Hugo or Jekyll still builds.
  PostMeta meta;
  EXPECT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\nlayout: post\nweight: 3\n---\n", &meta).ok());
}

// SPEC.md: `title`, else made from the file name as Jekyll does
// (Utils.titleize_slug).
TEST(FrontMatter, MissingTitleIsMadeFromTheFileName) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ndate: 2026-01-01\n---\n", &meta).ok());
  EXPECT_EQ(meta.title, "Hello Kiln");
}

TEST(FrontMatter, MissingDateIsAnError) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_NE(s.message().find("date"), std::string::npos);
}

TEST(FrontMatter, EmptyTitleIsAnError) {
  PostMeta meta;
  Status s = Parse("---\ndate: 2026-01-01\ntitle: '   '\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 3);
}

TEST(FrontMatter, TitleMustBeText) {
  PostMeta meta;
  Status s = Parse("---\ndate: 2026-01-01\ntitle: [a, b]\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 3);
}

TEST(FrontMatter, InvalidDateNamesItsLine) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\n\ndate: 2026-02-30\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), kSource);
  EXPECT_EQ(s.line(), 4);  // the YAML starts on file line 2
  EXPECT_NE(s.message().find("2026-02-30"), std::string::npos) << s.message();
}

TEST(FrontMatter, InvalidDates) {
  for (const char* date : {"tomorrow", "2026/01/01", "01-02-2026", "2026-1-1", "''", "[2026]",
                           "2026-01-01T10:00:00 junk"}) {
    PostMeta meta;
    std::string text = std::string("---\ntitle: T\ndate: ") + date + "\n---\n";
    EXPECT_EQ(Parse(text, &meta).code(), Status::Code::kInvalid) << date;
  }
}

TEST(FrontMatter, InvalidUpdatedIsAnError) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\ndate: 2026-01-01\nupdated: soon\n---\n", &meta);
  EXPECT_EQ(s.line(), 4);
}

TEST(FrontMatter, TagsAsSingleString) {
  // "tags: news" means one tag.
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\ntags: news\n---\n", &meta).ok());
  EXPECT_EQ(meta.tags, std::vector<std::string>{"news"});
}

TEST(FrontMatter, TagsAsBlockList) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\ntags:\n  - C++\n  - Static Sites\n---\n",
                    &meta).ok());
  EXPECT_EQ(meta.tags, (std::vector<std::string>{"C++", "Static Sites"}));
}

TEST(FrontMatter, DuplicateTagsAreMergedBySlug) {
  // Two spellings with one URL are one tag; the first spelling is kept.
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\ntags: [News, news, ' News ', b, NEWS]\n---\n",
                    &meta).ok());
  EXPECT_EQ(meta.tags, (std::vector<std::string>{"News", "b"}));
}

TEST(FrontMatter, EmptyTagsKeyMeansNoTags) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\ntags:\n---\n", &meta).ok());
  EXPECT_TRUE(meta.tags.empty());
}

TEST(FrontMatter, BadTags) {
  for (const char* tags : {"[[a]]", "{a: b}", "['!!!']", "'  '"}) {
    PostMeta meta;
    std::string text = std::string("---\ntitle: T\ndate: 2026-01-01\ntags: ") + tags + "\n---\n";
    Status s = Parse(text, &meta);
    EXPECT_EQ(s.code(), Status::Code::kInvalid) << tags;
    EXPECT_EQ(s.line(), 4) << tags << " -> " << s.ToString();
  }
}

TEST(FrontMatter, DraftValues) {
  for (auto [text, want] : std::vector<std::pair<const char*, bool>>{
           {"true", true}, {"True", true}, {"yes", true},
           {"false", false}, {"False", false}, {"no", false}}) {
    PostMeta meta;
    Status s = Parse(std::string("---\ntitle: T\ndate: 2026-01-01\ndraft: ") + text + "\n---\n", &meta);
    ASSERT_TRUE(s.ok()) << text;
    EXPECT_EQ(meta.draft, want) << text;
  }
}

TEST(FrontMatter, DraftMustBeABoolean) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\ndate: 2026-01-01\ndraft: maybe\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 4);
}

TEST(FrontMatter, InvalidSlugNamesItsLine) {
  for (const char* slug : {"Bad Slug", "../etc", "a/b", "-x", "''"}) {
    PostMeta meta;
    Status s = Parse(std::string("---\ntitle: T\ndate: 2026-01-01\nslug: ") + slug + "\n---\n", &meta);
    EXPECT_EQ(s.code(), Status::Code::kInvalid) << slug;
    EXPECT_EQ(s.line(), 4) << slug;
  }
}

TEST(FrontMatter, DefaultSlugIsSlugifiedStem) {
  PostMeta meta;
  ASSERT_TRUE(ParsePostFile("content/posts/2026/My First Post!.md",
                            "---\ntitle: T\ndate: 2026-01-01\n---\n", &meta, nullptr).ok());
  EXPECT_EQ(meta.slug, "my-first-post");
}

TEST(FrontMatter, StemWithoutLettersNeedsASlug) {
  PostMeta meta;
  Status s = ParsePostFile("content/posts/---.md", "---\ntitle: T\ndate: 2026-01-01\n---\n", &meta,
                           nullptr);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), "content/posts/---.md");
}

TEST(FrontMatter, NoFrontMatter) {
  PostMeta meta;
  Status s = Parse("# Just markdown\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), kSource);
  EXPECT_EQ(s.line(), 1);
}

TEST(FrontMatter, UnterminatedFrontMatter) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\ndate: 2026-01-01\n\nBody without a closing line\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 1);
}

TEST(FrontMatter, LeadingDashesMustBeAlone) {
  // "----" or "--- x" on the first line is not a front matter fence.
  PostMeta meta;
  EXPECT_FALSE(Parse("----\ntitle: T\ndate: 2026-01-01\n---\n", &meta).ok());
}

TEST(FrontMatter, DotsCloseTheYaml) {
  PostMeta meta;
  std::string body;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n...\nBody\n", &meta, &body).ok());
  EXPECT_EQ(body, "Body\n");
}

TEST(FrontMatter, ClosingFenceAtEndOfFile) {
  PostMeta meta;
  std::string body = "x";
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n---", &meta, &body).ok());
  EXPECT_EQ(body, "");
}

TEST(FrontMatter, YamlSyntaxErrorGivesFileLine) {
  // The YAML starts on file line 2, so YAML line 3 (0-based 2) is file line 4.
  PostMeta meta;
  Status s = Parse("---\ntitle: T\ndate: 2026-01-01\ntags: [a, b\nsummary: x\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.file(), kSource);
  EXPECT_GE(s.line(), 4) << s.ToString();
  EXPECT_LE(s.line(), 6) << s.ToString();
}

TEST(FrontMatter, YamlBadIndentGivesExactLine) {
  PostMeta meta;
  Status s = Parse("---\ntitle: T\ndate: 2026-01-01\n- item\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 4) << s.ToString();
}

TEST(FrontMatter, FrontMatterMustBeAMapping) {
  PostMeta meta;
  Status s = Parse("---\n- a\n- b\n---\n", &meta);
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.line(), 1);
}

TEST(FrontMatter, CrlfFile) {
  PostMeta meta;
  std::string body;
  Status s = Parse("---\r\ntitle: Windows\r\ndate: 2026-01-01\r\ntags: [a]\r\n---\r\nBody\r\n", &meta,
                   &body);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "Windows");  // no stray '\r'
  EXPECT_EQ(meta.tags, std::vector<std::string>{"a"});
  EXPECT_EQ(body, "Body\r\n");
}

TEST(FrontMatter, CrlfErrorLine) {
  PostMeta meta;
  Status s = Parse("---\r\ntitle: T\r\ndate: 2026-01-01\r\ndraft: perhaps\r\n---\r\n", &meta);
  EXPECT_EQ(s.line(), 4);
}

TEST(FrontMatter, Utf8BomIsSkipped) {
  PostMeta meta;
  Status s = Parse("\xEF\xBB\xBF---\ntitle: Bom\ndate: 2026-01-01\n---\n", &meta);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "Bom");
}

TEST(FrontMatter, SummaryFromFirstParagraph) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n---\n# Heading\n\nFirst *para* with `code`\n"
                    "and a [link](/x).\n\nSecond.\n",
                    &meta).ok());
  EXPECT_EQ(meta.summary, "First para with code and a link.");
}

TEST(FrontMatter, FrontMatterSummaryWins) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\nsummary: Mine\n---\nNot this.\n", &meta).ok());
  EXPECT_EQ(meta.summary, "Mine");
}

TEST(FrontMatter, LongSummaryIsCutOnAWordWithEllipsis) {
  std::string para;
  while (para.size() < 400) para += "word" + std::to_string(para.size()) + " ";
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n---\n" + para + "\n", &meta).ok());
  const std::string ellipsis = "…";
  ASSERT_GT(meta.summary.size(), ellipsis.size());
  EXPECT_EQ(meta.summary.substr(meta.summary.size() - ellipsis.size()), ellipsis);
  std::string kept = meta.summary.substr(0, meta.summary.size() - ellipsis.size());
  EXPECT_LE(kept.size(), 240u);
  EXPECT_GE(kept.size(), 200u);
  EXPECT_EQ(para.rfind(kept + " ", 0), 0u) << "not cut on a word boundary: " << kept;
}

TEST(FrontMatter, LongUnbrokenSummaryIsCutOnACodePoint) {
  std::string para;
  for (int i = 0; i < 200; ++i) para += "é";  // 400 bytes, no spaces
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n---\n" + para + "\n", &meta).ok());
  std::string kept = meta.summary.substr(0, meta.summary.size() - 3);
  EXPECT_EQ(kept.size() % 2, 0u);  // whole two-byte code points only
  EXPECT_EQ(para.rfind(kept, 0), 0u);
}

TEST(FrontMatter, NoParagraphNoSummary) {
  PostMeta meta;
  ASSERT_TRUE(Parse("---\ntitle: T\ndate: 2026-01-01\n---\n# Only a heading\n", &meta).ok());
  EXPECT_EQ(meta.summary, "");
}

TEST(FrontMatter, BodyHashDependsOnlyOnBody) {
  PostMeta a, b, c;
  ASSERT_TRUE(Parse("---\ntitle: A\ndate: 2026-01-01\n---\nSame body\n", &a).ok());
  ASSERT_TRUE(Parse("---\ntitle: B\ndate: 2026-02-02\ntags: x\n---\nSame body\n", &b).ok());
  ASSERT_TRUE(Parse("---\ntitle: A\ndate: 2026-01-01\n---\nOther body\n", &c).ok());
  EXPECT_EQ(a.body_hash, b.body_hash);
  EXPECT_NE(a.body_hash, c.body_hash);
  EXPECT_EQ(a.body_hash, HashBytes("Same body\n"));
}

TEST(FrontMatter, BodyOfSkipsFrontMatter) {
  EXPECT_EQ(BodyOf("---\ntitle: T\n---\nbody"), "body");
  EXPECT_EQ(BodyOf("no front matter"), "no front matter");
}

TEST(FrontMatter, PageNeedsOnlyTitle) {
  PageMeta meta;
  std::string body;
  ASSERT_TRUE(ParsePageFile("content/About Me.md", "---\ntitle: About\n---\nHi\n", &meta, &body).ok());
  EXPECT_EQ(meta.slug, "about-me");
  EXPECT_EQ(meta.title, "About");
  EXPECT_EQ(body, "Hi\n");
  EXPECT_EQ(meta.body_hash, HashBytes("Hi\n"));
}

TEST(FrontMatter, PageWithoutTitleIsNamedAfterItsFile) {
  PageMeta meta;
  ASSERT_TRUE(ParsePageFile("content/about-me.md", "---\nslug: about\n---\n", &meta, nullptr).ok());
  EXPECT_EQ(meta.title, "About Me");
  EXPECT_EQ(meta.slug, "about");
}

TEST(FrontMatter, ErrorLeavesMetaUntouched) {
  PostMeta meta;
  meta.title = "before";
  ASSERT_FALSE(Parse("---\ntitle: after\ndate: bad\n---\n", &meta).ok());
  EXPECT_EQ(meta.title, "before");
}

// Hostile inputs: must finish quickly and never crash.

TEST(FrontMatterHostile, BillionLaughsDoesNotHang) {
  std::string yaml = "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c, ++prev) {
    yaml += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 9; ++i) yaml += std::string(i ? "," : "") + "*" + prev;
    yaml += "]\n";
  }
  yaml += "title: T\ndate: 2026-01-01\ntags: *j\nsummary: *i\n---\n";
  PostMeta meta;
  Status s;
  double secs = unit::SecondsToRun([&] { s = Parse(yaml, &meta); });
  EXPECT_EQ(s.code(), Status::Code::kInvalid);  // tags must be text
  EXPECT_LT(secs, 2.0);
}

TEST(FrontMatterHostile, AliasToScalarIsFine) {
  PostMeta meta;
  Status s = Parse("---\nt: &t Hello\ntitle: *t\ndate: 2026-01-01\ntags: [*t, *t]\n---\n", &meta);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "Hello");
  EXPECT_EQ(meta.tags, std::vector<std::string>{"Hello"});
}

TEST(FrontMatterHostile, UndefinedAliasIsAnError) {
  PostMeta meta;
  EXPECT_EQ(Parse("---\ntitle: *nope\ndate: 2026-01-01\n---\n", &meta).code(),
            Status::Code::kInvalid);
}

TEST(FrontMatterHostile, DeepFlowNestingDoesNotCrash) {
  std::string yaml = "---\ntitle: T\ndate: 2026-01-01\nx: " + std::string(100000, '[') +
                     std::string(100000, ']') + "\n---\n";
  PostMeta meta;
  Status s;
  double secs = unit::SecondsToRun([&] { s = Parse(yaml, &meta); });
  EXPECT_EQ(s.code(), Status::Code::kInvalid);  // too deep is refused, not a stack overflow
  EXPECT_LT(secs, 2.0);
}

TEST(FrontMatterHostile, DeepBlockNestingDoesNotCrash) {
  std::string yaml = "---\ntitle: T\ndate: 2026-01-01\n";
  for (int i = 0; i < 3000; ++i) yaml += std::string(i, ' ') + "k:\n";
  yaml += "---\n";
  PostMeta meta;
  Status s;
  double secs = unit::SecondsToRun([&] { s = Parse(yaml, &meta); });
  (void)s;  // accepted or refused, but finishes
  EXPECT_LT(secs, 2.0);
}

TEST(FrontMatterHostile, HugeFrontMatterFinishes) {
  std::string yaml = "---\ntitle: T\ndate: 2026-01-01\ntags:\n";
  for (int i = 0; i < 20000; ++i) yaml += "  - tag" + std::to_string(i % 50) + "\n";
  yaml += "---\n";
  PostMeta meta;
  Status s;
  double secs = unit::SecondsToRun([&] { s = Parse(yaml, &meta); });
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(meta.tags.size(), 50u);
  EXPECT_LT(secs, 2.0);
}

TEST(FrontMatterHostile, NonUtf8FrontMatterIsAnErrorNamingTheLine) {
  // yaml-cpp took these bytes into the title, and so into every page.
  PostMeta meta;
  Status s = Parse(std::string("---\ndate: 2026-01-01\ntitle: \xff\xfe\xc3\n---\nbody\n"), &meta);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.ToString(), std::string(kSource) + ":3: front matter is not valid UTF-8");
}

TEST(FrontMatterHostile, NonUtf8BodyIsKept) {
  // The body goes to cmark, which replaces invalid UTF-8 with U+FFFD.
  PostMeta meta;
  std::string body;
  ASSERT_TRUE(Parse(std::string("---\ntitle: a\ndate: 2026-01-01\n---\n\x80\x81 body\n"), &meta, &body).ok());
  EXPECT_EQ(body, "\x80\x81 body\n");
}

TEST(FrontMatterHostile, NulInFrontMatterIsAnErrorNamingTheLine) {
  // yaml-cpp turned "a\0b" into "a\b ".
  PostMeta meta;
  static const char kBytes[] = "---\ntitle: a\0b\ndate: 2026-01-01\n---\nx\0y\n";
  std::string text(kBytes, sizeof kBytes - 1);
  Status s = Parse(text, &meta);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Status::Code::kInvalid);
  EXPECT_EQ(s.ToString(), std::string(kSource) + ":2: front matter contains a NUL byte");
}

}  // namespace
}  // namespace kiln
