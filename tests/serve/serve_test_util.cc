#include "serve_test_util.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <regex>
#include <sstream>

#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>

#include "store/comment_store.h"
#include "store/database.h"

extern char** environ;

namespace kiln::test {
namespace {

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_ALL); }
};
CurlGlobal curl_global;

size_t AppendBody(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t AppendHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  size_t colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    value.erase(value.find_last_not_of(" \t\r\n") + 1);
    (*static_cast<std::map<std::string, std::string>*>(out))[name] = value;
  }
  return size * n;
}

HttpResult Perform(CURL* curl, const std::vector<std::string>& headers) {
  HttpResult result;
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &result.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, AppendHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &result.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  CURLcode code = curl_easy_perform(curl);
  result.ok = code == CURLE_OK;
  if (!result.ok) result.error = curl_easy_strerror(code);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &result.status);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  return result;
}

CURL* NewCurl(const std::string& url) {
  CURL* curl = curl_easy_init();
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);
  return curl;
}

void RunOrFail(const std::string& command) {
  int rc = std::system(command.c_str());
  ASSERT_EQ(rc, 0) << command;
}

}  // namespace

// ---- TestSite ---------------------------------------------------------------

TestSite::TestSite(const SiteSettings& settings) {
  char tmpl[] = "/tmp/kiln-serve-test-XXXXXX";
  root_ = fs::path(mkdtemp(tmpl)) / "blog";
  RunOrFail(std::string("'") + KILN_BINARY + "' init '" + root_.string() + "' >/dev/null 2>&1");
  WriteConfig(settings);
  WritePost("first", "First post", "The first post.\n");
  WritePost("second", "Second post", "The second post.\n");
  WritePost("hidden-draft", "A draft", "Not published.\n", /*draft=*/true);
}

TestSite::~TestSite() {
  std::error_code ec;
  fs::remove_all(root_.parent_path(), ec);
}

void TestSite::WriteConfig(const SiteSettings& s) {
  WriteFile("kiln.toml", "title = \"Test blog\"\nbase_url = \"http://127.0.0.1:8080/\"\n"
                         "[comments]\nmoderation = \"" + s.moderation + "\"\nmax_length = " +
                             std::to_string(s.max_length) + "\nrate_limit_per_minute = " +
                             std::to_string(s.rate_limit_per_minute) + "\n" +
                             (s.server_toml.empty() ? "" : "[server]\n" + s.server_toml + "\n") + s.extra_toml);
}

void TestSite::WritePost(const std::string& slug, const std::string& title,
                         const std::string& body, bool draft) {
  WriteFile("content/posts/" + slug + ".md",
            "---\ntitle: \"" + title + "\"\ndate: 2026-01-0" + std::to_string(slug.size() % 9 + 1) +
                "\nsummary: \"About " + title + "\"\n" + (draft ? "draft: true\n" : "") +
                "---\n\n" + body);
}

void TestSite::WriteFile(const std::string& relative, const std::string& content) {
  fs::path path = root_ / relative;
  fs::create_directories(path.parent_path());
  // Temp file then rename, as editors do: the watcher must see one change.
  fs::path tmp = path.string() + ".tmp-test";
  std::ofstream(tmp, std::ios::binary) << content;
  fs::rename(tmp, path);
}

