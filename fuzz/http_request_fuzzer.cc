// libFuzzer target: the HTTP request path of kiln serve, from raw bytes on a
// connection to the answer: the HTTP layer (serve/http_server.h: framing,
// limits, lingering close), the router, static files, the comment API with
// a real kiln.db, and the rebuild webhook. The builds are faked (each
// succeeds at once): they are not what is fuzzed here, and real ones would
// cost milliseconds per input.
//
// The server runs in this process on a loopback port, on a thread of its
// own, because its connections are coroutines on sockets (http_server.cc):
// there is no socketless entry point to feed. Each input is written on a new
// connection, the writing half is shut, and the answer is read to the end.
//
// Aborts when the server does not answer and close within kAnswerSeconds,
// twice in a row for the same input (a second chance for a machine loaded
// by other builds: see LLVMFuzzerTestOneInput);
// when an answer does not start with a status line, is a 500, or
// holds a control byte other than CR, LF and TAB (issue 7: a NUL or other
// control character from a request is never echoed into a page); when an
// HTML answer holds the markup "<kilnfuzz" unescaped (the seeds put it in
// every field); or when anything of the file beside site/ is served (its
// text in an answer to a request that did not carry it).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include <SQLiteCpp/Database.h>

#include "engine/build.h"
#include "load/config.h"
#include "serve/comment_api.h"
#include "serve/file_cache.h"
#include "serve/http_server.h"
#include "serve/rebuild_coordinator.h"
#include "serve/router.h"
#include "serve/static_files.h"
#include "serve/webhook.h"
#include "store/database.h"

namespace {

namespace fs = std::filesystem;

constexpr int kAnswerSeconds = 4;  // twice is under libFuzzer's -timeout=10 of fuzz/run.sh

// libFuzzer's -timeout=N sets an interval timer that sends SIGALRM every
// N/2+1 s (6 s in fuzz/run.sh) to a handler installed without SA_RESTART,
// and the signal lands on this thread, the one that connects, sends and
// polls. An interrupted call fails with EINTR, which says nothing about
// the server: each one below is retried. Taking a poll's EINTR for a
// timeout was the "stall" seen once in 10,000-50,000 connections, never
// twice for one input; an interrupted connect() aborted the run as "the
// server refused a connection" (issue 7). fuzz/replay_main.cc sends the
// same signal every millisecond, so fuzz_replay.http_request checks this.
constexpr std::string_view kSecret = "KILN-FUZZ-SECRET-3f9a";

[[noreturn]] void Fail(const char* what, std::string_view answer) {
  std::fprintf(stderr, "HTTP REQUEST PATH: %s; the answer began:\n%.*s\n", what,
               static_cast<int>(std::min<size_t>(answer.size(), 600)), answer.data());
  std::abort();
}

void WriteFile(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// Memory-backed when the machine has /dev/shm: the comment API writes to
// kiln.db for thousands of inputs a second, and a disk busy with other
// work once stalled an answer past kAnswerSeconds.
fs::path ScratchParent() {
  std::error_code ec;
  return fs::is_directory("/dev/shm", ec) ? fs::path("/dev/shm") : fs::temp_directory_path();
}

// A site/ of a few pages (one published post takes comments), a secret
// file beside it and a symlink to the folder above, served from a thread.
// Lives until the process exits; the temporary folder is removed then.
class FuzzServer {
 public:
  FuzzServer()
      : root_(ScratchParent() / ("kiln-http-fuzz-" + std::to_string(getpid()))),
        cache_(false),
        files_(root_ / "site", &cache_),
        coordinator_([](const kiln::BuildRequest&, kiln::BuildReport*) { return kiln::Status::Ok(); },
                     [](const kiln::Status&, const kiln::BuildReport&) {}) {
    std::signal(SIGPIPE, SIG_IGN);
    static fs::path removed_at_exit = root_;
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(removed_at_exit, ec);
    });
    WriteFile(root_ / "site" / "index.html", "<!doctype html><title>home</title>");
    WriteFile(root_ / "site" / "posts" / "hello-kiln" / "index.html", "<p>post</p>");
    WriteFile(root_ / "site" / "feed.xml", "<feed/>");
    WriteFile(root_ / "secret.txt", kSecret);
    fs::create_directory_symlink(root_, root_ / "site" / "up");
    if (!kiln::OpenDatabase(root_ / "kiln.db", &db_).ok()) Fail("cannot open kiln.db", "");
    comments_ = std::make_unique<kiln::CommentApi>(
        kiln::CommentsConfig{}, [db = db_.get()] { return static_cast<SQLite::Database*>(db); },
        &coordinator_);
    comments_->SetPublishedPosts({"hello-kiln"});
    webhook_ = std::make_unique<kiln::RebuildWebhook>("fuzz-webhook-secret", &coordinator_);
    router_ = std::make_unique<kiln::Router>(&files_, comments_.get(), webhook_.get(), false);
    kiln::HttpServerOptions options;
    options.port = 0;
    options.timeout_seconds = 2;
    options.idle_timeout_seconds = 2;
    options.max_body_bytes = kiln::Router::kMaxWebhookBodyBytes;
    options.body_limit = [this](const kiln::HttpRequest& r) { return router_->BodyLimit(r); };
    options.body_too_large = [this](const kiln::HttpRequest& r, size_t limit) {
      return router_->BodyTooLarge(r, limit);
    };
    http_ = std::make_unique<kiln::HttpServer>(
        options, [this](kiln::HttpRequest& r) { return router_->Route(r); });
    if (!http_->Listen().ok()) Fail("cannot listen on loopback", "");
    thread_ = std::thread([this] { http_->Run(); });
  }

