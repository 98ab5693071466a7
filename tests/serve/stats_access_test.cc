// Issue 9: kiln serve's figures are off the public site: with [stats]
// enabled they are open to the allowed addresses (loopback by default) or
// a bearer token, and a request forwarded by a proxy is not loopback.
#include "serve/stats_access.h"

#include <gtest/gtest.h>

namespace kiln {
namespace {

HttpRequest From(std::string addr, std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpRequest r;
  r.method = "GET";
  r.target = "/metrics";
  r.client_addr = std::move(addr);
  r.headers = std::move(headers);
  return r;
}

const StatsAccess kLoopback({"127.0.0.1", "::1"}, "");

TEST(StatsAccess, LoopbackIsAllowedByDefault) {
  EXPECT_TRUE(kLoopback.Allows(From("127.0.0.1")));
  EXPECT_TRUE(kLoopback.Allows(From("::1")));
  EXPECT_TRUE(kLoopback.Allows(From("::ffff:127.0.0.1")));  // a dual-stack listener's view
}

TEST(StatsAccess, OtherAddressesAreRefused) {
  EXPECT_FALSE(kLoopback.Allows(From("127.0.0.2")));
  EXPECT_FALSE(kLoopback.Allows(From("203.0.113.9")));
  EXPECT_FALSE(kLoopback.Allows(From("::ffff:203.0.113.9")));
}

// Behind Varnish or nginx on the same machine every reader comes from
// 127.0.0.1; the proxy's headers tell them apart.
TEST(StatsAccess, ForwardedRequestsAreNotLoopback) {
  EXPECT_FALSE(kLoopback.Allows(From("127.0.0.1", {{"x-forwarded-for", "203.0.113.9"}})));
  EXPECT_FALSE(kLoopback.Allows(From("127.0.0.1", {{"forwarded", "for=203.0.113.9"}})));
  EXPECT_FALSE(kLoopback.Allows(From("127.0.0.1", {{"via", "1.1 varnish"}})));
}

TEST(StatsAccess, AllowListReplacesLoopback) {
  StatsAccess access({"10.0.0.7"}, "");
  EXPECT_TRUE(access.Allows(From("10.0.0.7")));
  EXPECT_FALSE(access.Allows(From("127.0.0.1")));
}

TEST(StatsAccess, BearerTokenOpensFromAnywhere) {
  StatsAccess access({"127.0.0.1"}, "s3cret");
  EXPECT_TRUE(access.Allows(From("203.0.113.9", {{"authorization", "Bearer s3cret"}})));
  EXPECT_TRUE(access.Allows(From("127.0.0.1", {{"authorization", "Bearer s3cret"}, {"via", "1.1 x"}})));
  EXPECT_FALSE(access.Allows(From("203.0.113.9", {{"authorization", "Bearer s3cre"}})));
  EXPECT_FALSE(access.Allows(From("203.0.113.9", {{"authorization", "Basic s3cret"}})));
  // Without a token configured, no bearer value opens anything.
  EXPECT_FALSE(kLoopback.Allows(From("203.0.113.9", {{"authorization", "Bearer "}})));
}

}  // namespace
}  // namespace kiln
