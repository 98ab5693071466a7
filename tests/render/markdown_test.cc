#include "render/markdown.h"

#include <gtest/gtest.h>

#include "render/comment_html_check.h"
#include "render/comment_markdown.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::CountOf;
using unit::SecondsToRun;

// --- Trusted posts: GitHub flavoured markdown with raw HTML kept. ---

TEST(TrustedMarkdown, Tables) {
  std::string html = RenderTrustedMarkdown("| a | b |\n|---|--:|\n| 1 | 2 |\n");
  EXPECT_NE(html.find("<table>"), std::string::npos) << html;
  EXPECT_NE(html.find("<td>1</td>"), std::string::npos) << html;
  EXPECT_NE(html.find("<th align=\"right\">b</th>"), std::string::npos) << html;
}

TEST(TrustedMarkdown, Strikethrough) {
  EXPECT_EQ(RenderTrustedMarkdown("~~gone~~\n"), "<p><del>gone</del></p>\n");
}

TEST(TrustedMarkdown, Autolinks) {
  std::string html = RenderTrustedMarkdown("see www.example.com and https://a.org/x.\n");
  EXPECT_NE(html.find("<a href=\"http://www.example.com\">www.example.com</a>"), std::string::npos)
      << html;
  EXPECT_NE(html.find("<a href=\"https://a.org/x\">https://a.org/x</a>."), std::string::npos) << html;
}

TEST(TrustedMarkdown, TaskLists) {
  std::string html = RenderTrustedMarkdown("- [x] done\n- [ ] todo\n");
  EXPECT_EQ(CountOf(html, "type=\"checkbox\""), 2) << html;
  EXPECT_EQ(CountOf(html, "checked"), 1) << html;
}

TEST(TrustedMarkdown, RawHtmlIsKept) {
  // Authors are trusted, as in Zola and Jekyll.
  EXPECT_EQ(RenderTrustedMarkdown("<div class=\"note\">hi</div>\n"), "<div class=\"note\">hi</div>\n");
}

TEST(TrustedMarkdown, TagfilterNeutralisesScriptAndIframe) {
  // GFM spec 6.11: <title>, <textarea>, <style>, <xmp>, <iframe>, <noembed>,
  // <noframes>, <script>, <plaintext> have their '<' escaped.
  std::string html = RenderTrustedMarkdown("<script>x()</script>\n\n<iframe src=\"a\"></iframe>\n");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<iframe"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script>"), std::string::npos) << html;
}

TEST(TrustedMarkdown, Footnotes) {
  std::string html = RenderTrustedMarkdown("A[^1].\n\n[^1]: note\n");
  EXPECT_NE(html.find("footnote"), std::string::npos) << html;
}

TEST(TrustedMarkdown, TrustedLinksHaveNoRel) {
  EXPECT_EQ(RenderTrustedMarkdown("[a](/x)\n"), "<p><a href=\"/x\">a</a></p>\n");
}

// --- Pathological inputs finish quickly (cmark test/pathological_tests.py).
// A hang detector, not a timing assertion. ---

struct Pathological {
  const char* name;
  std::string input;
};

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * n);
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<Pathological> PathologicalInputs() {
  return {
      {"nested blockquotes", Repeat(">", 50000) + " a\n"},
      {"open brackets", Repeat("[", 100000) + "a"},
      {"closing brackets", Repeat("]", 100000) + "a"},
      {"link openers", Repeat("[a](", 30000)},
      {"stars", std::string(100000, '*')},
      {"emphasis alternation", Repeat("*a _b ", 30000)},
      {"unclosed emphasis", Repeat("a**b ", 30000)},
      {"backticks", Repeat("`a``", 30000)},
      {"nested lists", Repeat("- ", 10000) + "a\n"},
      {"nested ordered lists", Repeat("1. ", 10000) + "a\n"},
      // cmark-gfm 0.29.0.gfm.6 is quadratic in table columns (20000 take
      // 10 s); 3000 is above what a comment of max_length 10000 can hold.
      {"table columns", "|" + Repeat("a|", 3000) + "\n|" + Repeat("-|", 3000) + "\n" +
                            Repeat("|b", 1500) + "\n"},
      {"table rows", "|a|b|\n|-|-|\n" + Repeat("|x|y|\n", 30000)},
      {"autolink candidates", Repeat("www.a", 30000)},
      {"emails", Repeat("a@b.", 10000)},  // about 45 us per byte in the autolink extension
      {"html openers", Repeat("<a ", 30000)},
      {"entities", Repeat("&#", 50000)},
      {"reference definitions", Repeat("[a]: /u\n", 20000) + Repeat("[a] ", 20000)},
      {"strikethrough", Repeat("~~a ", 30000)},
      {"task list items", Repeat("- [ ] x\n", 20000)},
  };
}

TEST(MarkdownPathological, CommentsFinishQuickly) {
  for (const auto& p : PathologicalInputs()) {
    double secs = SecondsToRun([&] { RenderCommentMarkdown(p.input); });
    EXPECT_LT(secs, 2.0) << p.name;
  }
}

TEST(MarkdownPathological, PostsFinishQuickly) {
  for (const auto& p : PathologicalInputs()) {
    double secs = SecondsToRun([&] { RenderTrustedMarkdown(p.input); });
    EXPECT_LT(secs, 2.0) << p.name;
  }
}

TEST(MarkdownPathological, NulAndInvalidUtf8AreReplaced) {
  static const char kBytes[] = "a\0b \xff\xfe [x](\xc3)";
  const std::string input(kBytes, sizeof kBytes - 1);
  std::string html = RenderCommentMarkdown(input);
  EXPECT_EQ(html.find('\0'), std::string::npos);
  EXPECT_EQ(test::CommentHtmlViolations(html), "");
}

}  // namespace
}  // namespace kiln
