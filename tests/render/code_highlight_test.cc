// Fenced code highlighted at build time (issue 8): the classes each
// language's tokens get, plain blocks for unknown languages, escaping of
// hostile code, and highlighted code in comments staying safe.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "render/code_highlighter.h"
#include "render/comment_markdown.h"
#include "render/markdown.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::CountOf;

bool HtmlHas(const std::string& html, const std::string& piece) { return html.find(piece) != std::string::npos; }

// The block with every highlighting span removed: what a reader copies.
std::string WithoutSpans(const std::string& html) {
  return std::regex_replace(html, std::regex(R"(<span class="hl-[a-z_0-9-]+">|</span>)"), "");
}

TEST(CodeHighlight, Cpp) {
  std::string html = RenderTrustedMarkdown(
      "```cpp\n#include <vector>\nint main() {\n  return 0;  // done\n}\n```\n");
  EXPECT_EQ(html.rfind("<pre><code class=\"language-cpp\">", 0), 0u) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-preproc\">#include</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-string\">&lt;vector&gt;</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-type\">int</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-function\">main</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-keyword\">return</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-number\">0</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-comment\">// done</span>")) << html;
  EXPECT_TRUE(html.ends_with("<span class=\"hl-cbracket\">}</span>\n</code></pre>\n")) << html;
}

TEST(CodeHighlight, Python) {
  std::string html = RenderTrustedMarkdown("```python\ndef f(x):\n    return x + 1  # add\n```\n");
  EXPECT_TRUE(HtmlHas(html, "<code class=\"language-python\">")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-keyword\">def</span> <span class=\"hl-function\">f</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-number\">1</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-comment\"># add</span>")) << html;
  EXPECT_EQ(RenderTrustedMarkdown("```py\nimport os\n```\n"),
            "<pre><code class=\"language-py\"><span class=\"hl-preproc\">import</span> os\n</code></pre>\n");
}

TEST(CodeHighlight, ShellUnderEachName) {
  const std::string body = "for f in *.md; do echo \"$f\"; done  # list\n";
  std::string bash = RenderTrustedMarkdown("```bash\n" + body + "```\n");
  EXPECT_TRUE(HtmlHas(bash, "<span class=\"hl-keyword\">for</span>")) << bash;
  EXPECT_TRUE(HtmlHas(bash, "<span class=\"hl-string\">&quot;$f&quot;</span>")) << bash;
  EXPECT_TRUE(HtmlHas(bash, "<span class=\"hl-comment\"># list</span>")) << bash;
  for (const char* name : {"sh", "shell"}) {
    std::string other = RenderTrustedMarkdown(std::string("```") + name + "\n" + body + "```\n");
    EXPECT_EQ(other, std::regex_replace(bash, std::regex("language-bash"), std::string("language-") + name));
  }
}

TEST(CodeHighlight, Json) {
  std::string html = RenderTrustedMarkdown("```json\n{\"draft\": true, \"n\": 42}\n```\n");
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-key\">draft</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-keyword\">true</span>")) << html;
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-number\">42</span>")) << html;
}

TEST(CodeHighlight, LanguageNameIgnoresCaseAndTrailingWords) {
  // GFM: the first word of the info string is the language; the class keeps
  // the author's spelling, as cmark writes it.
  std::string html = RenderTrustedMarkdown("```Python title=\"x.py\"\npass\n```\n");
  EXPECT_EQ(html, "<pre><code class=\"language-Python\"><span class=\"hl-keyword\">pass</span>\n</code></pre>\n");
  for (const char* name : {"c++", "CPP", "rust"}) {
    std::string md = std::string("```") + name + "\nlet x = 1;\n```\n";
    EXPECT_TRUE(HtmlHas(RenderTrustedMarkdown(md), "<span class=\"hl-")) << name;
  }
}

