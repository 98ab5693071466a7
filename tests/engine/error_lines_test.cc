// Issue 8, "errors with file and line": what `kiln build` prints for a
// mistake in a template, a partial or a post's front matter. One line,
// `kiln: error: FILE:LINE: message`, the line being the mistake's.
#include <gtest/gtest.h>

#include "cli_runner.h"
#include "site_fixture.h"

namespace kiln::testing {
namespace {

class ErrorLinesTest : public ::testing::Test {
 protected:
  void SetUp() override { site_.WritePost("a", "A", "2026-01-01"); }
  KilnRun Build() { return RunKiln("build" + SiteFlag(site_.root())); }
  TempSite site_;
};

// The partial's own file and line, not the including template's.
TEST_F(ErrorLinesTest, PartialMistakeNamesThePartialsLine) {
  site_.WriteFile("templates/post_meta.mustache", "<time>\n{{date_display}}\n{{#author}}by {{author}}\n</time>\n");
  KilnRun run = Build();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "kiln: error: templates/post_meta.mustache:3: Unclosed section \"author\" (column 1)\n");
}

TEST_F(ErrorLinesTest, TemplateMistakeNamesItsLine) {
  std::string post = site_.ReadFile("templates/post.mustache");
  post.insert(post.find("{{> comment_section}}"), "{{/oops}}");
  site_.WriteFile("templates/post.mustache", post);
  KilnRun run = Build();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "kiln: error: templates/post.mustache:22: Unopened section \"oops\" (column 1)\n");
}

// The case: an unterminated quoted title on line 2 was reported as line 5.
TEST_F(ErrorLinesTest, UnterminatedQuoteInFrontMatterNamesItsLine) {
  site_.WriteFile("content/posts/b.md", "---\ntitle: \"Launch day\ndate: 2026-01-02\ntags: [a]\n---\nBody.\n");
  KilnRun run = Build();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "kiln: error: content/posts/b.md:2: invalid YAML front matter: a quoted value is never "
                     "closed (no \" after the \" of column 8)\n");
}

TEST_F(ErrorLinesTest, DuplicateKeyNamesTheSecondLine) {
  site_.WriteFile("content/posts/b.md", "---\ntitle: B\ndate: 2026-01-02\ntitle: C\n---\nBody.\n");
  KilnRun run = Build();
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "kiln: error: content/posts/b.md:4: invalid YAML front matter: duplicate key 'title' "
                     "(first on line 2)\n");
}

}  // namespace
}  // namespace kiln::testing
