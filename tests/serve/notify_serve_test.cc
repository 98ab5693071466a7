// [notify] in the real `kiln serve` (issue 9, "Notifications"): comments
// POSTed to the server are announced to kiln's own test receiver, with the
// failures the issue names injected; the comment's answer never waits for
// the endpoint, nothing is lost and no build fails.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <thread>

#include "edge/fake_cache.h"
#include "prometheus_text.h"
#include "serve/notification_receiver.h"
#include "serve/webhook.h"
#include "serve_test_util.h"
#include "wait_until.h"

namespace kiln::test {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
constexpr char kServeNotifySecret[] = "serve-notify-secret";

// A site whose comments are held for moderation and announced to `url`.
SiteSettings NotifyTo(const std::string& url, const std::string& more = "") {
  SiteSettings s;
  s.moderation = "manual";
  s.extra_toml = "[notify]\nurl = \"" + url + "\"\nretry_ms = 20\nretries = 50\ntimeout_ms = 5000\n" + more +
                 "[stats]\nenabled = true\n";
  return s;
}

HttpResult PostComment(const ServerProcess& server, const std::string& body) {
  return HttpPost(server.Url("/api/comments"), "application/json",
                  json{{"post", "first"}, {"author", "Ada"}, {"body", body}}.dump());
}

// A held comment is announced, signed with the secret from the environment,
// with the link the build gave its post.
TEST(NotifyServe, HeldCommentIsAnnouncedSigned) {
  NotificationReceiver receiver;
  TestSite site(NotifyTo(receiver.url()));
  ServerProcess server(site.root(), {}, {std::string("KILN_NOTIFY_SECRET=") + kServeNotifySecret});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult answer = PostComment(server, "Please approve me.");
  ASSERT_EQ(answer.status, 201) << answer.body;
  const int64_t id = json::parse(answer.body)["id"];
  ASSERT_TRUE(receiver.WaitForDelivered(1, 20s)) << server.Stderr();
  const ReceivedRequest r = receiver.received().at(0);
  EXPECT_TRUE(VerifySignature(kServeNotifySecret, r.headers.at("x-kiln-timestamp") + "." + r.body,
                              r.headers.at("x-kiln-signature")));
  const json body = json::parse(r.body);
  EXPECT_EQ(body["event"], "comment.pending");
  EXPECT_EQ(body["id"], id);
  EXPECT_EQ(body["status"], "pending");
  EXPECT_EQ(body["excerpt"], "Please approve me.");
  EXPECT_EQ(body["link"], "http://127.0.0.1:8080/posts/first/#comment-" + std::to_string(id));
}

// Without a secret nothing is sent unsigned: the server says so and runs.
TEST(NotifyServe, WithoutASecretNotificationsAreOff) {
  NotificationReceiver receiver;
  TestSite site(NotifyTo(receiver.url()));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  EXPECT_NE(server.Stderr().find("notify: no secret"), std::string::npos) << server.Stderr();
  EXPECT_EQ(PostComment(server, "Unsigned?").status, 201);
}

// A slow endpoint: the comment is answered while the endpoint still holds
// the notification's request unanswered (an ordering, not a time limit).
TEST(NotifyServe, SlowEndpointDoesNotDelayTheAnswer) {
  NotificationReceiver receiver;
  receiver.Hold();
  TestSite site(NotifyTo(receiver.url(), "secret = \"" + std::string(kServeNotifySecret) + "\"\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(PostComment(server, "one").status, 201);
  ASSERT_TRUE(receiver.WaitForRequests(1, 20s));
  // The endpoint has not answered the first; more comments are answered.
  for (const char* body : {"two", "three"}) EXPECT_EQ(PostComment(server, body).status, 201);
  EXPECT_EQ(receiver.delivered(), 0u);
  receiver.Release();
  ASSERT_TRUE(receiver.WaitForDelivered(3, 20s)) << server.Stderr();
}

// Endpoint down, then answering 500, then well: every comment is announced
// once it is back, the failures are logged and counted in /metrics, and
// the server's builds all succeeded.
TEST(NotifyServe, FailuresAreRetriedCountedAndNothingIsLost) {
  const int port = UnusedPort();
  TestSite site(NotifyTo("http://127.0.0.1:" + std::to_string(port) + "/hook",
                         "secret = \"" + std::string(kServeNotifySecret) + "\"\nevents = [\"pending\", \"published\"]\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ASSERT_EQ(PostComment(server, "while down").status, 201);
  ASSERT_TRUE(server.WaitStderr("retrying", 20s)) << server.Stderr();
  NotificationReceiver receiver(port, /*fail_first=*/2);
  ASSERT_TRUE(receiver.WaitForDelivered(1, 20s)) << server.Stderr();
  ASSERT_EQ(PostComment(server, "while up").status, 201);
  ASSERT_TRUE(receiver.WaitForDelivered(2, 20s)) << server.Stderr();

  // The receiver counts a delivery when it answers; the server counts it
  // when it reads that answer, a moment later.
  PrometheusText m;
  ASSERT_TRUE(kiln::testing::WaitUntil(
      [&] {
        HttpResult metrics = HttpGet(server.Url("/metrics"));
        if (metrics.status != 200) return false;
        m = ParsePrometheusText(metrics.body);
        return m.samples["kiln_notifications_sent_total"] >= 2;
      },
      20s));
  EXPECT_EQ(m.samples["kiln_notifications_sent_total"], 2);
  EXPECT_GE(m.samples["kiln_notifications_failed_total"], 3);  // down at least once, then two 500s
  EXPECT_EQ(m.samples["kiln_notifications_dropped_total"], 0);
  EXPECT_EQ(m.samples["kiln_build_failures_total"], 0);
  EXPECT_NE(server.Stderr().find("notify: comment"), std::string::npos);
}

}  // namespace
}  // namespace kiln::test
