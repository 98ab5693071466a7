// The command line as users and scripts meet it (SPEC.md, "Commands"): exit
// status 0 on success, one clear message naming the file on bad input,
// `--json` printing one JSON object and nothing else on stdout.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

struct CliRun {
  int exit_code;
  std::string out;  // stdout
  std::string err;  // stderr
};

CliRun Kiln(const std::string& args) {
  // One file per call: CTest runs tests in parallel processes.
  std::string err_file = (std::filesystem::temp_directory_path() / "kiln-cli-stderr-XXXXXX").string();
  int fd = ::mkstemp(err_file.data());
  EXPECT_GE(fd, 0);
  ::close(fd);
  std::string cmd = std::string("KILN_NOW=2026-11-26T12:00:00Z '") + KILN_BINARY + "' " + args + " 2>" + err_file;
  CliRun run{0, "", ""};
  FILE* pipe = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf;
  for (size_t n; (n = fread(buf.data(), 1, buf.size(), pipe)) > 0;) run.out.append(buf.data(), n);
  int status = pclose(pipe);
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  std::ifstream in(err_file);
  run.err.assign(std::istreambuf_iterator<char>(in), {});
  std::filesystem::remove(err_file);
  return run;
}

std::string Site(const TempSite& site) { return " --site '" + site.root().string() + "'"; }

TEST(Cli, InitMakesASiteThatBuildsAsItIs) {
  TempSite scratch;
  std::string dir = (scratch.root() / "new-blog").string();
  ASSERT_EQ(Kiln("init '" + dir + "'").exit_code, 0);
  CliRun build = Kiln("build --json --site '" + dir + "'");
  ASSERT_EQ(build.exit_code, 0) << build.err;
  auto report = nlohmann::json::parse(build.out);  // stdout is JSON and nothing else
  EXPECT_GT(report["pages"].get<int>(), 10);
  EXPECT_TRUE(std::filesystem::exists(dir + "/site/index.html"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/site/feed.xml"));
}

TEST(Cli, InitRefusesAFolderThatIsNotEmpty) {
  TempSite site;
  CliRun run = Kiln("init '" + site.root().string() + "'");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("folder exists and is not empty"), std::string::npos) << run.err;
}

TEST(Cli, JsonReportHasTheSpecFields) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  CliRun run = Kiln("build --json" + Site(site));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto j = nlohmann::json::parse(run.out);
  for (const char* key : {"pages", "rendered", "written", "removed", "unchanged", "duration_ms"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_NE(run.err.find("rendered"), std::string::npos);  // the human line goes to stderr
  CliRun again = Kiln("build --json" + Site(site));
  EXPECT_EQ(nlohmann::json::parse(again.out)["rendered"].size(), 0u);
}

TEST(Cli, BadInputExitsNonZeroWithOneMessageNamingFileAndLine) {
  TempSite site;
  site.WriteFile("kiln.toml", "title = \"x\"\nposts_per_pgae = 3\n");
  CliRun run = Kiln("build" + Site(site));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "kiln: error: " + (site.root() / "kiln.toml").string() +
                         ":2: unknown key 'posts_per_pgae'\n");
}

TEST(Cli, NotASiteSaysSo) {
  TempSite scratch;
  std::filesystem::remove(scratch.root() / "kiln.toml");
  CliRun run = Kiln("build" + Site(scratch));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("missing site configuration"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(scratch.root() / "kiln.db"));  // nothing created
}

TEST(Cli, UnknownCommandIsAUsageError) {
  EXPECT_EQ(Kiln("buidl").exit_code, 2);
}

TEST(Cli, CommentAddListApproveDelete) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  CliRun add = Kiln("comment add --post a --author Ada --body 'Hi *there*' --status pending" + Site(site));
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_EQ(add.out, "1\n");
  EXPECT_EQ(nlohmann::json::parse(Kiln("comment list --json --status pending" + Site(site)).out).size(), 1u);
  EXPECT_EQ(Kiln("comment approve 1" + Site(site)).exit_code, 0);
  CliRun build = Kiln("build --json" + Site(site));
  EXPECT_EQ(nlohmann::json::parse(build.out)["rendered"], nlohmann::json({"/", "/posts/a/"}));
  EXPECT_EQ(Kiln("comment delete 1" + Site(site)).exit_code, 0);
  CliRun missing = Kiln("comment delete 1" + Site(site));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no comment with id 1"), std::string::npos);
}

TEST(Cli, CommentOnUnknownPostIsRefusedAndNothingStored) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  CliRun run = Kiln("comment add --post nope --author Ada --body Hi" + Site(site));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("no published post with slug 'nope'"), std::string::npos);
  EXPECT_EQ(Kiln("comment list" + Site(site)).out, "");
}

