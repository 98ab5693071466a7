// render/comment_error_page.h without a server: what is echoed, and the
// built-in page used before any build or for a theme without the template.
#include "render/comment_error_page.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

TEST(EchoableText, ControlCharactersAndBidiOverridesAreRemoved) {
  EXPECT_EQ(EchoableText("a\x01" "b\x7f" "c\xc2\x9b" "d\xe2\x80\xae" "e\xe2\x81\xa6" "f", false), "abcdef");
}

TEST(EchoableText, OnlyMultilineTextKeepsTabsAndNewlinesWithCrLfAsLf) {
  EXPECT_EQ(EchoableText("one\ttwo\r\nthree\rfour", true), "one\ttwo\nthree\nfour");
  EXPECT_EQ(EchoableText("one\ttwo\r\nthree", false), "onetwothree");
}

TEST(EchoableText, BytesThatAreNotUtf8BecomeReplacementCharacters) {
  EXPECT_EQ(EchoableText("caf\xc3\xa9 \xff\xfe \xc0\xaf \xed\xa0\x80", false),
            "caf\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(EchoableText("\xf0\x9f\x94\xa5", false), "\xf0\x9f\x94\xa5");
}

TEST(CommentErrorPageBuiltIn, HasAViewportTheMessageAndTheFilledForm) {
  CommentFormError e;
  e.status = 422;
  e.message = "Please enter your name.";
  e.field = "author";
  e.post = "a";
  e.body = "</textarea><b>x</b>";
  e.parent = "12";
  CommentPageSite site;  // no templates: the built-in page
  site.posts["a"] = {"A post", "/posts/a/", "https://example.org/posts/a/"};
  site.max_length = 500;
  const std::string page = RenderCommentErrorPage(&site, e);
  EXPECT_NE(page.find("<meta name=\"viewport\""), std::string::npos);
  EXPECT_NE(page.find("id=\"comment-author-error\">Please enter your name.</p>"), std::string::npos) << page;
  EXPECT_NE(page.find(">\n&lt;/textarea&gt;&lt;b&gt;x&lt;/b&gt;</textarea>"), std::string::npos) << page;
  EXPECT_NE(page.find("<input type=\"hidden\" name=\"parent\" value=\"12\">"), std::string::npos);
  EXPECT_NE(page.find("maxlength=\"500\""), std::string::npos);
  // Without a known post there is nothing to send the form to.
  EXPECT_EQ(RenderCommentErrorPage(nullptr, e).find("<form"), std::string::npos);
}

}  // namespace
}  // namespace kiln
