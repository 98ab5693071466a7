#include "render/markdown.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

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

// --- Comments: untrusted. ---

TEST(CommentMarkdown, BasicFormattingWorks) {
  EXPECT_EQ(RenderCommentMarkdown("Nice *post*"), "<p>Nice <em>post</em></p>\n");
}

TEST(CommentMarkdown, LinksGetNofollowUgc) {
  EXPECT_EQ(RenderCommentMarkdown("[a](https://example.org/)"),
            "<p><a rel=\"nofollow ugc\" href=\"https://example.org/\">a</a></p>\n");
}

TEST(CommentMarkdown, AutolinksGetNofollowUgc) {
  std::string html = RenderCommentMarkdown("www.example.com <https://a.org> <me@example.org>");
  EXPECT_EQ(CountOf(html, "<a "), 3) << html;
  EXPECT_EQ(CountOf(html, "<a rel=\"nofollow ugc\" href="), 3) << html;
}

TEST(CommentMarkdown, SafeUrlsAreKept) {
  for (const char* url : {"http://a.org/", "https://a.org/x?y=1#z", "mailto:a@b.org", "/posts/a/",
                          "#frag", "page.html", "?q=1", "//cdn.example.org/x", "HTTPS://A.ORG/"}) {
    std::string html = RenderCommentMarkdown(std::string("[x](") + url + ")");
    EXPECT_EQ(html.find("href=\"\""), std::string::npos) << url << " -> " << html;
  }
}

TEST(CommentMarkdown, RawHtmlIsOmitted) {
  std::string html = RenderCommentMarkdown("<b>bold</b> and <div>block</div>");
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<div>"), std::string::npos) << html;
}

TEST(CommentMarkdown, DataImagesAreDropped) {
  // cmark's safe mode allows data:image/png; kiln drops every data: URL.
  // An image with an unsafe URL becomes its alt text.
  EXPECT_EQ(RenderCommentMarkdown("![x](data:image/png;base64,iVBORw0KGgo=)"), "<p>x</p>\n");
}

// Decodes &#NN;, &#xHH; and the few named entities cmark emits, so that a
// URL hidden in entities is seen as a browser would see it.
std::string DecodeEntities(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    size_t semi = s.find(';', i);
    if (semi == std::string::npos || semi - i > 10) {
      out += s[i];
      continue;
    }
    std::string ent = s.substr(i + 1, semi - i - 1);
    long code = -1;
    if (ent.size() > 1 && ent[0] == '#') {
      code = (ent[1] == 'x' || ent[1] == 'X') ? std::strtol(ent.c_str() + 2, nullptr, 16)
                                              : std::strtol(ent.c_str() + 1, nullptr, 10);
    } else if (ent == "amp") code = '&';
    else if (ent == "lt") code = '<';
    else if (ent == "gt") code = '>';
    else if (ent == "quot") code = '"';
    else if (ent == "colon") code = ':';
    else if (ent == "Tab") code = '\t';
    if (code < 0 || code > 0x7f) {
      out += s[i];
      continue;
    }
    out += static_cast<char>(code);
    i = semi;
  }
  return out;
}

// Every tag in `html`: text '<' is always escaped by cmark, so each literal
// '<' starts markup that cmark made (or that escaped sanitising).
std::vector<std::string> Tags(const std::string& html) {
  std::vector<std::string> tags;
  static const std::regex kTag("<[!/a-zA-Z][^>]*>");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), kTag); it != std::sregex_iterator();
       ++it) {
    tags.push_back(it->str());
  }
  return tags;
}

// The scheme a browser would see: entities decoded, whitespace and control
// bytes removed, lower case.
std::string BrowserView(const std::string& url) {
  std::string cleaned;
  for (unsigned char c : DecodeEntities(url)) {
    if (c > 0x20 && c != 0x7f) cleaned += static_cast<char>(std::tolower(c));
  }
  return cleaned;
}

bool StartsWithComment(const std::string& tag) { return tag.rfind("<!--", 0) == 0; }

