// The page a comment sent from the HTML form gets when it is held for
// moderation (issue 8), through the real `kiln serve`: 202, the site's
// theme like the error page (head, stylesheet, viewport, footer), a way
// back to the post; the built-in page for a theme without
// comment_notice.mustache. (A comment stored while the build fails gets the
// same page: tests/serve/failed_build_test.cc.)
#include <memory>

#include <gtest/gtest.h>

#include "markup_check.h"
#include "serve_test_util.h"

namespace kiln::test {
namespace {


struct HeldForModeration {
  explicit HeldForModeration(bool without_template = false) : site({.moderation = "manual"}) {
    if (without_template) fs::remove(site.root() / "templates" / "comment_notice.mustache");
    server = std::make_unique<ServerProcess>(site.root());
    started = server->WaitServing();
  }
  HttpResult Send() {
    return HttpPost(server->Url("/api/comments"), kForm,
                    FormEncode({{"post", "first"}, {"author", "Ada"}, {"body", "Held, please."}}));
  }
  TestSite site;
  std::unique_ptr<ServerProcess> server;
  bool started = false;
};

bool Has(const std::string& page, const std::string& text) { return page.find(text) != std::string::npos; }

TEST(CommentNoticePage, HeldCommentGetsTheThemedPage) {
  HeldForModeration r;
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult answer = r.Send();
  EXPECT_EQ(answer.status, 202);
  EXPECT_EQ(answer.Header("content-type"), "text/html; charset=utf-8");
  const std::string& page = answer.body;
  EXPECT_TRUE(Has(page, "<title>Thank you: your comment awaits moderation · Test blog</title>")) << page;
  EXPECT_TRUE(Has(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  EXPECT_TRUE(Has(page, "<link rel=\"stylesheet\" href=\"/style.css\">"));  // the theme's head
  EXPECT_TRUE(Has(page, "<footer class=\"site-footer\">"));               // and foot
  EXPECT_TRUE(Has(page, "<h1 id=\"comment-notice-title\">Thank you: your comment awaits moderation</h1>"));
  EXPECT_TRUE(Has(page, "<p role=\"status\">Your comment was received and will appear on the post once it is "
                        "approved.</p>"));
  EXPECT_TRUE(Has(page, "<a href=\"/posts/first/#comments\">Back to “First post”</a>")) << page;
  EXPECT_EQ(CheckMarkup(page), "") << page;
  EXPECT_EQ(r.site.CountComments("first"), 1);
}

TEST(CommentNoticePage, ThemeWithoutTheTemplateGetsTheBuiltInPage) {
  HeldForModeration r(/*without_template=*/true);
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult answer = r.Send();
  EXPECT_EQ(answer.status, 202);
  const std::string& page = answer.body;
  EXPECT_TRUE(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n")) << page;
  EXPECT_TRUE(Has(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  EXPECT_TRUE(Has(page, "<h1>Thank you: your comment awaits moderation</h1>"));
  EXPECT_TRUE(Has(page, "<a href=\"/posts/first/#comments\">Back to the post</a>"));
  EXPECT_FALSE(Has(page, "site-footer"));
  EXPECT_EQ(CheckMarkup(page), "") << page;
}

}  // namespace
}  // namespace kiln::test
