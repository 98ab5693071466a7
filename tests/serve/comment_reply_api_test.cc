// Replies over HTTP (issue 8): POST /api/comments takes `parent` from the
// comment form (a hidden field of each reply form) and from JSON; a parent
// that is not a published comment of the same post is answered 400 with a
// plain message, and nothing is stored.
#include <regex>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "markup_check.h"
#include "serve_test_util.h"

namespace kiln::test {
namespace {


struct ReplyServer {
  explicit ReplyServer(const SiteSettings& settings = {}) : site(settings), server(site.root()) {
    started = server.WaitServing();
  }
  HttpResult Post(const std::string& type, const std::string& body) {
    return HttpPost(server.Url("/api/comments"), type, body);
  }
  // Stores a top-level comment on `post` by JSON; its id.
  int64_t Comment(const std::string& post, const std::string& body) {
    HttpResult r = Post(kJson, nlohmann::json{{"post", post}, {"author", "Ada"}, {"body", body}}.dump());
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? nlohmann::json::parse(r.body)["id"].get<int64_t>() : 0;
  }
  TestSite site;
  ServerProcess server;
  bool started = false;
};

TEST(CommentReplyApi, FormReplyIsShownUnderItsParentOnTheNextGet) {
  ReplyServer r;
  ASSERT_TRUE(r.started) << r.server.Stderr();
  const int64_t parent = r.Comment("first", "The question");
  HttpResult post = r.Post(kForm, FormEncode({{"post", "first"}, {"parent", std::to_string(parent)},
                                              {"author", "Bo"}, {"body", "The answer"}, {"website", ""}}));
  ASSERT_EQ(post.status, 303) << post.body;
  std::smatch m;
  const std::string location = post.Header("location");
  ASSERT_TRUE(std::regex_match(location, m, std::regex(R"(/posts/first/#comment-(\d+))"))) << location;
  const std::string page = HttpGet(r.server.Url("/posts/first/")).body;
  const size_t parent_at = page.find("<li class=\"comment\" id=\"comment-" + std::to_string(parent) + "\">");
  const size_t replies_at = page.find("<ol class=\"replies\">", parent_at);
  const size_t reply_at = page.find("<li class=\"comment\" id=\"comment-" + m[1].str() + "\">");
  ASSERT_NE(parent_at, std::string::npos);
  EXPECT_LT(parent_at, replies_at);
  EXPECT_LT(replies_at, reply_at);
  EXPECT_NE(reply_at, std::string::npos);
  EXPECT_EQ(CheckMarkup(page), "");  // the nested lists and reply forms are closed in order
}

TEST(CommentReplyApi, JsonReplyAnswersWithItsParent) {
  ReplyServer r;
  ASSERT_TRUE(r.started) << r.server.Stderr();
  const int64_t parent = r.Comment("first", "Q");
  HttpResult post = r.Post(kJson, nlohmann::json{{"post", "first"}, {"parent", parent}, {"author", "Bo"},
                                                 {"body", "A"}}.dump());
  ASSERT_EQ(post.status, 201) << post.body;
  EXPECT_EQ(nlohmann::json::parse(post.body)["parent"], parent);
}

TEST(CommentReplyApi, AParentThatIsNotAPublishedCommentOfThePostIs400AndStoresNothing) {
  ReplyServer r({.moderation = "auto"});
  ASSERT_TRUE(r.started) << r.server.Stderr();
  const int64_t on_second = r.Comment("second", "elsewhere");
  const std::string other = std::to_string(on_second);
  struct Case {
    const char* what;
    std::string type, body;
    const char* message;
  };
  const Case cases[] = {
      {"parent on another post (form)", kForm,
       FormEncode({{"post", "first"}, {"parent", other}, {"author", "A"}, {"body", "x"}}),
       "is not a published comment of post 'first'"},
      {"parent on another post (JSON)", kJson,
       R"({"post":"first","parent":)" + other + R"(,"author":"A","body":"x"})",
       "is not a published comment of post 'first'"},
      {"no such comment", kJson, R"({"post":"first","parent":999,"author":"A","body":"x"})",
       "comment 999 is not a published comment"},
      {"not an id (form)", kForm, FormEncode({{"post", "first"}, {"parent", "1 OR 1"}, {"author", "A"}, {"body", "x"}}),
       "'parent' must be the id of a comment"},
      {"negative (JSON)", kJson, R"({"post":"first","parent":-3,"author":"A","body":"x"})",
       "'parent' must be the id of a comment"},
      {"object (JSON)", kJson, R"({"post":"first","parent":{},"author":"A","body":"x"})",
       "'parent' must be the id of a comment"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    HttpResult post = r.Post(c.type, c.body);
    ASSERT_TRUE(post.ok) << post.error;
    EXPECT_EQ(post.status, 400) << post.body;
    // Form posts get a page for people (serve/comment_error_page.h tests its wording).
    if (c.type == kJson) EXPECT_NE(nlohmann::json::parse(post.body)["error"].get<std::string>().find(c.message), std::string::npos) << post.body;
    else EXPECT_NE(post.body.find("<html"), std::string::npos) << post.body;
  }
  EXPECT_EQ(r.site.CountComments("first"), 0);
}

TEST(CommentReplyApi, AReplyToAHeldCommentIsRefused) {
  ReplyServer r({.moderation = "manual"});
  ASSERT_TRUE(r.started) << r.server.Stderr();
  HttpResult held = r.Post(kJson, R"({"post":"first","author":"A","body":"held"})");
  ASSERT_EQ(held.status, 201) << held.body;
  const int64_t id = nlohmann::json::parse(held.body)["id"];
  HttpResult reply = r.Post(kJson, R"({"post":"first","author":"B","body":"re","parent":)" + std::to_string(id) + "}");
  EXPECT_EQ(reply.status, 400) << reply.body;
  EXPECT_EQ(r.site.CountComments("first"), 1);
}

}  // namespace
}  // namespace kiln::test
