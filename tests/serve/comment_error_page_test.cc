// The comment form's error page through the real `kiln serve` (issue 8):
// the proper status, the site's theme (head, stylesheet, viewport), a
// plain-language message next to its field, the form filled in with what
// was typed, escaped, control characters never echoed; the built-in page
// for a theme without comment_error.mustache.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "markup_check.h"
#include "serve_test_util.h"

namespace kiln::test {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ErrorPageServer {
  explicit ErrorPageServer(const SiteSettings& settings = {}, bool without_template = false) : site(settings) {
    if (without_template) fs::remove(site.root() / "templates" / "comment_error.mustache");
    server = std::make_unique<ServerProcess>(site.root());
    started = server->WaitServing();
  }
  HttpResult Post(const Fields& fields) { return HttpPost(server->Url("/api/comments"), kForm, FormEncode(fields)); }
  TestSite site;
  std::unique_ptr<ServerProcess> server;
  bool started = false;
};

bool ErrorPageHas(const std::string& page, const std::string& text) { return page.find(text) != std::string::npos; }

TEST(CommentErrorPage, AnEmptyBodyGetsTheThemedPageWithTheFormFilledIn) {
  ErrorPageServer r;
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult post = r.Post({{"post", "first"}, {"author", "Ada & <Bo>"}, {"email", "ada@example.org"},
                            {"body", "  \n "}, {"website", ""}});
  EXPECT_EQ(post.status, 422);
  EXPECT_EQ(post.Header("content-type"), "text/html; charset=utf-8");
  const std::string& page = post.body;
  EXPECT_TRUE(ErrorPageHas(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")) << page;
  EXPECT_TRUE(ErrorPageHas(page, "<link rel=\"stylesheet\" href=\"/style.css\">"));  // the theme's head
  EXPECT_TRUE(ErrorPageHas(page, "<footer class=\"site-footer\">"));               // and foot
  EXPECT_TRUE(ErrorPageHas(page, "<span class=\"field-error\" id=\"comment-body-error\">Please write something before sending.</span>"));
  EXPECT_TRUE(ErrorPageHas(page, "aria-invalid=\"true\" aria-describedby=\"comment-body-error\""));
  EXPECT_TRUE(ErrorPageHas(page, "value=\"Ada &amp; &lt;Bo&gt;\""));
  EXPECT_TRUE(ErrorPageHas(page, "value=\"ada@example.org\""));
  EXPECT_TRUE(ErrorPageHas(page, "<input type=\"hidden\" name=\"post\" value=\"first\">"));
  EXPECT_TRUE(ErrorPageHas(page, "<a href=\"/posts/first/#comments\">Back to the post</a>"));
  EXPECT_EQ(CheckMarkup(page), "") << page;  // every element closed, values escaped
  EXPECT_FALSE(ErrorPageHas(page, "field 'body'"));
  EXPECT_FALSE(ErrorPageHas(page, "field &#39;body&#39;"));
  EXPECT_EQ(r.site.CountComments(""), 0);
}

TEST(CommentErrorPage, EachFieldGetsItsOwnPlainMessage) {
  ErrorPageServer r({.max_length = 20});
  ASSERT_TRUE(r.started) << r.server->Stderr();
  struct Case {
    Fields fields;
    long status;
    std::string field, message;
  };
  const Case cases[] = {
      {{{"post", "first"}, {"author", ""}, {"body", "Hello"}}, 422, "author", "Please enter your name."},
      {{{"post", "first"}, {"author", "Ada"}, {"body", std::string(25, 'x')}}, 422, "body",
       "Your comment is 25 characters long. Please shorten it to 20 or fewer."},
      {{{"post", "first"}, {"author", "Ada"}, {"body", "Hi"}, {"email", "not-an-address"}}, 422, "email",
       "This does not look like an email address."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    HttpResult post = r.Post(c.fields);
    EXPECT_EQ(post.status, c.status);
    EXPECT_TRUE(ErrorPageHas(post.body, "<span class=\"field-error\" id=\"comment-" + c.field + "-error\">" + c.message))
        << post.body;
  }
  // The whole form's problems are said above it.
  HttpResult gone = r.Post({{"post", "no-such-post"}, {"author", "Ada"}, {"body", "Hi"}});
  EXPECT_EQ(gone.status, 404);
  EXPECT_TRUE(ErrorPageHas(gone.body, "<p class=\"form-error\" role=\"alert\">This post does not take comments"));
  EXPECT_FALSE(ErrorPageHas(gone.body, "<form"));  // nowhere to send it
}

// Whatever was typed comes back inert: escaped, and without the control
// characters (C0, C1, bidirectional overrides) it carried.
TEST(CommentErrorPage, TypedTextIsEscapedAndControlCharactersAreNeverEchoed) {
  ErrorPageServer r;
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult post = r.Post({{"post", "first"},
                            {"author", "\"><script>alert(1)</script>"},
                            {"body", "a\x01" "b\x1b[31mc\xc2\x85" "d\xe2\x80\xae" "e</textarea><script>alert(2)</script>"},
                            {"email", "bad"}});
  EXPECT_EQ(post.status, 422);
  const std::string& page = post.body;
  EXPECT_FALSE(ErrorPageHas(page, "<script>alert"));
  EXPECT_EQ(CheckMarkup(page), "") << page;
  EXPECT_TRUE(ErrorPageHas(page, "value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_TRUE(ErrorPageHas(page, "ab[31mcde&lt;/textarea&gt;&lt;script&gt;alert(2)&lt;/script&gt;</textarea>")) << page;
  for (const std::string bad : {"\x01", "\x1b", "\xc2\x85", "\xe2\x80\xae"}) EXPECT_FALSE(ErrorPageHas(page, bad));
}

// A reply whose parent is gone is offered again as a new comment: the page
// says so and the re-shown form carries no parent.
TEST(CommentErrorPage, AReplyToAMissingCommentIsOfferedAsANewComment) {
  ErrorPageServer r;
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult post = r.Post({{"post", "first"}, {"parent", "4242"}, {"author", "Ada"}, {"body", "My reply"}});
  EXPECT_EQ(post.status, 400);
  EXPECT_TRUE(ErrorPageHas(post.body, "The comment you replied to is no longer shown")) << post.body;
  EXPECT_FALSE(ErrorPageHas(post.body, "name=\"parent\""));
  EXPECT_TRUE(ErrorPageHas(post.body, ">\nMy reply</textarea>"));
  EXPECT_EQ(r.site.CountComments(""), 0);
}

TEST(CommentErrorPage, ARateLimitedFormKeepsWhatWasTyped) {
  ErrorPageServer r({.rate_limit_per_minute = 1});
  ASSERT_TRUE(r.started) << r.server->Stderr();
  ASSERT_EQ(r.Post({{"post", "first"}, {"author", "Ada"}, {"body", "One"}}).status, 303);
  HttpResult second = r.Post({{"post", "first"}, {"author", "Ada"}, {"body", "Two, typed with care"}});
  EXPECT_EQ(second.status, 429);
  EXPECT_FALSE(second.Header("retry-after").empty());
  EXPECT_TRUE(ErrorPageHas(second.body, "You have sent several comments in a short time. Please wait ")) << second.body;
  EXPECT_TRUE(ErrorPageHas(second.body, "Two, typed with care</textarea>"));
}

// A post retitled while `kiln serve --watch` runs: the server rebuilds
// from memory (the edit path), and the error page names the post by its
// new title, as the post's own page does.
TEST(CommentErrorPage, APostRetitledUnderTheServerIsNamedByItsNewTitle) {
  TestSite site;
  ServerProcess server(site.root(), {"--watch"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult before = HttpPost(server.Url("/api/comments"), kForm,
                               FormEncode({{"post", "first"}, {"author", "Ada"}, {"body", ""}}));
  EXPECT_TRUE(ErrorPageHas(before.body, ">First post</a></h2>")) << before.body;
  site.WritePost("first", "First post, retitled", "The first post.\n");
  ASSERT_TRUE(server.WaitStderr("(edits, from memory)", std::chrono::seconds(10)))
      << server.Stderr();
  HttpResult after = HttpPost(server.Url("/api/comments"), kForm,
                              FormEncode({{"post", "first"}, {"author", "Ada"}, {"body", ""}}));
  EXPECT_EQ(after.status, 422);
  EXPECT_TRUE(ErrorPageHas(after.body, ">First post, retitled</a></h2>")) << after.body;
  EXPECT_TRUE(ErrorPageHas(site.ReadFile("site/posts/first/index.html"), "First post, retitled"));
}

TEST(CommentErrorPage, AThemeWithoutTheTemplateGetsTheBuiltInPage) {
  ErrorPageServer r({}, /*without_template=*/true);
  ASSERT_TRUE(r.started) << r.server->Stderr();
  HttpResult post = r.Post({{"post", "first"}, {"author", "Ada <3"}, {"body", ""}});
  EXPECT_EQ(post.status, 422);
  const std::string& page = post.body;
  EXPECT_TRUE(ErrorPageHas(page, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  EXPECT_FALSE(ErrorPageHas(page, "<link rel=\"stylesheet\""));
  EXPECT_TRUE(ErrorPageHas(page, "Please write something before sending."));
  EXPECT_TRUE(ErrorPageHas(page, "value=\"Ada &lt;3\""));
  EXPECT_TRUE(ErrorPageHas(page, "<form method=\"post\" action=\"/api/comments\">"));
  EXPECT_EQ(CheckMarkup(page), "") << page;
}

}  // namespace
}  // namespace kiln::test