// The attributes of one tag as a browser parses them: name, then an
// optional =value, quoted with " or ' or unquoted.
std::vector<std::pair<std::string, std::string>> Attributes(const std::string& tag) {
  std::vector<std::pair<std::string, std::string>> attrs;
  size_t i = tag.find_first_of(" \t\n/>", 1);
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/'; };
  while (i < tag.size() && tag[i] != '>') {
    while (i < tag.size() && space(tag[i])) ++i;
    size_t start = i;
    while (i < tag.size() && !space(tag[i]) && tag[i] != '=' && tag[i] != '>') ++i;
    std::string name = tag.substr(start, i - start), value;
    while (i < tag.size() && space(tag[i])) ++i;
    if (i < tag.size() && tag[i] == '=') {
      ++i;
      while (i < tag.size() && space(tag[i])) ++i;
      if (i < tag.size() && (tag[i] == '"' || tag[i] == '\'')) {
        char quote = tag[i++];
        size_t end = tag.find(quote, i);
        value = tag.substr(i, end - i);
        i = end == std::string::npos ? tag.size() : end + 1;
      } else {
        size_t end = tag.find_first_of(" \t\n>", i);
        value = tag.substr(i, end - i);
        i = end == std::string::npos ? tag.size() : end;
      }
    }
    if (!name.empty()) {
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      attrs.emplace_back(name, value);
    } else if (start == i) {
      ++i;
    }
  }
  return attrs;
}

// Checks the sanitising contract on one rendered comment; returns what broke.
std::string Violations(const std::string& html) {
  std::string problems;
  std::string lower = html;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.find("<script") != std::string::npos) problems += "<script; ";
  static const std::set<std::string> kUrlAttrs = {"href", "src", "action", "formaction", "data",
                                                   "xlink:href", "srcset", "poster", "background"};
  static const std::set<std::string> kAllowedTags = {
      "p", "em", "strong", "a", "img", "code", "pre", "blockquote", "ul", "ol", "li", "h1", "h2",
      "h3", "h4", "h5", "h6", "hr", "br", "del", "table", "thead", "tbody", "tr", "th", "td",
      "input", "span" /* highlighted code's tokens (issue 8) */};
  for (const std::string& tag : Tags(html)) {
    if (StartsWithComment(tag) || tag[1] == '/') continue;
    std::string name = tag.substr(1, tag.find_first_of(" \t\n>/", 1) - 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!kAllowedTags.count(name)) problems += "tag " + tag + "; ";
    for (const auto& [attr, value] : Attributes(tag)) {
      if (attr.size() > 2 && attr.rfind("on", 0) == 0) problems += "event handler in " + tag + "; ";
      if (attr == "style") problems += "style in " + tag + "; ";
      if (!kUrlAttrs.count(attr)) continue;
      std::string url = BrowserView(value);
      for (const char* scheme : {"javascript:", "vbscript:", "data:", "file:"}) {
        if (url.rfind(scheme, 0) == 0) problems += std::string(scheme) + " in " + tag + "; ";
      }
    }
  }
  return problems;
}

class CommentXssTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CommentXssTest, NothingRunsScript) {
  // SPEC.md "Comments": nothing a commenter writes can run script in a
  // reader's browser: no <script>, no event handler attribute, no
  // javascript:/vbscript:/data: URL in href or src.
  const std::string html = RenderCommentMarkdown(GetParam());
  EXPECT_EQ(Violations(html), "") << "input: " << GetParam() << "\noutput: " << html;
  for (const std::string& tag : Tags(html)) {
    if (tag.rfind("<a ", 0) == 0) {
      EXPECT_EQ(tag.rfind("<a rel=\"nofollow ugc\" ", 0), 0u) << tag;
    }
  }
}

