// A stand-in for a cache's purge endpoint in the purger tests: an HTTP
// server on a free loopback port that records each request and answers
// with a chosen status after a chosen delay. Failures are injected with it
// (answering 500, answering slowly); UnusedPort() is an endpoint that is
// down. The real cache is tested in varnish_test.cc.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiln::test {

struct SeenRequest {
  std::string method, target, host, xkey_purge;
};

class FakeCache {
 public:
  // Answers `status` to every request; the first `fail_first` requests get
  // 500 instead. Each answer waits `delay` first.
  explicit FakeCache(int status = 200, int fail_first = 0,
                     std::chrono::milliseconds delay = std::chrono::milliseconds(0));
  ~FakeCache();

  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() const;

 private:
  void Accept();
  void Answer(int fd);

  int status_, fail_first_;
  std::chrono::milliseconds delay_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::condition_variable stop_cv_;
  std::vector<SeenRequest> seen_;
  int answered_ = 0;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

// A loopback port nothing listens on (connections are refused).
int UnusedPort();

}  // namespace kiln::test
