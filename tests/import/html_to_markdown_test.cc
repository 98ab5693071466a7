#include "import/html_to_markdown.h"

#include <gtest/gtest.h>

#include <string>

#include "render/comment_markdown.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

// Disqus messages are HTML: paragraphs stay paragraphs, <br> a line break.
TEST(HtmlToMarkdown, ParagraphsAndLineBreaks) {
  EXPECT_EQ(HtmlToMarkdown("<p>One\n  two</p><p>Three<br>four</p>"), "One two\n\nThree\\\nfour");
}

// Links with http(s) or mailto keep their target; text is escaped inside.
TEST(HtmlToMarkdown, SafeLinksAreKept) {
  EXPECT_EQ(HtmlToMarkdown(R"x(See <a href="https://example.org/a b?x=1&amp;y=2" rel="nofollow">the *docs*</a>.)x"),
            "See [the \\*docs\\*](<https://example.org/a%20b?x=1&y=2>).");
  EXPECT_EQ(HtmlToMarkdown(R"x(<a href="mailto:a@example.org">mail</a>)x"), "[mail](<mailto:a@example.org>)");
}

// Any other link is reduced to its text: no javascript:, data: or relative URL survives.
TEST(HtmlToMarkdown, OtherLinksBecomeText) {
  EXPECT_EQ(HtmlToMarkdown(R"x(<a href="javascript:alert(1)">click</a> <a href="data:text/html,x">d</a>)x"),
            "click d");
}

// Everything else is reduced to text; script and style lose their content.
TEST(HtmlToMarkdown, OtherElementsBecomeText) {
  EXPECT_EQ(HtmlToMarkdown("<script>alert(1)</script><b onclick=\"x()\">bold</b> <img src=x onerror=y>"
                           "<style>p{}</style><i>it</i>"),
            "bold it");
}

// Text that markdown would read as syntax stays text: entities decoded by
// the HTML parser are escaped again for markdown.
TEST(HtmlToMarkdown, MarkdownSyntaxInTextIsEscaped) {
  EXPECT_EQ(HtmlToMarkdown("<p>2 * 3 &lt;b&gt; [x](y) &amp;amp; `c` _u_ # h</p>"),
            "2 \\* 3 \\<b\\> \\[x\\](y) \\&amp; \\`c\\` \\_u\\_ \\# h");
  EXPECT_EQ(HtmlToMarkdown("<p>- not a list</p><p>1. not a list either</p>"),
            "\\- not a list\n\n1\\. not a list either");
}

TEST(HtmlToMarkdown, UnicodeIsKept) {
  EXPECT_EQ(HtmlToMarkdown("<p>Ça marche — 日本語 ✓ &eacute;</p>"), "Ça marche — 日本語 ✓ é");
}

// Hostile nesting: 100,000 open elements neither overflow the stack nor
// take long (libxml2's HTML parser gives up below its depth limit and the
// walk is a loop), and nothing comes out as a tag.
TEST(HtmlToMarkdown, DeepNestingIsHandled) {
  std::string html;
  for (int i = 0; i < 100000; ++i) html += "<div><span>";
  html += "<script>deep</script>";
  std::string markdown;
  EXPECT_LT(unit::SecondsToRun([&] { markdown = HtmlToMarkdown(html); }), 5.0);
  EXPECT_EQ(markdown.find('<'), std::string::npos);
  EXPECT_EQ(markdown.find("deep"), std::string::npos);
}

// The converted text, rendered by kiln's comment renderer, shows no element
// but the paragraph and the link.
TEST(HtmlToMarkdown, RenderedResultHasOnlyTextAndLinks) {
  const std::string markdown =
      HtmlToMarkdown(R"x(<p>x <a href="https://e.org/">l</a> &lt;script&gt;alert(1)&lt;/script&gt;</p>)x");
  const std::string html = RenderCommentMarkdown(markdown);
  EXPECT_EQ(html, "<p>x <a rel=\"nofollow ugc\" href=\"https://e.org/\">l</a> "
                  "&lt;script&gt;alert(1)&lt;/script&gt;</p>\n");
}

}  // namespace
}  // namespace kiln