  // Sends `request` on a new connection, shuts the writing half and reads
  // everything into `answer` until the server closes. False when it did
  // not within kAnswerSeconds (with KILN_FUZZ_STALL_GDB set, the threads'
  // stacks are printed first).
  bool Exchange(std::string_view request, std::string* answer) {
    int fd = Connect();
    // The server may answer and close before reading it all (an early
    // answer): a failed send is not an error.
    for (size_t sent = 0; sent < request.size();) {
      ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
    shutdown(fd, SHUT_WR);
    answer->clear();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kAnswerSeconds);
    char buf[16384];
    for (;;) {
      if (!WaitFor(fd, POLLIN, deadline)) {
        if (std::getenv("KILN_FUZZ_STALL_GDB")) {
          std::fprintf(stderr, "connections open: %zu\n", http_->connection_count());
          std::string cmd = "gdb -p " + std::to_string(getpid()) + " -batch -ex 'thread apply all bt 30' >&2";
          if (std::system(cmd.c_str()) != 0) std::fprintf(stderr, "gdb failed\n");
        }
        close(fd);
        return false;
      }
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;  // closed (or reset after an early answer)
      answer->append(buf, static_cast<size_t>(n));
    }
    close(fd);
    return true;
  }

 private:
  // A connection to the server. A machine short of ephemeral ports (other
  // programs' TIME_WAIT) gets a few bounded retries; a refusal fails.
  int Connect() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(http_->port()));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    for (int attempt = 0;; ++attempt) {
      int fd = socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) Fail("no socket", std::strerror(errno));
      if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) return fd;
      int error = errno;
      // Interrupted, the connection goes on being made: wait for it.
      if (error == EINTR) error = FinishConnect(fd);
      if (error == 0) return fd;
      close(fd);
      if (error != EADDRNOTAVAIL || attempt == 100) Fail("the server refused a connection", std::strerror(error));
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }

  // The error of a connect() that EINTR interrupted, once it is settled
  // (0: connected).
  static int FinishConnect(int fd) {
    if (!WaitFor(fd, POLLOUT, std::chrono::steady_clock::now() + std::chrono::seconds(kAnswerSeconds))) {
      return ETIMEDOUT;
    }
    int error = 0;
    socklen_t length = sizeof error;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0) return errno;
    return error;
  }

  // True once `fd` has one of `events` (or an error or hang-up), false at
  // `deadline`; a poll() that a signal interrupts is made again.
  static bool WaitFor(int fd, short events, std::chrono::steady_clock::time_point deadline) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd p{fd, events, 0};
      int ready = poll(&p, 1, static_cast<int>(left.count()));
      if (ready > 0) return true;
      if (ready == 0 || errno != EINTR) return false;
    }
  }

  fs::path root_;
  std::unique_ptr<SQLite::Database> db_;
  kiln::FileCache cache_;
  kiln::StaticFiles files_;
  kiln::RebuildCoordinator coordinator_;
  std::unique_ptr<kiln::CommentApi> comments_;
  std::unique_ptr<kiln::RebuildWebhook> webhook_;
  std::unique_ptr<kiln::Router> router_;
  std::unique_ptr<kiln::HttpServer> http_;
  std::thread thread_;
};

