// kiln behind a real nginx as a caching proxy (issue 9; docs/deploy.md,
// "kiln behind nginx"): Debian's nginx with the repository's
// deploy/nginx/kiln.conf and ngx_cache_purge, in front of the real
// `kiln serve` on loopback, as the Varnish test does for the VCL. nginx runs
// as a child of the test with its own prefix, configuration and cache in a
// temp folder (no system service). Skipped only when nginx or the purge
// module is not installed (scripts/install-deps.sh installs both).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <ctime>
#include <fstream>
#include <sstream>

#include "edge/fake_cache.h"
#include "serve/serve_test_util.h"
#include "serve/webhook.h"

namespace kiln::test {
namespace {

constexpr char kHost[] = "blog.test";  // base_url's host: selects the server block
constexpr char kNginx[] = "/usr/sbin/nginx";
constexpr char kPurgeModule[] = "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so";
constexpr char kNginxSecret[] = "nginx-test-secret";

std::string ReadText(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Replaces every `from` in `text`; false when there is none.
bool ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  size_t at = text->find(from);
  if (at == std::string::npos) return false;
  for (; at != std::string::npos; at = text->find(from, at + to.size())) text->replace(at, from.size(), to);
  return true;
}

// nginx in the foreground, one process (master_process off, so it runs as
// the test's user and needs no system folders), stopped by its PID.
class NginxProcess {
 public:
  NginxProcess(int port, int backend_port) : port_(port) {
    char tmpl[] = "/tmp/kiln-nginx-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::string site = ReadText(std::string(KILN_SOURCE_DIR) + "/deploy/nginx/kiln.conf");
    config_ok_ = ReplaceAll(&site, "listen 80;", "listen 127.0.0.1:" + std::to_string(port) + ";") &&
                 ReplaceAll(&site, "127.0.0.1:8080", "127.0.0.1:" + std::to_string(backend_port)) &&
                 ReplaceAll(&site, "/var/cache/nginx/blog", dir_ + "/cache") &&
                 ReplaceAll(&site, "server_name blog.example;", std::string("server_name ") + kHost + ";");
    if (!config_ok_) return;
    std::ofstream(dir_ + "/blog.conf") << site;
    std::ofstream(dir_ + "/nginx.conf")
        << "daemon off;\nmaster_process off;\npid " << dir_ << "/nginx.pid;\nerror_log " << dir_
        << "/error.log;\nload_module " << kPurgeModule << ";\nevents { worker_connections 256; }\n"
        << "http {\n  access_log off;\n"
        << "  client_body_temp_path " << dir_ << "/body;\n  proxy_temp_path " << dir_ << "/proxy;\n"
        << "  fastcgi_temp_path " << dir_ << "/fastcgi;\n  uwsgi_temp_path " << dir_ << "/uwsgi;\n"
        << "  scgi_temp_path " << dir_ << "/scgi;\n  include " << dir_ << "/blog.conf;\n}\n";
    std::vector<std::string> args = {kNginx, "-p", dir_, "-c", dir_ + "/nginx.conf", "-e", dir_ + "/error.log"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      execv(argv[0], argv.data());
      _exit(127);
    }
  }

  ~NginxProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      if (!Reaped(std::chrono::seconds(10))) {
        kill(pid_, SIGKILL);
        Reaped(std::chrono::seconds(10));
      }
    }
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  bool config_ok() const { return config_ok_; }

  // Waits until nginx answers through to kiln.
  bool WaitReady() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Reaped(std::chrono::milliseconds(0))) return false;
      if (HttpGet(Url("/robots-probe-not-there"), {std::string("Host: ") + kHost}).ok) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string Url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  std::string Log() const { return ReadText(dir_ + "/error.log"); }

 private:
  bool Reaped(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      int status;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }

  std::string dir_;
  bool config_ok_ = false;
  int port_ = 0;
  int pid_ = -1;
};

class NginxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kNginx, X_OK) != 0 || access(kPurgeModule, R_OK) != 0) {
      GTEST_SKIP() << "nginx or its cache purge module is not installed (scripts/install-deps.sh installs "
                      "nginx-light and libnginx-mod-http-cache-purge)";
    }
  }

  // kiln serve purging nginx, as docs/deploy.md sets it up, and nginx in front.
  void Start(const std::string& extra_toml = "") {
    // nginx's port goes in kiln.toml before kiln starts, kiln's in nginx's
    // config before nginx starts: take nginx's port first.
    const int nginx_port = UnusedPort();
    site_.WriteFile("kiln.toml", std::string("title = \"Edge blog\"\nbase_url = \"http://") + kHost +
                                     "/\"\n[comments]\nrate_limit_per_minute = 0\n[edge]\npurge = "
                                     "[\"http://127.0.0.1:" + std::to_string(nginx_port) +
                                     "\"]\ntimeout_ms = 2000\n" + extra_toml);
    server_ = std::make_unique<ServerProcess>(site_.root(), std::vector<std::string>{},
                                              std::vector<std::string>{std::string("KILN_WEBHOOK_SECRET=") + kNginxSecret});
    ASSERT_TRUE(server_->WaitServing()) << server_->Stderr();
    nginx_ = std::make_unique<NginxProcess>(nginx_port, server_->port());
    ASSERT_TRUE(nginx_->config_ok()) << "deploy/nginx/kiln.conf lost a line the test replaces";
    ASSERT_TRUE(nginx_->WaitReady()) << nginx_->Log();
  }

  HttpResult Get(const std::string& path) { return HttpGet(nginx_->Url(path), {std::string("Host: ") + kHost}); }

  // GETs `path` until nginx serves it from its cache; its body.
  std::string Warm(const std::string& path) {
    EXPECT_EQ(Get(path).status, 200) << path;
    HttpResult second = Get(path);
    EXPECT_EQ(second.Header("x-cache"), "HIT") << path << "\n" << nginx_->Log();
    return second.body;
  }

  HttpResult SignedRebuild() {
    const std::string body = "{\"call\":" + std::to_string(++rebuild_calls_) + "}";
    const std::string stamp = std::to_string(std::time(nullptr));
    return HttpPost(server_->Url("/api/rebuild"), "application/json", body,
                    {"X-Kiln-Timestamp: " + stamp,
                     "X-Kiln-Signature: sha256=" + HmacSha256Hex(kNginxSecret, stamp + "." + body)});
  }
  int rebuild_calls_ = 0;

  TestSite site_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<NginxProcess> nginx_;
};

TEST_F(NginxTest, APageFetchedTwiceIsAHitTheSecondTime) {
  Start();
  HttpResult first = Get("/posts/first/");
  ASSERT_EQ(first.status, 200) << nginx_->Log();
  EXPECT_EQ(first.Header("x-cache"), "MISS");
  HttpResult second = Get("/posts/first/");
  EXPECT_EQ(second.Header("x-cache"), "HIT");
  EXPECT_EQ(second.body, first.body);
  // The map makes /x/index.html the same cache entry as /x/.
  EXPECT_EQ(Get("/posts/first/index.html").Header("x-cache"), "HIT");
}

// kiln purges the pages a comment changed through ngx_cache_purge before
// it answers: the next GET through nginx is a MISS with the comment, and a
// page the comment did not touch is still a HIT.
TEST_F(NginxTest, ACommentPostedThroughNginxIsOnTheNextGet) {
  Start();
  Warm("/posts/first/");
  const std::string second = Warm("/posts/second/");
  const size_t log_from = server_->Stderr().size();
  HttpResult posted = HttpPost(nginx_->Url("/api/comments"), "application/x-www-form-urlencoded",
                               FormEncode({{"post", "first"}, {"author", "Ann"}, {"body", "Seen through nginx"}}),
                               {std::string("Host: ") + kHost});
  ASSERT_EQ(posted.status, 303) << posted.error << posted.body << nginx_->Log() << server_->Stderr();
  HttpResult next = Get("/posts/first/");
  EXPECT_EQ(next.Header("x-cache"), "MISS");
  EXPECT_NE(next.body.find("Seen through nginx"), std::string::npos);
  EXPECT_EQ(Get("/posts/first/").Header("x-cache"), "HIT");
  HttpResult untouched = Get("/posts/second/");
  EXPECT_EQ(untouched.Header("x-cache"), "HIT");
  EXPECT_EQ(untouched.body, second);
  const std::string log = server_->Stderr().substr(log_from);
  EXPECT_NE(log.find("kiln: purge: "), std::string::npos) << log;
  EXPECT_EQ(log.find("purge failed"), std::string::npos) << log;
}

// A comment written with plain SQL and picked up by a build is purged the
// same way.
TEST_F(NginxTest, APlainSqlCommentIsPurgedByTheNextBuild) {
  Start();
  Warm("/posts/second/");
  {
    SQLite::Database db((site_.root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO comments(post, author, body) VALUES ('second', 'Bob', 'Written with plain SQL')");
  }
  ASSERT_EQ(SignedRebuild().status, 200);
  HttpResult next = Get("/posts/second/");
  EXPECT_NE(next.body.find("Written with plain SQL"), std::string::npos)
      << next.error << next.Header("x-cache") << nginx_->Log() << server_->Stderr();
}

// docs/deploy.md: nginx sets X-Forwarded-For in both locations, so kiln's
// figures are refused to readers coming through it.
TEST_F(NginxTest, KilnsFiguresAreRefusedThroughNginx) {
  Start("[stats]\nenabled = true\n");
  for (const char* path : {"/metrics", "/api/stats", "/_kiln/stats"}) {
    EXPECT_EQ(Get(path).status, 403) << path;
    EXPECT_EQ(HttpGet(server_->Url(path)).status, 200) << path;
  }
}

}  // namespace
}  // namespace kiln::test
