#include "edge/fake_cache.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>

namespace kiln::test {
namespace {

int ListenLoopback(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  listen(fd, 64);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

std::string HeaderValue(const std::string& head, const std::string& lower_name) {
  std::string lower = head;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t at = lower.find("\r\n" + lower_name + ":");
  if (at == std::string::npos) return "";
  size_t start = head.find_first_not_of(' ', at + 3 + lower_name.size());
  return head.substr(start, head.find("\r\n", start) - start);
}

}  // namespace

FakeCache::FakeCache(int status, int fail_first, std::chrono::milliseconds delay)
    : status_(status), fail_first_(fail_first), delay_(delay) {
  listen_fd_ = ListenLoopback(&port_);
  acceptor_ = std::thread([this] { Accept(); });
}

FakeCache::~FakeCache() {
  stopping_ = true;
  stop_cv_.notify_all();
  acceptor_.join();
  for (auto& t : threads_) t.join();
  close(listen_fd_);
}

std::vector<SeenRequest> FakeCache::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

void FakeCache::Accept() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    threads_.emplace_back([this, fd] { Answer(fd); });
  }
}

// One request per connection ("Connection: close"), which is all the
// purger needs to be tested against.
void FakeCache::Answer(int fd) {
  std::string head;
  char buf[4096];
  while (head.find("\r\n\r\n") == std::string::npos && !stopping_) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    head.append(buf, static_cast<size_t>(n));
  }
  int status;
  {
    std::unique_lock lock(mutex_);
    size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
    if (sp1 != std::string::npos && sp2 != std::string::npos) {
      seen_.push_back({head.substr(0, sp1), head.substr(sp1 + 1, sp2 - sp1 - 1),
                       HeaderValue(head, "host"), HeaderValue(head, "xkey-purge")});
    }
    status = answered_++ < fail_first_ ? 500 : status_;
    stop_cv_.wait_for(lock, delay_, [this] { return stopping_.load(); });
  }
  std::string answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  close(fd);
}

int UnusedPort() {
  int port;
  int fd = ListenLoopback(&port);
  close(fd);
  return port;
}

}  // namespace kiln::test
