// The lifecycle of the real `kiln serve` (issue 3, "Lifecycle"): the busy
// port, [server] settings, SIGINT/SIGTERM with exit 0 and nothing lost, and
// idle connections that neither starve clients nor block shutdown.
#include "serve/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <memory>
#include <thread>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_test_util.h"
#include "store/comment_store.h"
#include "store/database.h"

namespace kiln::test {
namespace {

// A listening loopback socket on a free port; closed on destruction.
struct Listener {
  Listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    listen(fd, 16);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~Listener() { close(fd); }
  int fd, port;
};

// From `source`: each client address may hold 64 connections (issue 7).
int ConnectIdle(int port, const char* source = "127.0.0.1") {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  return fd;
}

TEST(ServerLifecycleTest, BusyPortIsAClearErrorAndNonZeroExit) {
  TestSite site;
  Listener busy;
  ServerProcess server(site.root(), {"--port", std::to_string(busy.port)});
  int code = server.WaitExit(std::chrono::seconds(30));
  EXPECT_NE(code, 0);
  EXPECT_NE(code, -1) << "still running";
  std::string err = server.Stderr();
  EXPECT_NE(err.find("cannot listen on 127.0.0.1:" + std::to_string(busy.port)), std::string::npos)
      << err;
  EXPECT_NE(err.find("Address already in use"), std::string::npos) << err;
}

TEST(ServerLifecycleTest, HostAndPortComeFromServerSection) {
  TestSite site;
  int port;
  {
    Listener probe;  // a port that was free a moment ago
    port = probe.port;
  }
  site.WriteFile("kiln.toml", "title = \"T\"\n[server]\nhost = \"127.0.0.1\"\nport = " +
                                  std::to_string(port) + "\n");
  ServerProcess server(site.root(), {}, {}, /*port_zero=*/false);
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  EXPECT_EQ(server.port(), port);
  EXPECT_EQ(HttpGet(server.Url("/")).status, 200);
}

TEST(ServerLifecycleTest, SigtermAndSigintExitZero) {
  for (int sig : {SIGTERM, SIGINT}) {
    TestSite site;
    ServerProcess server(site.root());
    ASSERT_TRUE(server.WaitServing()) << server.Stderr();
    EXPECT_EQ(HttpGet(server.Url("/")).status, 200);
    server.Signal(sig);
    EXPECT_EQ(server.WaitExit(std::chrono::seconds(20)), 0) << server.Stderr();
    EXPECT_NE(server.Stderr().find("kiln: stopped"), std::string::npos);
  }
}

// Issue 3: "Many idle keep-alive connections and open live-reload streams
// must not starve new clients", nor keep SIGTERM from ending the server.
TEST(ServerLifecycleTest, IdleConnectionsAndStreamsNeitherStarveNorBlockShutdown) {
  TestSite site;
  ServerProcess server(site.root(), {"--watch"});
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  std::vector<int> fds;
  // 50 each from four addresses, the streams from a fifth.
  const char* sources[] = {"127.0.0.10", "127.0.0.11", "127.0.0.12", "127.0.0.13"};
  for (int i = 0; i < 200; ++i) fds.push_back(ConnectIdle(server.port(), sources[i % 4]));
  const std::string sse = "GET /_kiln/live-reload HTTP/1.1\r\nHost: x\r\n\r\n";
  for (int i = 0; i < 32; ++i) {
    int fd = ConnectIdle(server.port(), "127.0.0.20");
    send(fd, sse.data(), sse.size(), MSG_NOSIGNAL);
    fds.push_back(fd);
  }
  auto start = std::chrono::steady_clock::now();
  HttpResult r = HttpGet(server.Url("/"));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.status, 200);
  EXPECT_LT(elapsed, std::chrono::milliseconds(500));
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitExit(std::chrono::seconds(10)), 0) << server.Stderr();
  for (int fd : fds) close(fd);
}

// Issue 3: "a SIGTERM during that load loses nothing that was answered 2xx".
TEST(ServerLifecycleTest, SigtermDuringCommentLoadLosesNothingAnswered) {
  TestSite site;
  auto server = std::make_unique<ServerProcess>(site.root());
  ASSERT_TRUE(server->WaitServing()) << server->Stderr();
  std::string url = server->Url("/api/comments");
  std::atomic<int> answered = 0;
  std::mutex mutex;
  std::vector<std::string> accepted;  // bodies answered 201
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::string body = "term-" + std::to_string(t) + "-" + std::to_string(i) + "-end";
        HttpResult r = HttpPost(url, "application/json",
                                nlohmann::json{{"post", i % 2 ? "first" : "second"},
                                               {"author", "T"}, {"body", body}}.dump());
        if (!r.ok) break;  // the server is gone
        if (r.status == 201) {
          std::lock_guard lock(mutex);
          accepted.push_back(body);
          ++answered;
        }
      }
    });
  }
  for (int i = 0; i < 1000 && answered < 60; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  server->Signal(SIGTERM);
  int code = server->WaitExit(std::chrono::seconds(30));
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(code, 0) << server->Stderr();
  ASSERT_GE(accepted.size(), 60u);

  std::unique_ptr<SQLite::Database> db;
  ASSERT_TRUE(OpenDatabase(site.root() / "kiln.db", &db).ok());
  std::vector<Comment> stored;
  ASSERT_TRUE(CommentStore(db.get()).List("", "", &stored).ok());
  std::set<std::string> bodies;
  for (const Comment& c : stored) bodies.insert(c.body);
  std::string pages = site.ReadFile("site/posts/first/index.html") +
                      site.ReadFile("site/posts/second/index.html");
  for (const std::string& body : accepted) {
    EXPECT_TRUE(bodies.count(body)) << body << " answered 201 but not stored";
    EXPECT_NE(pages.find(body), std::string::npos) << body << " answered 201 but not built";
  }
  std::printf("[ info ] %zu comments answered 201 before/while stopping, %zu stored\n",
              accepted.size(), stored.size());
}

}  // namespace
}  // namespace kiln::test
