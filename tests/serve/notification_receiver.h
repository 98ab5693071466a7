// kiln's own test server for notifications (issue 9: "libcurl against a
// real local endpoint … failures injected (endpoint down, slow, answering
// 500)"): an HTTP server on loopback that records each request whole and
// answers it with a chosen status. Failures are injected with it: the
// first N requests answered 500, answers held until the test releases
// them (a slow endpoint), or not started yet on a port taken in advance
// (an endpoint that is down and comes back).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiln::test {

struct ReceivedRequest {
  std::string method, target, body;
  std::map<std::string, std::string> headers;  // lower-case names
};

class NotificationReceiver {
 public:
  // Listens on `port` (0: a free one). The first `fail_first` requests are
  // answered 500, the others 200.
  explicit NotificationReceiver(int port = 0, int fail_first = 0);
  ~NotificationReceiver();

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  // While held, requests are read and recorded but not answered.
  void Hold();
  void Release();

  // Requests read so far (answered or not), in arrival order.
  std::vector<ReceivedRequest> received() const;
  // Requests answered 2xx so far.
  size_t delivered() const;
  // Waits until `n` requests were read (true), or `timeout` passed.
  bool WaitForRequests(size_t n, std::chrono::milliseconds timeout) const;
  // Waits until `n` requests were answered 2xx (true), or `timeout` passed.
  bool WaitForDelivered(size_t n, std::chrono::milliseconds timeout) const;

 private:
  void Accept();
  void Answer(int fd);

  int fail_first_;
  int listen_fd_ = -1, port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool held_ = false;
  int answered_ = 0;
  size_t delivered_ = 0;
  std::vector<ReceivedRequest> received_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace kiln::test
