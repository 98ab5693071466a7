// kiln behind a real Varnish (SPEC.md, "The edge"; issue 9, "Tested for
// real"): Debian's varnishd with the repository's deploy/varnish/kiln.vcl,
// in front of the real `kiln serve` on loopback. Skipped only when varnishd
// is not installed (scripts/install-deps.sh installs it, so CI runs it).
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <SQLiteCpp/Database.h>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>

#include "edge/fake_cache.h"
#include "serve/serve_test_util.h"
#include "serve/webhook.h"

namespace kiln::test {
namespace {

constexpr char kVarnishHost[] = "blog.test";  // base_url's host: purges and reads carry it
constexpr char kVarnishSecret[] = "edge-test-secret";

std::string FindVarnishd() {
  for (const char* path : {"/usr/sbin/varnishd", "/usr/local/sbin/varnishd"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

// varnishd -F as a child of the test, in a work folder of its own; stopped
// by its PID (SIGTERM, then SIGKILL) on destruction.
class VarnishProcess {
 public:
  // Listens on `port` (taken by the caller with UnusedPort()).
  VarnishProcess(const std::string& varnishd, int port, int backend_port) : port_(port) {
    char tmpl[] = "/tmp/kiln-varnish-XXXXXX";
    dir_ = mkdtemp(tmpl);
    std::ifstream in(std::string(KILN_SOURCE_DIR) + "/deploy/varnish/kiln.vcl");
    std::stringstream vcl;
    vcl << in.rdbuf();
    std::string text = vcl.str();
    const std::string port_line = ".port = \"8080\";";
    size_t at = text.find(port_line);
    if (at == std::string::npos) return;  // vcl_ok_ stays false
    text.replace(at, port_line.size(), ".port = \"" + std::to_string(backend_port) + "\";");
    std::ofstream(dir_ + "/kiln.vcl") << text;
    vcl_ok_ = true;
    std::vector<std::string> args = {varnishd, "-F", "-j", "none", "-n", dir_ + "/work",
                                     "-a", "127.0.0.1:" + std::to_string(port_), "-f", dir_ + "/kiln.vcl",
                                     "-s", "malloc,32m", "-T", "none", "-p", "thread_pools=1",
                                     "-p", "thread_pool_min=5"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string log = dir_ + "/varnishd.log";
    pid_ = fork();
    if (pid_ == 0) {
      FILE* out = std::freopen(log.c_str(), "w", stdout);
      if (out) dup2(fileno(out), STDERR_FILENO);
      execv(argv[0], argv.data());
      _exit(127);
    }
  }

  ~VarnishProcess() {
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

  bool vcl_ok() const { return vcl_ok_; }

  // Waits until Varnish answers through to kiln.
  bool WaitReady() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      if (Reaped(std::chrono::milliseconds(0))) return false;
      if (HttpGet(Url("/robots-probe-not-there"), {"Host: probe"}).ok) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string Log() const {
    std::ifstream in(dir_ + "/varnishd.log");
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

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
  bool vcl_ok_ = false;
  int port_ = 0;
  int pid_ = -1;
};

// A site whose kiln.toml purges `endpoint`, kiln serve, and Varnish in front.
class VarnishTest : public ::testing::Test {
 protected:
  void SetUp() override {
    varnishd_ = FindVarnishd();
    if (varnishd_.empty()) {
      GTEST_SKIP() << "varnishd is not installed (scripts/install-deps.sh installs Debian's varnish)";
    }
  }

  // Starts kiln serve and Varnish; kiln purges Varnish (plus `extra` endpoints).
  // `edge_lines` are added to [edge].
  void Start(const std::string& edge_extra = "", const std::string& edge_lines = "") {
    // Varnish's port must be in kiln.toml before kiln starts, and kiln's in
    // the VCL before Varnish starts: take Varnish's port first.
    int varnish_port = UnusedPort();
    WriteConfig("http://127.0.0.1:" + std::to_string(varnish_port), edge_extra, edge_lines);
    server_ = std::make_unique<ServerProcess>(site_.root(), std::vector<std::string>{},
                                              std::vector<std::string>{std::string("KILN_WEBHOOK_SECRET=") + kVarnishSecret});
    ASSERT_TRUE(server_->WaitServing()) << server_->Stderr();
    // (Another process could take that port meanwhile: varnishd then
    // exits, and WaitReady fails with its log.)
    varnish_ = std::make_unique<VarnishProcess>(varnishd_, varnish_port, server_->port());
    ASSERT_TRUE(varnish_->vcl_ok()) << "deploy/varnish/kiln.vcl has no `.port = \"8080\";` to replace";
    ASSERT_TRUE(varnish_->WaitReady()) << varnish_->Log();
  }

  void WriteConfig(const std::string& varnish, const std::string& extra, const std::string& lines) {
    site_.WriteFile("kiln.toml", std::string("title = \"Edge blog\"\nbase_url = \"http://") + kVarnishHost +
                                     "/\"\n[comments]\nrate_limit_per_minute = 0\n[edge]\npurge = [\"" +
                                     varnish + "\"" + extra + "]\ntimeout_ms = 2000\n" + lines);
  }

  HttpResult Get(const std::string& path) { return HttpGet(varnish_->Url(path), {std::string("Host: ") + kVarnishHost}); }

  // Every page of the site (its URL paths), from site/.
  std::vector<std::string> Pages() {
    std::vector<std::string> pages;
    for (auto& entry : std::filesystem::recursive_directory_iterator(site_.root() / "site")) {
      std::string rel = std::filesystem::relative(entry.path(), site_.root() / "site").string();
      if (!entry.is_regular_file() || !(rel.ends_with(".html") || rel.ends_with(".xml"))) continue;
      if (rel == "404.html") continue;
      if (rel.ends_with("index.html")) rel.resize(rel.size() - 10);
      pages.push_back("/" + rel);
    }
    return pages;
  }

  // Fetches every page until it is a hit; returns path -> body.
  std::map<std::string, std::string> Warm() {
    std::map<std::string, std::string> bodies;
    for (const auto& page : Pages()) {
      HttpResult first = Get(page);
      EXPECT_EQ(first.status, 200) << page;
      HttpResult second = Get(page);
      EXPECT_EQ(second.Header("x-cache"), "HIT") << page;
      bodies[page] = second.body;
    }
    return bodies;
  }

  // SPEC.md, "The edge": after a build, every page the cache serves is the
  // new one (the pages whose bytes changed were purged), and every page whose
  // bytes did not change is still a hit. Returns the pages purged.
  std::vector<std::string> ExpectPurgedExactlyTheChangedPages(const std::map<std::string, std::string>& before) {
    std::vector<std::string> purged;
    for (const auto& [page, old_body] : before) {
      HttpResult direct = HttpGet(server_->Url(page));
      HttpResult through = Get(page);
      EXPECT_EQ(through.body, direct.body) << page << " is stale in Varnish";
      bool changed = direct.body != old_body;
      EXPECT_EQ(through.Header("x-cache"), changed ? "MISS" : "HIT") << page;
      if (changed) purged.push_back(page);
    }
    return purged;
  }

  // kiln's signed form (docs/server.md): a fresh body each call, since the
  // server refuses a signed call it already accepted.
  HttpResult SignedRebuild() {
    const std::string body = "{\"call\":" + std::to_string(++rebuild_calls_) + "}";
    const std::string stamp = std::to_string(std::time(nullptr));
    return HttpPost(server_->Url("/api/rebuild"), "application/json", body,
                    {"X-Kiln-Timestamp: " + stamp,
                     "X-Kiln-Signature: sha256=" + HmacSha256Hex(kVarnishSecret, stamp + "." + body)});
  }
  int rebuild_calls_ = 0;

  std::string varnishd_;
  TestSite site_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<VarnishProcess> varnish_;
};

TEST_F(VarnishTest, APageFetchedTwiceIsAHitTheSecondTime) {
  Start();
  HttpResult first = Get("/posts/first/");
  ASSERT_EQ(first.status, 200) << varnish_->Log();
  EXPECT_EQ(first.Header("x-cache"), "MISS");
  HttpResult second = Get("/posts/first/");
  EXPECT_EQ(second.Header("x-cache"), "HIT");
  EXPECT_EQ(second.body, first.body);
  // Two ids in X-Varnish: this request's and the one that filled the cache.
  EXPECT_NE(second.Header("x-varnish").find(' '), std::string::npos) << second.Header("x-varnish");
  // index.html is the same cache entry as its folder.
  EXPECT_EQ(Get("/posts/first/index.html").Header("x-cache"), "HIT");
}

TEST_F(VarnishTest, ACommentPostedThroughVarnishIsOnTheNextGetAndUntouchedPagesStayHits) {
  Start();
  auto before = Warm();
  ASSERT_GT(before.size(), 5u);
  HttpResult posted = HttpPost(varnish_->Url("/api/comments"), "application/x-www-form-urlencoded",
                               FormEncode({{"post", "first"}, {"author", "Ann"}, {"body", "Seen through the cache"}}),
                               {std::string("Host: ") + kVarnishHost});
  ASSERT_EQ(posted.status, 303) << posted.body;
  std::vector<std::string> purged = ExpectPurgedExactlyTheChangedPages(before);
  EXPECT_NE(std::find(purged.begin(), purged.end(), "/posts/first/"), purged.end());
  EXPECT_EQ(std::find(purged.begin(), purged.end(), "/posts/second/"), purged.end());
  EXPECT_LT(purged.size(), before.size() / 2) << "most pages do not show that comment";
  EXPECT_NE(Get("/posts/first/").body.find("Seen through the cache"), std::string::npos);
}

TEST_F(VarnishTest, APlainSqlCommentAndAPostEditArePurgedByTheNextBuild) {
  Start();
  auto before = Warm();
  {
    SQLite::Database db((site_.root() / "kiln.db").string(), SQLite::OPEN_READWRITE);
    db.exec("INSERT INTO comments(post, author, body) VALUES ('second', 'Bob', 'Written with plain SQL')");
  }
  ASSERT_EQ(SignedRebuild().status, 200);
  EXPECT_NE(ExpectPurgedExactlyTheChangedPages(before), std::vector<std::string>{});
  EXPECT_NE(Get("/posts/second/").body.find("Written with plain SQL"), std::string::npos);

  before = Warm();
  site_.WritePost("first", "First post, edited", "Edited body.\n");
  ASSERT_EQ(SignedRebuild().status, 200);
  EXPECT_NE(ExpectPurgedExactlyTheChangedPages(before), std::vector<std::string>{});
  EXPECT_NE(Get("/posts/first/").body.find("Edited body."), std::string::npos);
  EXPECT_NE(Get("/").body.find("First post, edited"), std::string::npos);
}

// Failures injected beside a working Varnish: one endpoint down, one
// answering 500, one slow. The comment is still answered, within the
// purge timeout, and on the page Varnish serves next; the failures are
// reported on stderr.
TEST_F(VarnishTest, FailingEndpointsNeitherFailTheBuildNorHoldTheAnswer) {
  FakeCache broken(500), slow(200, 0, std::chrono::seconds(10));
  Start(", \"http://127.0.0.1:" + std::to_string(UnusedPort()) + "\", \"" + broken.endpoint() + "\", \"" +
        slow.endpoint() + "\"");
  Warm();
  HttpResult posted;
  auto start = std::chrono::steady_clock::now();
  posted = HttpPost(varnish_->Url("/api/comments"), "application/x-www-form-urlencoded",
                    FormEncode({{"post", "first"}, {"author", "Cy"}, {"body", "Despite broken caches"}}),
                    {std::string("Host: ") + kVarnishHost});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(posted.status, 303) << posted.body;
  EXPECT_LT(seconds, 5.0);  // timeout_ms = 2000 bounds the wait for the caches
  EXPECT_NE(Get("/posts/first/").body.find("Despite broken caches"), std::string::npos);
  EXPECT_TRUE(server_->WaitStderr("kiln: purge failed:", std::chrono::seconds(30))) << server_->Stderr();
  std::string err = server_->Stderr();
  EXPECT_NE(err.find(broken.endpoint() + " PURGE /posts/first/: HTTP 500 (3 attempts)"), std::string::npos) << err;
  EXPECT_NE(err.find("Couldn't connect"), std::string::npos) << err;
  EXPECT_EQ(HttpGet(server_->Url("/posts/first/")).status, 200);
}

// [edge] xkey_purge: a template edit rewrites every post page, and one
// xkey purge drops them all; the pages it did not change stay hits.
// Issue 9: kiln's figures are for loopback; a reader coming through
// Varnish also arrives from 127.0.0.1, but with Varnish's X-Forwarded-For.
TEST_F(VarnishTest, KilnsFiguresAreRefusedThroughVarnish) {
  Start("", "[stats]\nenabled = true\n");
  for (const char* path : {"/metrics", "/api/stats", "/_kiln/stats"}) {
    EXPECT_EQ(Get(path).status, 403) << path;
    EXPECT_EQ(HttpGet(server_->Url(path)).status, 200) << path;  // on the server itself
  }
}

TEST_F(VarnishTest, WithXkeyPurgeATemplateEditIsOneTagPurge) {
  FakeCache observer;  // sees what Varnish is sent
  Start(", \"" + observer.endpoint() + "\"", "xkey_purge = true\n");
  auto before = Warm();
  const size_t seen_before = observer.seen().size();
  std::string post_template = site_.ReadFile("templates/post.mustache");
  site_.WriteFile("templates/post.mustache", post_template + "<!-- edited -->\n");
  ASSERT_EQ(SignedRebuild().status, 200);
  std::vector<std::string> purged = ExpectPurgedExactlyTheChangedPages(before);
  EXPECT_NE(std::find(purged.begin(), purged.end(), "/posts/first/"), purged.end());
  EXPECT_NE(std::find(purged.begin(), purged.end(), "/posts/second/"), purged.end());
  // One request for every post page: a tag only post pages carry
  // (template:post, or config:comments.max_length of the comment form).
  auto seen = observer.seen();
  ASSERT_EQ(seen.size(), seen_before + 1) << server_->Stderr();
  EXPECT_EQ(seen.back().target, "/");
  EXPECT_FALSE(seen.back().xkey_purge.empty());
  EXPECT_GT(purged.size(), 5u);

  // A comment changes fewer pages; they are purged all the same.
  before = Warm();
  HttpResult posted = HttpPost(varnish_->Url("/api/comments"), "application/x-www-form-urlencoded",
                               FormEncode({{"post", "second"}, {"author", "Di"}, {"body", "By tag or URL"}}),
                               {std::string("Host: ") + kVarnishHost});
  ASSERT_EQ(posted.status, 303);
  purged = ExpectPurgedExactlyTheChangedPages(before);
  EXPECT_NE(std::find(purged.begin(), purged.end(), "/posts/second/"), purged.end());
}

}  // namespace
}  // namespace kiln::test
