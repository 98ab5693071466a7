// POST /api/rebuild (SPEC.md, "The server"; issue 3, "Rebuild webhook").
#include "serve/webhook.h"

#include <ctime>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

constexpr char kSecret[] = "s3cret-for-tests";

// kiln's form: X-Kiln-Timestamp and X-Kiln-Signature over TIMESTAMP.BODY.
std::vector<std::string> KilnSigned(const std::string& body, int64_t timestamp = std::time(nullptr),
                                    const std::string& secret = kSecret) {
  std::string stamp = std::to_string(timestamp);
  return {"X-Kiln-Timestamp: " + stamp,
          "X-Kiln-Signature: sha256=" + HmacSha256Hex(secret, stamp + "." + body)};
}

// GitHub's form: X-Hub-Signature-256 over the body, and a delivery id.
std::vector<std::string> GitHubSigned(const std::string& body, const std::string& delivery) {
  std::vector<std::string> headers = {"X-Hub-Signature-256: sha256=" + HmacSha256Hex(kSecret, body)};
  if (!delivery.empty()) headers.push_back("X-GitHub-Delivery: " + delivery);
  return headers;
}

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
           KilnSigned(body, std::time(nullptr), "wrong"),
           {KilnSigned(body)[0], "X-Kiln-Signature: " + HmacSha256Hex(kSecret, body)},
           KilnSigned(body + "x")}) {
    HttpResult r = HttpPost(url, "application/json", body, headers);
    EXPECT_EQ(r.status, 401) << r.body;
  }
  EXPECT_EQ(HttpGet(server.Url("/posts/arrived/")).status, 404);
  EXPECT_EQ(HttpGet(url).status, 405);

  HttpResult r = HttpPost(url, "application/json", body, KilnSigned(body));
  ASSERT_EQ(r.status, 200) << r.body;
  auto report = nlohmann::json::parse(r.body);
  EXPECT_TRUE(report.contains("pages"));
  EXPECT_TRUE(report.contains("duration_ms"));
  auto rendered = report["rendered"].get<std::vector<std::string>>();
  EXPECT_NE(std::find(rendered.begin(), rendered.end(), "/posts/arrived/"), rendered.end());
  EXPECT_EQ(HttpGet(server.Url("/posts/arrived/")).status, 200);

  // A second call with nothing new renders nothing.
  r = HttpPost(url, "application/json", body, KilnSigned(body, std::time(nullptr) + 1));
  EXPECT_TRUE(nlohmann::json::parse(r.body)["rendered"].empty()) << r.body;
}

// Issue 7: a captured call cannot be sent again, and a call signed long ago
// or far ahead is refused; the old body-only signature is refused too.
TEST(RebuildWebhookTest, Issue7ReplayedStaleOrUntimedCallsAreRefused) {
  TestSite site;
  ServerProcess server(site.root(), {}, {std::string("KILN_WEBHOOK_SECRET=") + kSecret});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  std::string url = server.Url("/api/rebuild");
  const std::string body = R"({"ref":"refs/heads/main"})";
  const int64_t now = std::time(nullptr);

  std::vector<std::string> call = KilnSigned(body, now);
  EXPECT_EQ(HttpPost(url, "application/json", body, call).status, 200);
  HttpResult replay = HttpPost(url, "application/json", body, call);
  EXPECT_EQ(replay.status, 401);
  EXPECT_NE(replay.body.find("already used"), std::string::npos) << replay.body;
  // The same call with the hex in upper case is the same call.
  std::string upper = call[1];
  for (size_t i = std::string("X-Kiln-Signature: sha256=").size(); i < upper.size(); ++i) {
    upper[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(upper[i])));
  }
  EXPECT_EQ(HttpPost(url, "application/json", body, {call[0], upper}).status, 401);

  HttpResult stale = HttpPost(url, "application/json", body, KilnSigned(body, now - 400));
  EXPECT_EQ(stale.status, 401);
  EXPECT_NE(stale.body.find("away from the server's clock"), std::string::npos) << stale.body;
  EXPECT_EQ(HttpPost(url, "application/json", body, KilnSigned(body, now + 400)).status, 401);
  EXPECT_EQ(HttpPost(url, "application/json", body,
                     {"X-Kiln-Signature: sha256=" + HmacSha256Hex(kSecret, body)})
                .status,
            401);  // no timestamp
  // A timestamp other than the one signed.
  EXPECT_EQ(HttpPost(url, "application/json", body,
                     {"X-Kiln-Timestamp: " + std::to_string(now + 2), KilnSigned(body, now + 3)[1]})
                .status,
            401);
  EXPECT_EQ(HttpPost(url, "application/json", body, KilnSigned(body, now - 200)).status, 200);
}

