// POST /api/rebuild (SPEC.md, "The server"; issue 3, "Rebuild webhook").
#include "serve/webhook.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

constexpr char kSecret[] = "s3cret-for-tests";

// RFC 4231, test case 2.
TEST(HmacTest, MatchesRfc4231) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(VerifySignatureTest, AcceptsOnlyTheExactSignatureOfTheBody) {
  std::string good = "sha256=" + HmacSha256Hex(kSecret, "{}");
  EXPECT_TRUE(VerifySignature(kSecret, "{}", good));
  std::string upper = good;
  for (size_t i = 7; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
  EXPECT_TRUE(VerifySignature(kSecret, "{}", upper));
  EXPECT_FALSE(VerifySignature(kSecret, "{} ", good));        // body changed
  EXPECT_FALSE(VerifySignature("other", "{}", good));         // other secret
  EXPECT_FALSE(VerifySignature("", "{}", "sha256=" + HmacSha256Hex("", "{}")));  // no secret
  EXPECT_FALSE(VerifySignature(kSecret, "{}", good.substr(7)));                // no prefix
  EXPECT_FALSE(VerifySignature(kSecret, "{}", good.substr(0, good.size() - 1)));  // short
  EXPECT_FALSE(VerifySignature(kSecret, "{}", good + "0"));                       // long
  EXPECT_FALSE(VerifySignature(kSecret, "{}", "sha1=" + good.substr(7)));
  std::string bad_hex = good;
  bad_hex[10] = 'g';
  EXPECT_FALSE(VerifySignature(kSecret, "{}", bad_hex));
  EXPECT_FALSE(VerifySignature(kSecret, "{}", ""));
}

TEST(RebuildWebhookTest, OffWithoutSecret) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult r = HttpPost(server.Url("/api/rebuild"), "application/json", "{}",
                          {"X-Kiln-Signature: sha256=" + HmacSha256Hex("", "{}")});
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("KILN_WEBHOOK_SECRET"), std::string::npos);
}

TEST(RebuildWebhookTest, SignedCallBuildsAndAnswersTheReport) {
  TestSite site;
  ServerProcess server(site.root(), {}, {std::string("KILN_WEBHOOK_SECRET=") + kSecret});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  std::string url = server.Url("/api/rebuild");
  const std::string body = R"({"ref":"refs/heads/main"})";

  // New content arrives; nothing is built until a valid call.
  site.WritePost("arrived", "Arrived by webhook", "Fresh.\n");
  for (const std::vector<std::string>& headers : std::vector<std::vector<std::string>>{
           {},
           {"X-Kiln-Signature: sha256=" + HmacSha256Hex("wrong", body)},
           {"X-Kiln-Signature: " + HmacSha256Hex(kSecret, body)},
           {"X-Kiln-Signature: sha256=" + HmacSha256Hex(kSecret, body + "x")}}) {
    HttpResult r = HttpPost(url, "application/json", body, headers);
    EXPECT_EQ(r.status, 401) << r.body;
  }
  EXPECT_EQ(HttpGet(server.Url("/posts/arrived/")).status, 404);
  EXPECT_EQ(HttpGet(url).status, 405);

  HttpResult r = HttpPost(url, "application/json", body,
                          {"X-Kiln-Signature: sha256=" + HmacSha256Hex(kSecret, body)});
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = nlohmann::json::parse(r.body);
  EXPECT_TRUE(report.contains("pages"));
  EXPECT_TRUE(report.contains("duration_ms"));
  auto rendered = report["rendered"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(rendered.begin(), rendered.end(), "/posts/arrived/"), rendered.end());
  EXPECT_EQ(HttpGet(server.Url("/posts/arrived/")).status, 200);

  // A second call with nothing new renders nothing.
  r = HttpPost(url, "application/json", body,
               {"X-Kiln-Signature: sha256=" + HmacSha256Hex(kSecret, body)});
  EXPECT_TRUE(nlohmann::json::parse(r.body)["rendered"].empty()) << r.body;
}

}  // namespace
}  // namespace kiln::test
