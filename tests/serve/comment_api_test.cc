// POST /api/comments through the real `kiln serve` (SPEC.md, "The server";
// issue 3, "Comments over HTTP"): read-your-writes for both forms, every
// rejection with nothing stored, moderation, the rate limit, and a bounded
// concurrent load whose comments are all stored and visible.
#include "serve/comment_api.h"

#include <atomic>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct Running {
  explicit Running(const SiteSettings& settings = {}) : site(settings), server(site.root()) {
    started = server.WaitServing();
  }
  HttpResult Post(const std::string& type, const std::string& body) {
    return HttpPost(server.Url("/api/comments"), type, body);
  }
  TestSite site;
  ServerProcess server;
  bool started = false;
};

TEST(CommentApiTest, FormCommentIsVisibleOnTheVeryNextGet) {
  Running r;
  ASSERT_TRUE(r.started) << r.server.Stderr();
  HttpResult post = r.Post(kForm, FormEncode({{"post", "first"}, {"author", "Ada"},
                                              {"body", "Hello *from* the form"},
                                              {"website", ""}}));
  ASSERT_EQ(post.status, 303) << post.body;
  std::smatch m;
  std::string location = post.Header("location");
  ASSERT_TRUE(std::regex_match(location, m, std::regex(R"(/posts/first/#comment-(\d+))"))) << location;
  HttpResult page = HttpGet(r.server.Url("/posts/first/"));
  EXPECT_NE(page.body.find("id=\"comment-" + m[1].str() + "\""), std::string::npos);
  EXPECT_NE(page.body.find("<em>from</em>"), std::string::npos);
  EXPECT_EQ(r.site.CountComments("first"), 1);
}

// Issue 8: with a permalink pattern the post is not at /posts/SLUG/; the
// redirect after a comment goes where the build put it.
TEST(CommentApiTest, FormRedirectFollowsThePermalinkPattern) {
  TestSite site;
  site.WriteFile("kiln.toml", "title = \"Test blog\"\nbase_url = \"http://127.0.0.1:8080/\"\n"
                              "[comments]\nrate_limit_per_minute = 0\n"
                              "[permalinks]\npost = \"/:year/:slug.html\"\n");
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult post = HttpPost(server.Url("/api/comments"), kForm,
                             FormEncode({{"post", "first"}, {"author", "Ada"}, {"body", "Moved"},
                                         {"website", ""}}));
  ASSERT_EQ(post.status, 303) << post.body;
  std::smatch m;
  std::string location = post.Header("location");
  ASSERT_TRUE(std::regex_match(location, m, std::regex(R"((/\d{4}/first\.html)#comment-(\d+))"))) << location;
  HttpResult page = HttpGet(server.Url(m[1].str()));
  EXPECT_NE(page.body.find("id=\"comment-" + m[2].str() + "\""), std::string::npos);
}

TEST(CommentApiTest, JsonCommentAnswers201WithTheStoredComment) {
  Running r;
  ASSERT_TRUE(r.started) << r.server.Stderr();
  HttpResult post = r.Post(kJson, R"({"post":"second","author":"Grace","body":"JSON works",
                                      "email":"grace@example.com"})");
  ASSERT_EQ(post.status, 201) << post.body;
  auto json = nlohmann::json::parse(post.body);
  EXPECT_EQ(json["post"], "second");
  EXPECT_EQ(json["author"], "Grace");
  EXPECT_EQ(json["status"], "published");
  EXPECT_FALSE(json.contains("email"));  // never echoed
  int64_t id = json["id"];
  EXPECT_EQ(json["url"], "/posts/second/#comment-" + std::to_string(id));
  HttpResult page = HttpGet(r.server.Url("/posts/second/"));
  EXPECT_NE(page.body.find("JSON works"), std::string::npos);
}

