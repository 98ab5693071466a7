// Answers sent before a request's body is read (issue 7, items 2 and 6), on
// the real `kiln serve` over loopback: the client must read them whole (the
// server drains the body it refused instead of resetting the connection,
// nginx's lingering close), and a body over its route's limit is refused
// from the header, before it is read or held in memory.
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "serve_test_util.h"

namespace kiln::test {
namespace {

const std::string kJsonHeader =
    "POST /api/comments HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

// What Python's http.client does, and what failed 190 times in 200: send
// the whole request, then read the answer.
std::string SendThenRead(int port, const std::string& request, bool* sent) {
  int fd = ConnectLoopback(port);
  if (fd < 0) return "";
  *sent = SendAll(fd, request);
  int error = 0;
  std::string answer = ReadUntilClose(fd, std::chrono::seconds(10), &error);
  if (error != 0) answer += "\n<read error " + std::to_string(error) + ">";
  close(fd);
  return answer;
}

TEST(EarlyAnswerTest, A413ForALargeCommentIsReadEveryTime) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  const std::string body(2 << 20, 'x');  // 2 MB, as in the issue
  const std::string request =
      kJsonHeader + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  int readable = 0;
  for (int i = 0; i < 50; ++i) {
    bool sent = false;
    std::string answer = SendThenRead(server.port(), request, &sent);
    EXPECT_TRUE(sent) << "try " << i << ": the server reset before the body was sent";
    bool ok = answer.rfind("HTTP/1.1 413 ", 0) == 0 &&
              answer.find("\"error\":\"the request is too large") != std::string::npos &&
              answer.find("<read error") == std::string::npos;
    EXPECT_TRUE(ok) << "try " << i << ": " << answer.substr(0, 300);
    readable += ok;
  }
  EXPECT_EQ(readable, 50);
}

// The same for a 400 decided from the header while a body follows.
TEST(EarlyAnswerTest, A400ForBadFramingIsReadEveryTime) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  const std::string request =
      kJsonHeader + "Transfer-Encoding: gzip\r\n\r\n" + std::string(2 << 20, 'x');
  for (int i = 0; i < 10; ++i) {
    bool sent = false;
    std::string answer = SendThenRead(server.port(), request, &sent);
    EXPECT_TRUE(sent) << "try " << i;
    EXPECT_EQ(answer.rfind("HTTP/1.1 400 ", 0), 0u) << "try " << i << ": " << answer.substr(0, 300);
    EXPECT_NE(answer.find("Transfer-Encoding must end in chunked"), std::string::npos) << answer;
  }
}

// Item 6: the comment API's limit (16 KiB + 12 x max_length, docs/server.md)
// is checked against Content-Length before any body is read: the answer
// comes while the client has sent only the header. The server used to wait
// for (and buffer) up to 1 MiB first.
TEST(EarlyAnswerTest, ACommentOverItsLimitIsRefusedFromItsHeader) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  int fd = ConnectLoopback(server.port());
  ASSERT_GE(fd, 0);
  const size_t limit = 16 * 1024 + 12 * 10000;
  ASSERT_TRUE(SendAll(fd, kJsonHeader + "Content-Length: " + std::to_string(limit + 1) +
                              "\r\n\r\n"));
  std::string answer = ReadUntilClose(fd, std::chrono::seconds(3));
  close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413 ", 0), 0u) << answer;
  EXPECT_NE(answer.find("at most " + std::to_string(limit) + " bytes"), std::string::npos)
      << answer;
  // At the limit, the body is read and the comment API answers.
  std::string at_limit = RawExchange(
      server.port(), kJsonHeader + "Content-Length: " + std::to_string(limit) + "\r\n\r\n" +
                         std::string(limit, ' '));
  EXPECT_EQ(at_limit.rfind("HTTP/1.1 400 ", 0), 0u) << at_limit.substr(0, 300);  // not JSON
}

// Item 6: bodies held by clients that never finish them cost the server
// little: 40 connections each sending 900 KB of a declared 1,000,000-byte
// comment used to grow its memory by about 36 MB.
TEST(EarlyAnswerTest, UnfinishedLargeBodiesAreNotHeldInMemory) {
  TestSite site;
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  int64_t before = server.RssBytes();
  ASSERT_GT(before, 0);
  const std::string header = kJsonHeader + "Content-Length: 1000000\r\n\r\n";
  const std::string part(900 * 1000, 'x');
  std::vector<int> fds;
  for (int i = 0; i < 40; ++i) {
    int fd = ConnectLoopback(server.port());
    ASSERT_GE(fd, 0);
    SendAll(fd, header);
    SendAll(fd, part);  // may fail once the server has answered and drained
    fds.push_back(fd);
  }
  // The bodies may still sit in socket buffers: the largest figure while the
  // server reads them (bounded: 2 s).
  int64_t after = 0;
  for (int i = 0; i < 20; ++i) {
    after = std::max(after, server.RssBytes());
    usleep(100'000);
  }
  for (int fd : fds) close(fd);
  std::printf("[ info ] server RSS %lld KB before, %lld KB with 40 unfinished bodies\n",
              static_cast<long long>(before / 1024), static_cast<long long>(after / 1024));
  EXPECT_LT(after - before, 8 << 20);
}

}  // namespace
}  // namespace kiln::test