const char* const kXssPayloads[] = {
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "text <script>alert(1)</script> inline",
    "<img src=x onerror=alert(1)>",
    "<img src=\"x\" onerror=\"alert(1)\">",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
    "<p onclick=alert(1)>x</p>",
    "<details open ontoggle=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button>x</button></form>",
    "<base href=\"javascript:alert(1)//\">",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<!-- x --><script>alert(1)</script>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<\x01javascript:alert(1)>)",
    "[x](<\x1fjavascript:alert(1)>)",
    "[x](<\x7fjavascript:alert(1)>)",
    "[x](java&#x09;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript:alert(1))",
    "[x](&#0000106;avascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](java%73cript:alert(1))",
    "[x](javascript://%0aalert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![x](data:image/svg+xml,<svg onload=alert(1)>)",
    "![x](data:image/png;base64,iVBORw0KGgo=)",
    "![x](javascript:alert(1))",
    "![x\" onerror=\"alert(1)](http://a.org/x.png)",
    "[x](file:///etc/passwd)",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x][r]\n\n[r]: <javascript:alert(1)> \"t\"",
    "[r]\n\n[r]: &#106;avascript:alert(1)",
    "![i][r]\n\n[r]: data:text/html,x",
    "[x](http://a.org \"t\\\" onmouseover=\\\"alert(1)\")",
    "[x](http://a.org 't\" onmouseover=\"alert(1)')",
    "[x][r]\n\n[r]: http://a.org \"t\\\" onmouseover=alert(1) x=\\\"\"",
    "[x](https://a.org/\"onmouseover=\"alert(1))",
    "<https://a.org/\"onmouseover=\"alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;alert(1)&#60;/script&#62;",
    "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "\\<script>alert(1)\\</script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    // Highlighted fences (issue 8): the code stays text in every language.
    "```cpp\n// </code></pre><script>alert(1)</script>\n```",
    "```js\nx = \"</code><img src=x onerror=alert(1)>\";\n```",
    "```json\n{\"a\": \"<svg onload=alert(1)>\"}\n```",
    "```sh\necho '<script>alert(1)</script>' # <iframe src=javascript:alert(1)>\n```",
    "```xml\n<a href=\"javascript:alert(1)\">x</a>\n```",
    "```cpp\"><script>alert(1)</script>\nint x;\n```",
    "```<script>alert(1)</script>\nint x;\n```",
    "| a |\n|---|\n| <img src=x onerror=alert(1)> |",
    "- [ ] <script>alert(1)</script>",
    "~~<script>alert(1)</script>~~",
    "> <svg onload=alert(1)>",
    "[<img src=x onerror=alert(1)>](http://a.org)",
    "[x](\\javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "www.example.com/\"><script>alert(1)</script>",
    "https://a.org/<script>alert(1)</script>",
    "<a href='javascript:alert(1)'>x</a>",
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<x onmouseover=alert(1)>hover",
};

INSTANTIATE_TEST_SUITE_P(Payloads, CommentXssTest, ::testing::ValuesIn(kXssPayloads));

static_assert(std::size(kXssPayloads) >= 30, "keep at least thirty hostile payloads");

TEST(CommentMarkdown, UnsafeLinkBecomesItsText) {
  // Nothing clickable remains of a javascript: link; its text stays.
  EXPECT_EQ(RenderCommentMarkdown("[click *me*](javascript:alert(1))"), "<p>click <em>me</em></p>\n");
}

TEST(CommentMarkdown, UnsafeImageInsideSafeLink) {
  EXPECT_EQ(RenderCommentMarkdown("[![alt](javascript:x)](https://a.org/)"),
            "<p><a rel=\"nofollow ugc\" href=\"https://a.org/\">alt</a></p>\n");
}

TEST(CommentMarkdown, UnsafeLinkInTableCellAndStrikethrough) {
  std::string html = RenderCommentMarkdown("| a |\n|---|\n| [x](javascript:1) ~~[y](vbscript:2)~~ |\n");
  EXPECT_EQ(html.find("<a "), std::string::npos) << html;
  EXPECT_NE(html.find("<del>y</del>"), std::string::npos) << html;
}

TEST(CommentMarkdown, ColonAfterSlashIsNotAScheme) {
  // "/a:b" and "?x=javascript:y" are relative URLs, not schemes.
  std::string html = RenderCommentMarkdown("[x](/a:b) [y](?x=javascript:1)");
  EXPECT_NE(html.find("href=\"/a:b\""), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"?x=javascript:1\""), std::string::npos) << html;
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
  EXPECT_EQ(Violations(html), "");
}

}  // namespace
}  // namespace kiln