// Issue 8, replies: --parent names a published comment of the same post;
// anything else is refused with a plain message and nothing stored.
TEST(Cli, CommentAddReplyNeedsAPublishedParentOfTheSamePost) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  site.WritePost("b", "B", "2026-01-02");
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  ASSERT_EQ(Kiln("comment add --post a --author Ada --body First" + Site(site)).out, "1\n");
  ASSERT_EQ(Kiln("comment add --post a --author Bo --body Held --status pending" + Site(site)).out, "2\n");
  CliRun reply = Kiln("comment add --post a --author Cy --body Agreed --parent 1" + Site(site));
  ASSERT_EQ(reply.exit_code, 0) << reply.err;
  EXPECT_EQ(nlohmann::json::parse(Kiln("comment list --json --post a" + Site(site)).out)[2]["parent"], 1);
  for (const char* bad : {"--post b --parent 1", "--post a --parent 2", "--post a --parent 99"}) {
    CliRun run = Kiln(std::string("comment add --author Di --body No ") + bad + Site(site));
    EXPECT_EQ(run.exit_code, 1) << bad;
    EXPECT_NE(run.err.find("is not a published comment of post"), std::string::npos) << run.err;
  }
  EXPECT_EQ(nlohmann::json::parse(Kiln("comment list --json" + Site(site)).out).size(), 3u);
}

// `kiln new post` (issue 8): a draft with its front matter, published once
// the author says so; never over an existing file; clear errors.
TEST(Cli, NewPostWritesADraftThatPublishesWhenTheAuthorSaysSo) {
  TempSite site;
  site.WritePost("older", "Older", "2026-01-01");
  CliRun made = Kiln("new post 'Caching \"graphs\" in C++' --tags 'c++, graphs,'" + Site(site));
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string rel = "content/posts/caching-graphs-in-c.md";
  EXPECT_NE(made.out.find(rel), std::string::npos) << made.out;
  EXPECT_EQ(site.ReadFile(rel),
            "---\ntitle: \"Caching \\\"graphs\\\" in C++\"\ndate: 2026-11-26T12:00:00Z\n"
            "tags:\n  - \"c++\"\n  - \"graphs\"\ndraft: true\n---\n\n"
            "The first paragraph is the post's summary on the home page and in the feed.\n");
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  EXPECT_FALSE(site.Exists("site/posts/caching-graphs-in-c/index.html"));  // a draft
  std::string text = site.ReadFile(rel);
  text.erase(text.find("draft: true\n"), 12);
  site.WriteFile(rel, text);
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  EXPECT_NE(site.ReadFile("site/posts/caching-graphs-in-c/index.html").find("Caching &quot;graphs&quot; in C++"),
            std::string::npos);
  EXPECT_NE(site.ReadFile("site/tags/c/index.html").find("caching-graphs-in-c"), std::string::npos);

  // An existing file is never overwritten.
  CliRun again = Kiln("new post 'Caching graphs in C++'" + Site(site));
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("already exists"), std::string::npos) << again.err;
  EXPECT_EQ(site.ReadFile(rel), text);

  CliRun published = Kiln("new post 'Right away' --publish" + Site(site));
  ASSERT_EQ(published.exit_code, 0) << published.err;
  EXPECT_EQ(site.ReadFile("content/posts/right-away.md").find("draft"), std::string::npos);
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  EXPECT_TRUE(site.Exists("site/posts/right-away/index.html"));

  EXPECT_NE(Kiln("new post '!!!'" + Site(site)).err.find("no letter or digit"), std::string::npos);
  CliRun control = Kiln("new post \"$(printf 'two\\nlines')\"" + Site(site));  // a line break
  EXPECT_EQ(control.exit_code, 1);
  EXPECT_NE(control.err.find("control character"), std::string::npos) << control.err;
  TempSite scratch;
  std::filesystem::remove(scratch.root() / "kiln.toml");
  EXPECT_NE(Kiln("new post 'Hello'" + Site(scratch)).err.find("missing site configuration"), std::string::npos);
}

TEST(Cli, StatsCountsRenderedAndReusedPerKind) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  site.WritePost("b", "B", "2026-01-02");
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  auto stats = nlohmann::json::parse(Kiln("stats --json" + Site(site)).out);
  EXPECT_EQ(stats["builds"], 2);
  EXPECT_EQ(stats["full_builds"], 1);
  EXPECT_EQ(stats["kinds"]["post"]["rendered"], 2);
  EXPECT_EQ(stats["kinds"]["post"]["reused"], 2);
  EXPECT_EQ(stats["kinds"]["home"]["rendered"], 1);
  CliRun text = Kiln("stats" + Site(site));
  EXPECT_NE(text.out.find("home"), std::string::npos);
  EXPECT_NE(text.out.find("1 in 2.0"), std::string::npos) << text.out;
}

TEST(Cli, DepsShowsWhatChanged) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  ASSERT_EQ(Kiln("build" + Site(site)).exit_code, 0);
  site.Sql("INSERT INTO comments(post, author, body) VALUES ('a', 'Bo', 'Hi')");
  CliRun run = Kiln("deps /posts/a/" + Site(site));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("* comments:a"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("  body:a"), std::string::npos) << run.out;
  CliRun dry = Kiln("build --dry-run --json" + Site(site));
  EXPECT_EQ(nlohmann::json::parse(dry.out)["rendered"], nlohmann::json({"/", "/posts/a/"}));
  // A dry run changes nothing: the real build still has the work to do.
  EXPECT_EQ(nlohmann::json::parse(Kiln("build --json" + Site(site)).out)["rendered"].size(), 2u);
}

}  // namespace
}  // namespace kiln::testing