std::string TestSite::ReadFile(const std::string& relative) const {
  std::ifstream in(root_ / relative, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int TestSite::CountComments(const std::string& post) const {
  std::unique_ptr<SQLite::Database> db;
  if (!OpenDatabase(root_ / "kiln.db", &db).ok()) return -1;
  std::vector<Comment> comments;
  if (!CommentStore(db.get()).List(post, "", &comments).ok()) return -1;
  return static_cast<int>(comments.size());
}

// ---- ServerProcess ----------------------------------------------------------

ServerProcess::ServerProcess(const fs::path& root, std::vector<std::string> args,
                             std::vector<std::string> env, bool port_zero) {
  std::vector<std::string> argv = {KILN_BINARY, "serve", "--site", root.string()};
  bool has_port = false;
  for (const std::string& a : args) has_port |= a == "--port";
  if (!has_port && port_zero) {
    argv.push_back("--port");
    argv.push_back("0");
  }
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> envs;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "KILN_WEBHOOK_SECRET=", 20) != 0 && std::strncmp(*e, "KILN_STATS_TOKEN=", 17) != 0) {
      envs.emplace_back(*e);
    }
  }
  envs.insert(envs.end(), env.begin(), env.end());
  std::vector<char*> cargv, cenv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  for (auto& e : envs) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY);
    dup2(devnull, STDOUT_FILENO);
    // The test binary may block signals; the server must start clean.
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    execve(cargv[0], cargv.data(), cenv.data());
    _exit(127);
  }
  close(fds[1]);
  stderr_fd_ = fds[0];
  reader_ = std::thread([this] {
    char buf[4096];
    for (;;) {
      ssize_t n = read(stderr_fd_, buf, sizeof buf);
      if (n <= 0) break;
      std::lock_guard lock(mutex_);
      stderr_.append(buf, static_cast<size_t>(n));
    }
  });
}

ServerProcess::~ServerProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    WaitExit(std::chrono::seconds(10));
  }
  if (reader_.joinable()) reader_.join();
  if (stderr_fd_ >= 0) close(stderr_fd_);
}

bool ServerProcess::WaitStderr(const std::string& text, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Stderr().find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

bool ServerProcess::WaitServing(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  static const std::regex kServing(R"(kiln: serving http://[^ ]*:(\d+)/)");
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch match;
    std::string text = Stderr();
    if (std::regex_search(text, match, kServing)) {
      port_ = std::stoi(match[1]);
      return true;
    }
    if (WaitExit(std::chrono::milliseconds(0)) != -1) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

std::string ServerProcess::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string ServerProcess::Stderr() const {
  std::lock_guard lock(mutex_);
  return stderr_;
}

void ServerProcess::Signal(int sig) const {
  if (pid_ > 0 && !exited_) kill(pid_, sig);
}

int ServerProcess::WaitExit(std::chrono::milliseconds timeout) {
  if (exited_) return exit_status_;
  if (pid_ <= 0) return -1;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_status_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  } while (std::chrono::steady_clock::now() < deadline);
  return -1;
}

// ---- HTTP clients -----------------------------------------------------------

std::string HttpResult::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResult HttpGet(const std::string& url, const std::vector<std::string>& headers) {
  return Perform(NewCurl(url), headers);
}

HttpResult HttpHead(const std::string& url, const std::vector<std::string>& headers) {
  CURL* curl = NewCurl(url);
  curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  return Perform(curl, headers);
}

HttpResult HttpRequest(const std::string& method, const std::string& url,
                       const std::vector<std::string>& headers) {
  CURL* curl = NewCurl(url);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  return Perform(curl, headers);
}

HttpResult HttpPost(const std::string& url, const std::string& content_type,
                    const std::string& body, const std::vector<std::string>& headers) {
  CURL* curl = NewCurl(url);
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  std::vector<std::string> all = headers;
  all.push_back("Content-Type: " + content_type);
  return Perform(curl, all);
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  CURL* curl = curl_easy_init();
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    char* n = curl_easy_escape(curl, name.data(), static_cast<int>(name.size()));
    char* v = curl_easy_escape(curl, value.data(), static_cast<int>(value.size()));
    out += std::string(n) + "=" + v;
    curl_free(n);
    curl_free(v);
  }
  curl_easy_cleanup(curl);
  return out;
}

int64_t ServerProcess::RssBytes() const {
  std::ifstream status("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoll(line.substr(6)) * 1024;
  }
  return -1;
}

int ConnectLoopback(int port, const char* source) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source, &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<uint16_t>(port));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
      connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

bool SendAll(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadUntilClose(int fd, std::chrono::milliseconds timeout, int* error, size_t limit) {
  std::string out;
  if (error) *error = 0;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[65536];
  while (out.size() < limit) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    ssize_t n = recv(fd, buf, std::min(sizeof buf, limit - out.size()), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && error) *error = errno;
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

std::string RawExchange(int port, const std::string& bytes) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string out;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    shutdown(fd, SHUT_WR);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    char buf[8192];
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
  }
  close(fd);
  return out;
}

}  // namespace kiln::test