// Form posts get the error page's words for people (comment_error_page_test.cc),
// JSON posts the API's.
TEST(CommentApiTest, EveryRejectionHasAMessageAndStoresNothing) {
  Running r({.moderation = "auto", .max_length = 50, .rate_limit_per_minute = 0});
  ASSERT_TRUE(r.started) << r.server.Stderr();
  struct Case {
    const char* what;
    std::string type, body;
    long status;
    const char* message;
  };
  const Case cases[] = {
      {"missing author", kForm, FormEncode({{"post", "first"}, {"body", "x"}}), 422, "Please enter your name."},
      {"blank body", kForm, FormEncode({{"post", "first"}, {"author", "A"}, {"body", "  \n"}}), 422,
       "Please write something before sending."},
      {"missing post", kJson, R"({"author":"A","body":"x"})", 422, "post"},
      {"body over max_length", kJson,
       R"({"post":"first","author":"A","body":")" + std::string(51, 'x') + "\"}", 422, "too long"},
      {"unknown post", kJson, R"({"post":"nope","author":"A","body":"x"})", 404, "nope"},
      {"draft post", kJson, R"({"post":"hidden-draft","author":"A","body":"x"})", 404, "hidden-draft"},
      {"hostile slug", kJson, R"({"post":"../first","author":"A","body":"x"})", 404, "published"},
      {"honeypot", kForm,
       FormEncode({{"post", "first"}, {"author", "A"}, {"body", "x"}, {"website", "http://spam"}}),
       422, "A field meant to stay empty was filled in"},
      {"bad JSON", kJson, R"({"post":)", 400, "JSON"},
      {"JSON array", kJson, R"(["first"])", 400, "object"},
      {"number author", kJson, R"({"post":"first","author":7,"body":"x"})", 422, "string"},
      {"bad escape", kForm, "post=first&author=A&body=%zz", 400, "arrived garbled"},
      {"not UTF-8", kForm, "post=first&author=A&body=%ff%fe", 422, "characters that could not be read"},
      {"bad email", kJson, R"({"post":"first","author":"A","body":"x","email":"nope"})", 422, "email"},
      {"control char", kJson, R"({"post":"first","author":"A\u0007","body":"x"})", 422, "control"},
      {"text/plain", "text/plain", "post=first&author=A&body=x", 400, "Content-Type"},
      {"too large for a comment", kJson, std::string(200 << 10, ' '), 413, "too large"},
      {"too large for the server", kJson, std::string(2 << 20, ' '), 413, "too large"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    HttpResult post = r.Post(c.type, c.body);
    ASSERT_TRUE(post.ok) << post.error;
    EXPECT_EQ(post.status, c.status) << post.body;
    EXPECT_NE(post.body.find(c.message), std::string::npos) << post.body;
    if (c.type == kJson && c.status != 413) {
      EXPECT_TRUE(nlohmann::json::parse(post.body).contains("error")) << post.body;
    }
    if (c.type == kForm) EXPECT_NE(post.body.find("<html"), std::string::npos) << post.body;
  }
  EXPECT_EQ(r.site.CountComments(""), 0);
  EXPECT_EQ(r.Post(kJson, R"({"post":"first","author":"A","body":"ok"})").status, 201);
}

TEST(CommentApiTest, ManualModerationStoresPendingAndSaysSo) {
  Running r({.moderation = "manual"});
  ASSERT_TRUE(r.started) << r.server.Stderr();
  HttpResult form = r.Post(kForm, FormEncode({{"post", "first"}, {"author", "A"},
                                              {"body", "held-by-form"}}));
  EXPECT_EQ(form.status, 202);
  EXPECT_NE(form.body.find("awaits moderation"), std::string::npos);
  HttpResult json = r.Post(kJson, R"({"post":"first","author":"B","body":"held-by-json"})");
  ASSERT_EQ(json.status, 201);
  EXPECT_EQ(nlohmann::json::parse(json.body)["status"], "pending");
  EXPECT_EQ(r.site.CountComments("first"), 2);
  std::string page = HttpGet(r.server.Url("/posts/first/")).body;
  EXPECT_EQ(page.find("held-by-"), std::string::npos);
}

TEST(CommentApiTest, RateLimitAnswers429WithRetryAfter) {
  Running r({.rate_limit_per_minute = 2});
  ASSERT_TRUE(r.started) << r.server.Stderr();
  const std::string body = R"({"post":"first","author":"A","body":"hi"})";
  EXPECT_EQ(r.Post(kJson, body).status, 201);
  EXPECT_EQ(r.Post(kJson, body).status, 201);
  HttpResult third = r.Post(kJson, body);
  EXPECT_EQ(third.status, 429);
  int retry = std::atoi(third.Header("retry-after").c_str());
  EXPECT_GE(retry, 1);
  EXPECT_LE(retry, 60);
  EXPECT_EQ(r.site.CountComments("first"), 2);
}

// Issue 3: "a bounded concurrent load (for example 200 comments from 8
// threads) after which every comment is stored and visible", with rebuilds
// shared between comments.
TEST(CommentApiTest, TwoHundredConcurrentCommentsAreAllStoredAndVisible) {
  Running r;
  ASSERT_TRUE(r.started) << r.server.Stderr();
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> created = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        std::string post = (i % 2) ? "first" : "second";
        std::string body = "load-" + std::to_string(t) + "-" + std::to_string(i) + "-end";
        HttpResult res = HttpPost(r.server.Url("/api/comments"), kJson,
                                  nlohmann::json{{"post", post}, {"author", "L"}, {"body", body}}.dump());
        if (res.status == 201) ++created;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(created, kThreads * kEach);
  EXPECT_EQ(r.site.CountComments(""), kThreads * kEach);
  std::string pages = HttpGet(r.server.Url("/posts/first/")).body +
                      HttpGet(r.server.Url("/posts/second/")).body;
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kEach; ++i) {
      std::string body = "load-" + std::to_string(t) + "-" + std::to_string(i) + "-end";
      EXPECT_NE(pages.find(body), std::string::npos) << body;
    }
  }
  // Coalesced: far fewer builds than comments ("kiln: built" is logged once
  // per build that changed files).
  std::string log = r.server.Stderr();
  size_t builds = 0;
  for (size_t at = log.find("kiln: built"); at != std::string::npos; at = log.find("kiln: built", at + 1)) ++builds;
  EXPECT_LT(builds, static_cast<size_t>(kThreads * kEach / 2)) << log;
  std::printf("[ info ] 200 comments took %zu builds\n", builds);
}

}  // namespace
}  // namespace kiln::test