// SPEC.md: GitHub's own webhook signature works, once per delivery id.
TEST(RebuildWebhookTest, GitHubSignatureBuildsOncePerDeliveryId) {
  TestSite site;
  ServerProcess server(site.root(), {}, {std::string("KILN_WEBHOOK_SECRET=") + kSecret});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  std::string url = server.Url("/api/rebuild");
  const std::string body = R"({"zen":"Keep it logically awesome."})";
  EXPECT_EQ(HttpPost(url, "application/json", body, GitHubSigned(body, "72d3162e-cc78-11e3-81ab-4c9367dc0958")).status, 200);
  HttpResult again = HttpPost(url, "application/json", body, GitHubSigned(body, "72d3162e-cc78-11e3-81ab-4c9367dc0958"));
  EXPECT_EQ(again.status, 401);
  EXPECT_NE(again.body.find("already used"), std::string::npos) << again.body;
  EXPECT_EQ(HttpPost(url, "application/json", body, GitHubSigned(body, "")).status, 401);
  EXPECT_EQ(HttpPost(url, "application/json", body + " ", GitHubSigned(body, "new-id")).status, 401);
  EXPECT_EQ(HttpPost(url, "application/json", body, GitHubSigned(body, "new-id")).status, 200);
}

TEST(ReplayGuardTest, RefusesReuseAndTimestampsOutsideTheWindow) {
  ReplayGuard guard;
  std::string why;
  EXPECT_TRUE(guard.AcceptSigned(1000, "aa", 1000, &why));
  EXPECT_FALSE(guard.AcceptSigned(1000, "aa", 1001, &why));
  EXPECT_TRUE(guard.AcceptSigned(1000, "bb", 1001, &why));  // another body, same second
  EXPECT_TRUE(guard.AcceptSigned(700, "cc", 1000, &why));   // exactly 300 s old
  EXPECT_FALSE(guard.AcceptSigned(699, "dd", 1000, &why));
  EXPECT_TRUE(guard.AcceptSigned(1300, "ee", 1000, &why));
  EXPECT_FALSE(guard.AcceptSigned(1301, "ff", 1000, &why));
  // Still refused while inside the window, however many calls came since.
  EXPECT_FALSE(guard.AcceptSigned(1000, "aa", 1290, &why));
}

// Memory stays bounded, and forgetting never re-opens a replay: once the
// oldest entries are forgotten, their timestamps are refused.
TEST(ReplayGuardTest, BoundedMemoryNeverReopensAReplay) {
  ReplayGuard guard(/*max_remembered=*/3);
  std::string why;
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(guard.AcceptSigned(1000 + i, "s" + std::to_string(i), 1010, &why));
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(guard.AcceptSigned(1000 + i, "s" + std::to_string(i), 1010, &why)) << i;
  EXPECT_FALSE(guard.AcceptSigned(1001, "new", 1010, &why));  // forgotten second: refused
  EXPECT_TRUE(guard.AcceptSigned(1005, "new", 1010, &why));

  for (int i = 0; i < 4; ++i) EXPECT_TRUE(guard.AcceptDelivery("d" + std::to_string(i), &why));
  EXPECT_FALSE(guard.AcceptDelivery("d3", &why));
  EXPECT_TRUE(guard.AcceptDelivery("d0", &why));  // forgotten: GitHub's form carries no time
  EXPECT_FALSE(guard.AcceptDelivery(std::string(200, 'x'), &why));
}

}  // namespace
}  // namespace kiln::test
