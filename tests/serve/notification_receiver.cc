#include "serve/notification_receiver.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>

namespace kiln::test {
namespace {

int ListenReceiver(int* port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(*port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  listen(fd, 64);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  *port = ntohs(addr.sin_port);
  return fd;
}

std::string LowerAscii(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// "METHOD TARGET HTTP/1.1\r\nName: value\r\n…" -> the request's fields.
ReceivedRequest ParseHead(const std::string& head) {
  ReceivedRequest r;
  size_t sp1 = head.find(' '), sp2 = head.find(' ', sp1 + 1);
  r.method = head.substr(0, sp1);
  r.target = head.substr(sp1 + 1, sp2 - sp1 - 1);
  size_t line = head.find("\r\n");
  while (line != std::string::npos && line + 2 < head.size()) {
    size_t end = head.find("\r\n", line + 2);
    std::string field = head.substr(line + 2, end - line - 2);
    size_t colon = field.find(':');
    if (colon != std::string::npos) {
      size_t value = field.find_first_not_of(' ', colon + 1);
      r.headers[LowerAscii(field.substr(0, colon))] = value == std::string::npos ? "" : field.substr(value);
    }
    line = end;
  }
  return r;
}

}  // namespace

NotificationReceiver::NotificationReceiver(int port, int fail_first) : fail_first_(fail_first), port_(port) {
  listen_fd_ = ListenReceiver(&port_);
  if (listen_fd_ < 0) std::abort();  // the port was taken: the test cannot go on
  acceptor_ = std::thread([this] { Accept(); });
}

NotificationReceiver::~NotificationReceiver() {
  stopping_ = true;
  changed_.notify_all();
  acceptor_.join();
  for (auto& t : threads_) t.join();
  close(listen_fd_);
}

void NotificationReceiver::Hold() {
  std::lock_guard lock(mutex_);
  held_ = true;
}

void NotificationReceiver::Release() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  changed_.notify_all();
}

std::vector<ReceivedRequest> NotificationReceiver::received() const {
  std::lock_guard lock(mutex_);
  return received_;
}

size_t NotificationReceiver::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

bool NotificationReceiver::WaitForRequests(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return received_.size() >= n; });
}

bool NotificationReceiver::WaitForDelivered(size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return delivered_ >= n; });
}

void NotificationReceiver::Accept() {
  while (!stopping_) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    threads_.emplace_back([this, fd] { Answer(fd); });
  }
}

// One request per connection: libcurl's easy handle is made per attempt.
void NotificationReceiver::Answer(int fd) {
  std::string data;
  char buf[4096];
  size_t head_end = std::string::npos, want = 0;
  ReceivedRequest request;
  while (!stopping_) {
    if (head_end == std::string::npos && (head_end = data.find("\r\n\r\n")) != std::string::npos) {
      request = ParseHead(data.substr(0, head_end));
      auto length = request.headers.find("content-length");
      want = head_end + 4 + (length == request.headers.end() ? 0 : std::stoul(length->second));
    }
    if (head_end != std::string::npos && data.size() >= want) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<size_t>(n));
  }
  if (head_end == std::string::npos || data.size() < want) {
    close(fd);
    return;
  }
  request.body = data.substr(head_end + 4, want - head_end - 4);
  int status;
  {
    std::unique_lock lock(mutex_);
    received_.push_back(request);
    changed_.notify_all();
    changed_.wait(lock, [this] { return !held_ || stopping_; });
    status = answered_++ < fail_first_ ? 500 : 200;
  }
  std::string answer = "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
  close(fd);
  if (status == 200) {
    std::lock_guard lock(mutex_);
    ++delivered_;
    changed_.notify_all();
  }
}

}  // namespace kiln::test
