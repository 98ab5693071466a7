// The edge as `kiln serve` and `kiln build` show it (SPEC.md, "The edge"):
// the cache headers of every page, and the purges of `kiln build`, with
// failures injected (docs/deploy.md).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "edge/fake_cache.h"
#include "serve/serve_test_util.h"

namespace kiln::test {
namespace {

std::string EdgeConfigToml(const std::vector<std::string>& endpoints, const std::string& extra = "") {
  std::string list;
  for (const auto& e : endpoints) list += (list.empty() ? "\"" : ", \"") + e + "\"";
  return "title = \"Edge\"\nbase_url = \"https://blog.example/\"\n[edge]\npurge = [" + list + "]\n" + extra;
}

std::set<std::string> Split(const std::string& tags) {
  std::set<std::string> out;
  size_t pos = 0;
  while (pos < tags.size()) {
    size_t space = tags.find(' ', pos);
    out.insert(tags.substr(pos, space - pos));
    if (space == std::string::npos) break;
    pos = space + 1;
  }
  return out;
}

struct EdgeCliRun {
  int exit_code;
  std::string out, err;
};
EdgeCliRun KilnBuildJson(const fs::path& root);

TEST(EdgeHeadersTest, EveryPageNamesItsCacheTagsAndCacheControl) {
  TestSite site;
  site.WriteFile("kiln.toml", EdgeConfigToml({}, "s_maxage = 600\n"));
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  HttpResult post = HttpGet(server.Url("/posts/first/"));
  ASSERT_EQ(post.status, 200);
  EXPECT_EQ(post.Header("cache-control"), "public, max-age=0, must-revalidate, s-maxage=600");
  EXPECT_FALSE(post.Header("etag").empty());
  std::set<std::string> tags = Split(post.Header("xkey"));
  EXPECT_EQ(post.Header("surrogate-key"), post.Header("xkey"));
  for (const char* tag : {"post:first", "body:first", "comments:first", "template:post"}) {
    EXPECT_TRUE(tags.count(tag)) << tag << " not in " << post.Header("xkey");
  }
  EXPECT_FALSE(tags.count("comments:second"));
  // The home page shows post "first": one purge of post:first reaches it.
  EXPECT_TRUE(Split(HttpGet(server.Url("/")).Header("xkey")).count("post:first"));
  // A 304 carries them too; a 404 is not for caches.
  HttpResult revalidated = HttpGet(server.Url("/posts/first/"), {"If-None-Match: " + post.Header("etag")});
  EXPECT_EQ(revalidated.status, 304);
  EXPECT_EQ(revalidated.Header("xkey"), post.Header("xkey"));
  HttpResult missing = HttpGet(server.Url("/no/such/page/"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Header("cache-control"), "no-cache");
  EXPECT_EQ(missing.Header("xkey"), "");

  // After a comment's build, rendered and untouched pages alike keep their tags.
  HttpResult posted = HttpPost(server.Url("/api/comments"), "application/x-www-form-urlencoded",
                               FormEncode({{"post", "first"}, {"author", "A"}, {"body", "Hi"}}));
  ASSERT_EQ(posted.status, 303) << posted.body;
  HttpResult after = HttpGet(server.Url("/posts/first/"));
  EXPECT_NE(after.Header("etag"), post.Header("etag"));
  EXPECT_TRUE(Split(after.Header("xkey")).count("comments:first")) << after.Header("xkey");
  EXPECT_TRUE(Split(HttpGet(server.Url("/posts/second/")).Header("xkey")).count("comments:second"));
}

EdgeCliRun KilnBuildJson(const fs::path& root) {
  std::string err_file = (fs::temp_directory_path() / "kiln-edge-stderr-XXXXXX").string();
  int fd = mkstemp(err_file.data());
  close(fd);
  std::string cmd = std::string("'") + KILN_BINARY + "' build --json --site '" + root.string() + "' 2>" + err_file;
  EdgeCliRun run{0, "", ""};
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;) run.out.append(buf.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  run.err.assign(std::istreambuf_iterator<char>(in), {});
  fs::remove(err_file);
  return run;
}

// A server whose first build finds nothing changed (the site was built by
// `kiln build`) takes the tags from the saved build state.
TEST(EdgeHeadersTest, TagsAreThereWhenTheServersFirstBuildChangesNothing) {
  TestSite site;
  ASSERT_EQ(KilnBuildJson(site.root()).exit_code, 0);
  ServerProcess server(site.root());
  ASSERT_TRUE(server.WaitServing()) << server.Stderr();
  EXPECT_TRUE(Split(HttpGet(server.Url("/posts/first/")).Header("xkey")).count("comments:first"));
}

// SPEC.md, "The edge": kiln build purges each written or removed URL path,
// with the Host of base_url.
TEST(EdgeBuildTest, BuildPurgesWhatItWroteAndRemoved) {
  TestSite site;
  FakeCache cache;
  site.WriteFile("kiln.toml", EdgeConfigToml({cache.endpoint()}));
  ASSERT_EQ(KilnBuildJson(site.root()).exit_code, 0);
  size_t first_build = cache.seen().size();
  EXPECT_GT(first_build, 5u);

  fs::remove(site.root() / "content/posts/second.md");
  EdgeCliRun run = KilnBuildJson(site.root());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  std::set<std::string> expected;
  for (const auto* list : {&report["written"], &report["removed"]}) {
    for (const auto& out : *list) {
      std::string path = "/" + out.get<std::string>();
      if (path.ends_with("/index.html")) path.resize(path.size() - 10);
      expected.insert(path);
    }
  }
  EXPECT_TRUE(expected.count("/posts/second/"));
  std::set<std::string> purged;
  for (size_t i = first_build; i < cache.seen().size(); ++i) {
    EXPECT_EQ(cache.seen()[i].method, "PURGE");
    EXPECT_EQ(cache.seen()[i].host, "blog.example");
    purged.insert(cache.seen()[i].target);
  }
  EXPECT_EQ(purged, expected);
  EXPECT_EQ(report["purge"]["purged"], expected.size());
  EXPECT_EQ(report["purge"]["failed"], 0);
  EXPECT_NE(run.err.find("kiln: purge: "), std::string::npos) << run.err;

  // A build that changes nothing purges nothing.
  size_t before = cache.seen().size();
  run = KilnBuildJson(site.root());
  EXPECT_EQ(cache.seen().size(), before);
  EXPECT_EQ(nlohmann::json::parse(run.out)["purge"]["requests"], 0);
}

// [edge] xkey_purge: kiln build reads the tags the cache holds from the
// saved state before building, and a template edit is one tag purge.
TEST(EdgeBuildTest, WithXkeyPurgeATemplateEditIsOneRequest) {
  TestSite site;
  FakeCache cache;
  site.WriteFile("kiln.toml", EdgeConfigToml({cache.endpoint()}, "xkey_purge = true\n"));
  ASSERT_EQ(KilnBuildJson(site.root()).exit_code, 0);
  const size_t before = cache.seen().size();
  site.WriteFile("templates/post.mustache", site.ReadFile("templates/post.mustache") + "<!-- v2 -->\n");
  EdgeCliRun run = KilnBuildJson(site.root());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  EXPECT_GT(report["written"].size(), 5u);
  ASSERT_EQ(cache.seen().size(), before + 1);
  EXPECT_EQ(cache.seen().back().target, "/");
  EXPECT_EQ(cache.seen().back().host, "blog.example");
  EXPECT_FALSE(cache.seen().back().xkey_purge.empty());
  EXPECT_EQ(report["purge"]["requests"], 1);
}

// Failures injected: an endpoint down, one answering 500, one slow. The
// build succeeds, the JSON report and stderr say what failed.
TEST(EdgeBuildTest, FailingEndpointsAreReportedAndTheBuildSucceeds) {
  TestSite site;
  FakeCache broken(500), slow(200, 0, std::chrono::seconds(10));
  const std::string down = "http://127.0.0.1:" + std::to_string(UnusedPort());
  site.WriteFile("kiln.toml", EdgeConfigToml({down, broken.endpoint(), slow.endpoint()},
                                             "timeout_ms = 300\nretries = 1\n"));
  EdgeCliRun run = KilnBuildJson(site.root());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto report = nlohmann::json::parse(run.out);
  EXPECT_GT(report["written"].size(), 5u);
  auto purge = report["purge"];
  EXPECT_EQ(purge["endpoints"], 3);
  EXPECT_EQ(purge["failed"], purge["requests"]);
  EXPECT_EQ(purge["retries"], purge["requests"]);
  EXPECT_FALSE(purge["errors"].empty());
  EXPECT_LT(purge["duration_ms"].get<double>(), 5000);
  EXPECT_NE(run.err.find("kiln: purge failed: "), std::string::npos) << run.err;
  std::string errors = purge["errors"].dump();
  for (const std::string& text : {std::string("HTTP 500 (2 attempts)"), std::string("Couldn't connect"),
                                  std::string("imeout")}) {
    EXPECT_NE(errors.find(text), std::string::npos) << text << " not in " << errors;
  }
}

std::map<std::string, std::string> FilesUnder(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    files[fs::relative(entry.path(), dir).string()].assign(std::istreambuf_iterator<char>(in), {});
  }
  return files;
}

int RunPublish(const fs::path& report, const fs::path& site, const fs::path& dest, const std::string& endpoint) {
  std::string cmd = "PURGE_HOST=blog.example PURGE_RETRIES=1 '" + std::string(KILN_SOURCE_DIR) + "/scripts/publish.sh' '" +
                    report.string() + "' '" + site.string() + "' '" + dest.string() + "/' " + endpoint +
                    " 2>/dev/null";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// docs/deploy.md, "Publishing from CI": scripts/publish.sh uploads only
// what the --json report lists, deletes what it removed, then purges it.
TEST(PublishScriptTest, UploadsTheReportsFilesThenPurgesThem) {
  TestSite site;
  FakeCache cache;
  fs::path dest = site.root().parent_path() / "public";
  fs::path report = site.root().parent_path() / "build.json";
  EdgeCliRun run = KilnBuildJson(site.root());
  ASSERT_EQ(run.exit_code, 0);
  std::ofstream(report) << run.out;
  ASSERT_EQ(RunPublish(report, site.root() / "site", dest, cache.endpoint()), 0);
  EXPECT_EQ(FilesUnder(dest), FilesUnder(site.root() / "site"));

  // An unrelated file at the destination shows nothing else is touched.
  std::ofstream(dest / "keep.txt") << "not kiln's";
  fs::remove(site.root() / "content/posts/second.md");
  site.WritePost("first", "First, edited", "New words.\n");
  run = KilnBuildJson(site.root());
  ASSERT_EQ(run.exit_code, 0);
  std::ofstream(report) << run.out;
  auto json = nlohmann::json::parse(run.out);
  size_t before = cache.seen().size();
  ASSERT_EQ(RunPublish(report, site.root() / "site", dest, cache.endpoint()), 0);
  auto published = FilesUnder(dest);
  EXPECT_EQ(published.erase("keep.txt"), 1u);
  EXPECT_EQ(published, FilesUnder(site.root() / "site"));
  EXPECT_FALSE(fs::exists(dest / "posts/second/index.html"));
  std::set<std::string> purged;
  for (size_t i = before; i < cache.seen().size(); ++i) {
    EXPECT_EQ(cache.seen()[i].host, "blog.example");
    purged.insert(cache.seen()[i].target);
  }
  EXPECT_EQ(purged.size(), json["written"].size() + json["removed"].size());
  EXPECT_TRUE(purged.count("/posts/second/"));
  EXPECT_TRUE(purged.count("/posts/first/"));

  // A cache answering 500: the files are online, the exit status says 3.
  FakeCache broken(500);
  site.WritePost("first", "First, edited again", "Newer words.\n");
  run = KilnBuildJson(site.root());
  std::ofstream(report) << run.out;
  EXPECT_EQ(RunPublish(report, site.root() / "site", dest, broken.endpoint()), 3);
  EXPECT_EQ(FilesUnder(dest)["posts/first/index.html"], FilesUnder(site.root() / "site")["posts/first/index.html"]);
}

}  // namespace
}  // namespace kiln::test