// The value of header `lower_name` in `head` ("" when absent).
std::string HeaderValue(std::string_view head, std::string_view lower_name) {
  for (size_t pos = head.find("\r\n"); pos != std::string_view::npos; pos = head.find("\r\n", pos)) {
    pos += 2;
    std::string_view line = head.substr(pos, head.find("\r\n", pos) - pos);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string name(line.substr(0, colon));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == lower_name) return std::string(line.substr(colon + 1));
  }
  return {};
}

// "HTTP/1.1 " or "HTTP/1.0 " (the version of the request it answers).
bool StartsWithStatusLine(std::string_view s) {
  return s.size() >= 12 && (s.substr(0, 9) == "HTTP/1.1 " || s.substr(0, 9) == "HTTP/1.0 ");
}

// Checks the bytes of the whole exchange, then each answer in it that can
// be framed by its Content-Length (a HEAD or 304 answer has none to skip:
// the walk stops where the next status line is not found).
void CheckAnswer(std::string_view request, std::string_view answer) {
  if (answer.empty()) return;  // closed without a word: allowed for garbage
  if (!StartsWithStatusLine(answer)) Fail("no status line", answer);
  for (unsigned char c : answer) {
    if (c < 0x20 && c != '\r' && c != '\n' && c != '\t') Fail("a control byte in the answer", answer);
    if (c == 0x7f) Fail("DEL in the answer", answer);
  }
  // A message may quote the request (a Content-Type), and libFuzzer learns
  // the secret from this very comparison: only a secret the request did not
  // carry was read from the file.
  if (answer.find(kSecret) != std::string_view::npos && request.find(kSecret) == std::string_view::npos) {
    Fail("served the file outside site/", answer);
  }
  for (size_t pos = 0; pos < answer.size() && StartsWithStatusLine(answer.substr(pos));) {
    std::string_view rest = answer.substr(pos);
    if (rest.substr(9, 3) == "500") Fail("500 Internal Server Error", rest);
    size_t end = rest.find("\r\n\r\n");
    if (end == std::string_view::npos) Fail("an answer without the end of its header", rest);
    std::string_view head = rest.substr(0, end);
    size_t length = std::strtoul(HeaderValue(head, "content-length").c_str(), nullptr, 10);
    std::string_view body = rest.substr(end + 4, length);
    if (HeaderValue(head, "content-type").find("text/html") != std::string::npos &&
        body.find("<kilnfuzz") != std::string_view::npos) {
      Fail("markup from the request in an HTML answer", rest);
    }
    pos += end + 4 + length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Never destroyed (its threads may still run at exit); its folder is.
  static FuzzServer* server = new FuzzServer();
  std::string_view request(reinterpret_cast<const char*>(data), size);
  std::string answer;
  if (!server->Exchange(request, &answer)) {
    std::fprintf(stderr, "HTTP REQUEST PATH: no answer in %d s; trying the input once more\n", kAnswerSeconds);
    if (!server->Exchange(request, &answer)) Fail("no answer and no close in time, twice", answer);
  }
  CheckAnswer(request, answer);
  return 0;
}
