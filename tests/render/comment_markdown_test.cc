#include "render/comment_markdown.h"

#include <cmark-gfm.h>
#include <gtest/gtest.h>

#include "render/markdown.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::CountOf;

// SPEC.md "Comments": a comment body is markdown with raw HTML and
// dangerous URLs removed. Hostile payloads: comment_payloads_test.cc.

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

TEST(CommentMarkdown, RawHtmlIsRemoved) {
  std::string html = RenderCommentMarkdown("<b>bold</b> and <div>block</div>");
  EXPECT_EQ(html, "<p>bold and block</p>\n");
}

TEST(CommentMarkdown, KilnRemovesRawHtmlWithoutCmarkSafeMode) {
  // The tree edit removes raw HTML itself; cmark's safe mode is a second
  // layer, not the only one.
  EXPECT_EQ(RenderMarkdown("<b>a</b>\n\n<div>b</div>\n", CMARK_OPT_UNSAFE, SanitiseCommentTree),
            "<p>a</p>\n");
}

TEST(CommentMarkdown, DataImagesAreDropped) {
  // cmark's safe mode allows data:image/png; kiln drops every data: URL.
  // An image with an unsafe URL becomes its alt text.
  EXPECT_EQ(RenderCommentMarkdown("![x](data:image/png;base64,iVBORw0KGgo=)"), "<p>x</p>\n");
}

TEST(CommentMarkdown, RemoteImageBecomesALinkToIt) {
  // A remote image would be fetched by every reader's browser (a tracking
  // pixel): it is shown as a link, loaded only if the reader follows it.
  EXPECT_EQ(RenderCommentMarkdown("![a pixel](https://evil.example/p.gif \"t\")"),
            "<p><a rel=\"nofollow ugc\" href=\"https://evil.example/p.gif\" title=\"t\">a pixel</a></p>\n");
}

TEST(CommentMarkdown, ImageWithoutAltTextShowsItsUrl) {
  EXPECT_EQ(RenderCommentMarkdown("![](/x.png)"),
            "<p><a rel=\"nofollow ugc\" href=\"/x.png\">/x.png</a></p>\n");
}

TEST(CommentMarkdown, ImageAltTextKeepsOnlyText) {
  EXPECT_EQ(RenderCommentMarkdown("![*a* `b` [c](/d)](/e.png)"),
            "<p><a rel=\"nofollow ugc\" href=\"/e.png\">a b c</a></p>\n");
}

TEST(CommentMarkdown, ImageInsideLinkBecomesItsAltText) {
  // A link cannot hold another link.
  EXPECT_EQ(RenderCommentMarkdown("[![alt](https://a.org/i.png)](https://a.org/)"),
            "<p><a rel=\"nofollow ugc\" href=\"https://a.org/\">alt</a></p>\n");
}

TEST(CommentMarkdown, ReferenceImageBecomesALink) {
  EXPECT_EQ(RenderCommentMarkdown("![r][p]\n\n[p]: https://a.org/p.gif\n"),
            "<p><a rel=\"nofollow ugc\" href=\"https://a.org/p.gif\">r</a></p>\n");
}

TEST(CommentMarkdown, EmptyLinkShowsItsUrl) {
  // An invisible link is a hidden link (spam, or a trap for a click).
  EXPECT_EQ(RenderCommentMarkdown("[<img src=x onerror=alert(1)>](https://a.org/) [](/b) [ ](/c)"),
            "<p><a rel=\"nofollow ugc\" href=\"https://a.org/\">https://a.org/</a> "
            "<a rel=\"nofollow ugc\" href=\"/b\">/b</a> <a rel=\"nofollow ugc\" href=\"/c\">/c</a></p>\n");
}

TEST(CommentMarkdown, HeadingsSitBelowThePage) {
  // The post is h1, its sections and "N comments" h2, "Leave a comment" h3.
  EXPECT_EQ(RenderCommentMarkdown("# a\n\n## b\n\n### c\n\n#### d\n\n###### e\n\nf\n=\n"),
            "<h4>a</h4>\n<h5>b</h5>\n<h6>c</h6>\n<h6>d</h6>\n<h6>e</h6>\n<h4>f</h4>\n");
}

TEST(CommentMarkdown, CommentHeadingLevels) {
  EXPECT_EQ(CommentHeadingLevel(1), 4);
  EXPECT_EQ(CommentHeadingLevel(2), 5);
  for (int level = 3; level <= 6; ++level) EXPECT_EQ(CommentHeadingLevel(level), 6);
}

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


TEST(CommentUrlFilter, AllowsWebAndRelativeUrls) {
  for (const char* url : {"http://a.org/", "HTTPS://A.ORG/", "mailto:a@b.org", "/a:b", "?x=javascript:1",
                          "#x", "page.html", "//cdn.example.org/x", ""}) {
    EXPECT_TRUE(IsSafeCommentUrl(url)) << url;
  }
}

TEST(CommentUrlFilter, RefusesEveryOtherScheme) {
  // Browsers drop tabs and newlines anywhere in a URL and leading control
  // bytes and spaces before reading its scheme (WHATWG URL parser).
  for (std::string url : {"javascript:x", "jAvAsCrIpT:x", "java\tscript:x", "java\nscript:x",
                          " javascript:x", "\x01javascript:x", "\x7fjavascript:x", "vbscript:x",
                          "data:text/html,x", "data:image/png;base64,AAAA", "file:///etc/passwd",
                          "blob:https://a.org/0", "livescript:x", "intent://x"}) {
    EXPECT_FALSE(IsSafeCommentUrl(url)) << url;
  }
  EXPECT_FALSE(IsSafeCommentUrl(std::string("\0javascript:x", 13)));
}

}  // namespace
}  // namespace kiln
