// The HTTP layer alone (http_server.h), in process with a handler of the
// test's own, for what no kiln route can be made to answer on demand.
#include "serve/http_server.h"

#include <thread>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

// Issue 7 item 7: "a 503 carries Retry-After", whichever handler made it.
TEST(HttpServerTest, Every503CarriesRetryAfter) {
  HttpServerOptions options;
  options.port = 0;
  HttpServer server(options, [](kiln::HttpRequest& request) {
    HandlerResult result;
    result.response = TextResponse(503, "busy");
    if (request.target == "/own") result.response.SetHeader("Retry-After", "7");
    return result;
  });
  ASSERT_TRUE(server.Listen().ok());
  std::thread io([&] { server.Run(); });
  std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  HttpResult given = HttpGet(base + "/");
  HttpResult own = HttpGet(base + "/own");
  server.Stop();
  io.join();
  EXPECT_EQ(given.status, 503);
  EXPECT_EQ(given.Header("retry-after"), "5");
  EXPECT_EQ(own.status, 503);
  EXPECT_EQ(own.Header("retry-after"), "7");  // the handler's own, not a second one
}

}  // namespace
}  // namespace kiln::test
