// Connections per client address (issue 7, item 6): one address holding
// many idle connections must not starve the others. Over the cap (64 by
// default, `[server] connections_per_address`), a new connection gets a 503
// with Retry-After at once; other addresses keep being served. Loopback
// gives other client addresses for free: 127.0.0.2 is another client.
#include <unistd.h>

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

const std::string kGet = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

std::string GetFrom(int port, const char* source) {
  int fd = ConnectLoopback(port, source);
  if (fd < 0) return "<no connection>";
  SendAll(fd, kGet);
  std::string answer = ReadUntilClose(fd, std::chrono::seconds(3));
  close(fd);
  return answer;
}

// A GET that needs a free connection slot of 127.0.0.1, retried while the
// server has not yet seen a closed connection go (bounded).
std::string GetWhenFree(int port) {
  std::string answer;
  for (int i = 0; i < 100; ++i) {
    answer = GetFrom(port, "127.0.0.1");
    if (answer.rfind("HTTP/1.1 200 ", 0) == 0) break;
    usleep(20'000);
  }
  return answer;
}

void ExpectCapAt(const ServerProcess& server, int cap) {
  std::vector<int> idle;
  for (int i = 0; i < cap; ++i) {
    int fd = ConnectLoopback(server.port());
    ASSERT_GE(fd, 0);
    idle.push_back(fd);
  }
  // The server has accepted them all once this answer (of a connection
  // that counts too, and is closed after) has come.
  auto start = std::chrono::steady_clock::now();
  std::string over = GetFrom(server.port(), "127.0.0.1");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(over.rfind("HTTP/1.1 503 ", 0), 0u) << over;
  EXPECT_NE(over.find("\r\nRetry-After: "), std::string::npos) << over;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
  std::string other = GetFrom(server.port(), "127.0.0.2");
  EXPECT_EQ(other.rfind("HTTP/1.1 200 ", 0), 0u) << other.substr(0, 200);
  close(idle.back());
  idle.pop_back();
  std::string freed = GetWhenFree(server.port());
  EXPECT_EQ(freed.rfind("HTTP/1.1 200 ", 0), 0u) << freed.substr(0, 200);
  for (int fd : idle) close(fd);
}

TEST(ConnectionLimitTest, SixtyFourPerAddressByDefault) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ExpectCapAt(server, 64);
}

TEST(ConnectionLimitTest, CapComesFromServerSection) {
  TestSite site({.server_toml = "connections_per_address = 8"});
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  ExpectCapAt(server, 8);
}

}  // namespace
}  // namespace kiln::test