TEST(CodeHighlight, UnknownOrNoLanguageStaysPlain) {
  EXPECT_EQ(RenderTrustedMarkdown("```nosuchlang\nif a < b & c\n```\n"),
            "<pre><code class=\"language-nosuchlang\">if a &lt; b &amp; c\n</code></pre>\n");
  EXPECT_EQ(RenderTrustedMarkdown("```\nint x = 1;\n```\n"), "<pre><code>int x = 1;\n</code></pre>\n");
  EXPECT_EQ(RenderTrustedMarkdown("    int x = 1;\n"), "<pre><code>int x = 1;\n</code></pre>\n");
  std::string html;
  EXPECT_FALSE(HighlightCode("nosuchlang", "x\n", &html));
  EXPECT_EQ(html, "");
}

TEST(CodeHighlight, OnlyAddsSpans) {
  // Highlighting changes nothing a reader copies: without its spans, a
  // highlighted block is byte for byte cmark's plain block.
  const std::string code =
      "/* a \"multi\n line\" comment */\nauto s = R\"(raw <b>&amp;</b>)\";\n\ttemplate <class T> T f();\n"
      "x = 'it''s' if a<b else \"c\"  # é ü\n\n{\"k\": [1, \"<v>\"]}\n";
  for (const char* lang : {"cpp", "python", "sh", "json", "js", "sql", "html", "go", "rust"}) {
    std::string highlighted = RenderTrustedMarkdown(std::string("```") + lang + "\n" + code + "```\n");
    std::string plain = RenderTrustedMarkdown("```nosuchlang\n" + code + "```\n");
    plain = std::regex_replace(plain, std::regex("language-nosuchlang"), std::string("language-") + lang);
    EXPECT_TRUE(HtmlHas(highlighted, "<span class=\"hl-")) << lang;
    EXPECT_EQ(WithoutSpans(highlighted), plain) << lang;
  }
}

// Comments carry any language a commenter names: on text that fits no
// grammar, every definition installed must still keep the text as it is,
// escaped, and finish.
TEST(CodeHighlight, EveryKnownLanguageOnNoiseOnlyAddsSpans) {
  const std::vector<std::string> languages = KnownCodeLanguages();
  ASSERT_GT(languages.size(), 100u);
  const std::string alphabet = "ab if for int return \"'\\/*#<>&;{}()[]$@%!=-+.,:\n\t0123456789xX_ \xc3\xa9";
  uint32_t seed = 8;
  for (const std::string& lang : languages) {
    std::string code;
    for (int i = 0; i < 1500; ++i) {
      seed = seed * 1664525u + 1013904223u;  // a fixed LCG: the same noise on every run
      code += alphabet[(seed >> 8) % alphabet.size()];
    }
    std::string md = "```" + lang + "\n" + code + "\n```\n";
    std::string highlighted = RenderCommentMarkdown(md);
    std::string plain = RenderCommentMarkdown("```nosuchlang\n" + code + "\n```\n");
    plain.replace(plain.find("nosuchlang"), 10, lang);
    EXPECT_EQ(WithoutSpans(highlighted), plain) << lang;
  }
}

TEST(CodeHighlight, HostileCodeStaysEscaped) {
  const std::string code =
      "// </code></pre><script>alert(1)</script>\n"
      "std::string s = \"</code><img src=x onerror=alert(1)>\";\n"
      "int a = b < c && d > e;\n";
  for (const char* lang : {"cpp", "html", "js", "sh", "nosuchlang"}) {
    for (bool comment : {false, true}) {
      std::string md = std::string("```") + lang + "\n" + code + "```\n";
      std::string html = comment ? RenderCommentMarkdown(md) : RenderTrustedMarkdown(md);
      EXPECT_EQ(CountOf(html, "<"), CountOf(html, "<span") + CountOf(html, "</span>") + 4) << html;
      EXPECT_EQ(CountOf(html, "</code>"), 1) << html;
      EXPECT_FALSE(HtmlHas(html, "<script")) << html;
      EXPECT_FALSE(HtmlHas(html, "<img")) << html;
      EXPECT_TRUE(HtmlHas(WithoutSpans(html), "&lt;/code&gt;&lt;img src=x onerror=alert(1)&gt;")) << html;
    }
  }
}

