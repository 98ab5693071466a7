// Helpers for the kiln serve tests: a throwaway site made by `kiln init`,
// the real `kiln serve` binary started on a free loopback port, and small
// libcurl and raw-socket clients. Everything is bounded in time: a server
// that does not come up or go down in time fails the test, it never hangs.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace kiln::test {

namespace fs = std::filesystem;

// The two request body types the comment API takes.
inline constexpr char kForm[] = "application/x-www-form-urlencoded";
inline constexpr char kJson[] = "application/json";

struct SiteSettings {
  std::string moderation = "auto";
  int max_length = 10000;
  int rate_limit_per_minute = 0;  // off, unless a test is about it
  std::string server_toml;        // lines of the [server] table, if any
  std::string extra_toml;         // appended as it is (a [stats] table, …)
};

// A site from `kiln init` in a fresh temp folder, with kiln.toml rewritten
// from `settings` and two posts of known slugs ("first" and "second") plus a
// draft ("hidden-draft"). Removed on destruction.
class TestSite {
 public:
  explicit TestSite(const SiteSettings& settings = {});
  ~TestSite();
  const fs::path& root() const { return root_; }
  void WriteConfig(const SiteSettings& settings);
  void WritePost(const std::string& slug, const std::string& title, const std::string& body,
                 bool draft = false);
  void WriteFile(const std::string& relative, const std::string& content);
  std::string ReadFile(const std::string& relative) const;
  // Comments stored for `post` (any status), through the store API.
  int CountComments(const std::string& post) const;

 private:
  fs::path root_;
};

// `kiln serve --site ROOT --port 0 ARGS…` as a child process.
class ServerProcess {
 public:
  // `env` entries are "NAME=VALUE"; KILN_WEBHOOK_SECRET and KILN_STATS_TOKEN
  // are removed from the inherited environment unless given here. "--port 0" is added unless
  // `args` has a --port or `port_zero` is false.
  ServerProcess(const fs::path& root, std::vector<std::string> args = {},
                std::vector<std::string> env = {}, bool port_zero = true);
  // SIGKILL if still running.
  ~ServerProcess();

  // Waits (at most `timeout`) for "kiln: serving http://HOST:PORT/".
  bool WaitServing(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  int port() const { return port_; }
  std::string Url(const std::string& path) const;
  std::string Stderr() const;
  // Waits until stderr contains `text`.
  bool WaitStderr(const std::string& text, std::chrono::milliseconds timeout);

  void Signal(int sig) const;
  // The exit status (WEXITSTATUS, or 128+signal), or -1 on timeout.
  int WaitExit(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  bool running() const { return pid_ > 0 && !exited_; }
  int pid() const { return pid_; }
  // The server's resident memory (VmRSS), in bytes; -1 when unreadable.
  int64_t RssBytes() const;

 private:
  int pid_ = -1;
  int stderr_fd_ = -1;
  int port_ = 0;
  bool exited_ = false;
  int exit_status_ = -1;
  mutable std::mutex mutex_;
  std::string stderr_;
  std::thread reader_;
};

struct HttpResult {
  bool ok = false;      // a response arrived (any status)
  std::string error;    // curl's message when !ok
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string Header(const std::string& lower_name) const;
};

HttpResult HttpGet(const std::string& url, const std::vector<std::string>& headers = {});
HttpResult HttpHead(const std::string& url, const std::vector<std::string>& headers = {});
HttpResult HttpPost(const std::string& url, const std::string& content_type,
                    const std::string& body, const std::vector<std::string>& headers = {});
HttpResult HttpRequest(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers = {});

// application/x-www-form-urlencoded of `fields`.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// A blocking TCP connection to 127.0.0.1:port, from `source` (another
// loopback address is another client address), with 10 s send and receive
// timeouts; -1 on failure. The caller closes it.
int ConnectLoopback(int port, const char* source = "127.0.0.1");

// Sends all of `bytes` on `fd`; false when the server reset or closed first.
bool SendAll(int fd, std::string_view bytes);

// Reads from `fd` until the server closes it, an error, `limit` bytes or
// `timeout`. `error` (optional) gets errno of a failed read, else 0.
std::string ReadUntilClose(int fd, std::chrono::milliseconds timeout, int* error = nullptr,
                           size_t limit = SIZE_MAX);

// Sends `bytes` as they are to 127.0.0.1:port and returns everything the
// server sends back until it closes (or 5 s pass).
std::string RawExchange(int port, const std::string& bytes);

}  // namespace kiln::test
