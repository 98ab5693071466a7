// Issue 8: front-matter errors name the file's line of the mistake,
// counting the fence as line 1, for the mistakes people actually make.
// (tests/fixtures/test_sites_invalid/ pins the same cases through whole sites.)
#include <gtest/gtest.h>

#include "load/front_matter.h"
#include "load/yaml_mistakes.h"

namespace kiln {
namespace {

std::string ErrorOf(const std::string& bytes) {
  PostMeta meta;
  return ParsePostFile("content/posts/a.md", bytes, &meta, nullptr).ToString();
}

// yaml-cpp accepts this, swallowing lines 3-4 into the title; the error
// used to surface at line 5 as another mistake.
TEST(FrontMatterLines, UnterminatedQuote) {
  EXPECT_EQ(ErrorOf("---\ntitle: \"Launch day\ndate: 2026-01-01\ntags: [a]\n---\nBody.\n"),
            "content/posts/a.md:2: invalid YAML front matter: a quoted value is never closed "
            "(no \" after the \" of column 8)");
  EXPECT_EQ(ErrorOf("---\ndate: 2026-01-01\ntags:\n  - a\n  - 'b\n---\n"),
            "content/posts/a.md:5: invalid YAML front matter: a quoted value is never closed "
            "(no ' after the ' of column 5)");
}

// Legal quotes are not mistaken for unterminated ones.
TEST(FrontMatterLines, LegalQuotesAreFine) {
  PostMeta meta;
  Status s = ParsePostFile("content/posts/a.md",
                           "---\ntitle: It's \"fine\"\ndate: 2026-01-01\nsummary: \"two\n  lines\"\n"
                           "description: 'it''s'\n# a \"comment\n"
                           "tags: [\"a, b\", 'c']\nauthor: >\n  'folded\n---\n",
                           &meta, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "It's \"fine\"");
  EXPECT_EQ(meta.summary, "two lines");
  EXPECT_EQ(meta.author, "'folded");
}

// A plain scalar continued on a line that starts with a quote is legal
// YAML: the scanner's guess is confirmed against yaml-cpp's tree.
TEST(FrontMatterLines, PlainScalarContinuedWithAQuoteIsFine) {
  PostMeta meta;
  Status s = ParsePostFile("content/posts/a.md", "---\ndate: 2026-01-01\ntitle: a long\n  'tis the title\n---\n",
                           &meta, nullptr);
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(meta.title, "a long 'tis the title");
}

TEST(FrontMatterLines, BadIndentation) {
  EXPECT_EQ(ErrorOf("---\ntitle: T\ntags:\n  - a\n - b\ndate: 2026-01-01\n---\n"),
            "content/posts/a.md:5: invalid YAML front matter: end of map not found");
}

TEST(FrontMatterLines, Tab) {
  EXPECT_EQ(ErrorOf("---\ntitle: T\ndate: 2026-01-01\ntags:\n\t- a\n---\n"),
            "content/posts/a.md:5: invalid YAML front matter: illegal block entry "
            "(a tab in the indentation: YAML indents with spaces)");
  EXPECT_EQ(ErrorOf("---\ntitle: T\n\tdate: 2026-01-01\n---\n"),
            "content/posts/a.md:3: invalid YAML front matter: illegal tab when looking for indentation "
            "(a tab in the indentation: YAML indents with spaces)");
}

// yaml-cpp keeps both silently; kiln refuses, naming both lines.
TEST(FrontMatterLines, DuplicateKey) {
  EXPECT_EQ(ErrorOf("---\ntitle: A\ndate: 2026-01-01\ntitle: B\n---\n"),
            "content/posts/a.md:4: invalid YAML front matter: duplicate key 'title' (first on line 2)");
}

TEST(FrontMatterLines, BadDate) {
  EXPECT_EQ(ErrorOf("---\ntitle: A\n\ndate: 2026-13-01\n---\n"),
            "content/posts/a.md:4: 'date' is not a date (YYYY-MM-DD or ISO 8601): '2026-13-01'");
}

TEST(FrontMatterLines, Toml) {
  EXPECT_EQ(ErrorOf("+++\ntitle = \"Launch day\ndate = 2026-01-01\n+++\n").substr(0, 21), "content/posts/a.md:2:");
  EXPECT_EQ(ErrorOf("+++\ntitle = \"A\"\ndate = 2026-01-01\ntitle = \"B\"\n+++\n"),
            "content/posts/a.md:4: invalid TOML front matter: Error while parsing key-value pair: "
            "cannot redefine existing string 'title'");
  EXPECT_EQ(ErrorOf("+++\ntitle = \"T\"\ndate = 2026-02-30\n+++\n"),
            "content/posts/a.md:3: invalid TOML front matter: Error while parsing date: "
            "expected day between 1 and 28 (inclusive), saw 30");
}

TEST(YamlMistakes, FindsTheOpeningQuote) {
  int line = -1, column = -1;
  EXPECT_TRUE(FindUnterminatedQuote("a: 1\nb: [x, \"y\nc: 2\n", &line, &column));
  EXPECT_EQ(line, 1);
  EXPECT_EQ(column, 7);
  EXPECT_FALSE(FindUnterminatedQuote("a: \"x\\\"y\"\nb: |\n  \"open\nc: 'it''s'\n", &line, &column));
}

}  // namespace
}  // namespace kiln