TEST(CodeHighlight, HostileInfoStringStaysEscaped) {
  std::string html = RenderCommentMarkdown("```cpp\"><script>alert(1)</script>\nint x;\n```\n");
  EXPECT_FALSE(HtmlHas(html, "<script")) << html;
  html = RenderTrustedMarkdown("```cpp\"onmouseover=\"x\nint x;\n```\n");
  EXPECT_FALSE(HtmlHas(html, "\"onmouseover")) << html;
}

TEST(CodeHighlight, InCommentsAndNestedBlocks) {
  std::string comment = RenderCommentMarkdown("Try:\n\n```python\nx = 1\n```\n\n[a](https://a.org/)\n");
  EXPECT_TRUE(HtmlHas(comment, "<pre><code class=\"language-python\">x <span class=\"hl-symbol\">=</span> "
                           "<span class=\"hl-number\">1</span>\n</code></pre>\n"))
      << comment;
  EXPECT_TRUE(HtmlHas(comment, "<a rel=\"nofollow ugc\" href=\"https://a.org/\">")) << comment;
  std::string quoted = RenderTrustedMarkdown("> ```cpp\n> int x;\n> ```\n\n- item\n\n  ```sh\n  ls\n  ```\n");
  EXPECT_TRUE(HtmlHas(quoted, "<blockquote>\n<pre><code class=\"language-cpp\"><span class=\"hl-type\">int</span>"))
      << quoted;
  EXPECT_TRUE(HtmlHas(quoted, "<pre><code class=\"language-sh\">ls\n</code></pre>\n</li>")) << quoted;
}

// The library's time grows with the square of a line's length: a block
// with a line over 512 bytes, or over 64 KB, stays plain.
TEST(CodeHighlight, LongLineOrHugeBlockStaysPlain) {
  std::string line;
  while (line.size() <= 512) line += "int x = 1; ";
  std::string html = RenderTrustedMarkdown("```cpp\nint a;\n" + line + "\n```\n");
  EXPECT_FALSE(HtmlHas(html, "<span")) << html.substr(0, 200);
  std::string block;
  while (block.size() <= 64 * 1024) block += "int x = 1;\n";
  html = RenderTrustedMarkdown("```cpp\n" + block + "```\n");
  EXPECT_FALSE(HtmlHas(html, "<span")) << html.substr(0, 200);
  block.resize(60 * 1024);  // under the limit; the last line is cut short
  html = RenderTrustedMarkdown("```cpp\n" + block + "\n```\n");
  EXPECT_TRUE(HtmlHas(html, "<span class=\"hl-type\">int</span>")) << html.substr(0, 200);
}

// A comment's page renders again whenever a comment arrives: a comment has
// 4 KB of code highlighted, in whole blocks in order; a post has no budget.
TEST(CodeHighlight, CommentHighlightsItsFirstFourKilobytesOfCode) {
  std::string code;
  while (code.size() < 3000) code += "x = 1  # n\n";
  const std::string md = "```python\n" + code + "```\n\n```python\n" + code + "```\n\n```json\n[1]\n```\n";
  std::string comment = RenderCommentMarkdown(md);
  ASSERT_EQ(CountOf(comment, "<pre>"), 3);
  const size_t second = comment.find("<pre>", comment.find("<pre>") + 1);
  const size_t third = comment.find("<pre>", second + 1);
  EXPECT_TRUE(HtmlHas(comment.substr(0, second), "<span class=\"hl-number\">1</span>"));
  EXPECT_FALSE(HtmlHas(comment.substr(second, third - second), "<span"));
  EXPECT_TRUE(HtmlHas(comment.substr(third), "<span class=\"hl-number\">1</span>")) << comment.substr(third);
  std::string post = RenderTrustedMarkdown(md);
  EXPECT_EQ(CountOf(post, "<span class=\"hl-comment\"># n</span>"), 2 * CountOf(code, "# n"));
}

TEST(CodeHighlight, SameBytesEveryTime) {
  const std::string md = "```cpp\nauto r = R\"x(raw)x\"; /* open\nclose */ int y;\n```\n";
  const std::string first = RenderTrustedMarkdown(md);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(RenderTrustedMarkdown(md), first);
}

}  // namespace
}  // namespace kiln
