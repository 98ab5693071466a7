// The progress line of a long `kiln build` (issue 8), through the real
// binary: on a pseudo-terminal it appears, and is erased before the summary;
// with stderr a pipe, with --quiet, on a "dumb" terminal or for a quick
// build it does not; and stdout (the --json report) is the same whether or
// not a terminal watched. KILN_PROGRESS_DELAY_MS=0 (test-only) shows the line
// from the first step, so a site of a thousand posts is enough. `kiln serve`
// shows it for its first build.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <fstream>
#include <regex>
#include <string>

#include "kiln_process.h"
#include "serve/serve_test_util.h"
#include "terminal_process.h"
#include "unit_test_util.h"

namespace kiln {
namespace {

using testing::RunKiln;
using testing::RunOnTerminal;

constexpr int kPosts = 1000;
const std::string kNoDelay = "KILN_PROGRESS_DELAY_MS=0";

// `kiln init` plus kPosts short posts. ctest runs each test in a process of
// its own, so this set-up runs once per test: it leaves the site unbuilt,
// since most tests render every page anyway (`build --full`, or a server's
// first build), and the few that need the pages in place call BuildOnce().
// A build of these 1,000 posts in each of 9 tests was 159 s of the ASan run.
class ProgressTerminal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new unit::TempDir();
    site_ = (dir_->path() / "blog").string();
    // A real address: no base_url warning beside the summary line.
    ASSERT_EQ(RunKiln(KILN_BINARY, {"init", site_, "--base-url", "https://blog.example/"}).exit_code, 0);
    for (int i = 0; i < kPosts; ++i) {
      std::ofstream(site_ + "/content/posts/gen-" + std::to_string(i) + ".md")
          << "---\ntitle: Generated " << i << "\ndate: 2025-01-01T00:00:00Z\ntags: [t" << i % 20
          << "]\n---\nPost number " << i << ".\n";
    }
  }
  static void TearDownTestSuite() { delete dir_; }

  // Builds the site, so a test's next build writes nothing new.
  static void BuildOnce() {
    const auto first = RunKiln(KILN_BINARY, {"build", "--site", site_});
    ASSERT_EQ(first.exit_code, 0) << first.err;
  }

  static std::vector<std::string> Build(std::vector<std::string> extra) {
    std::vector<std::string> args = {"build", "--site", site_};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static inline unit::TempDir* dir_ = nullptr;
  static inline std::string site_;
};

// The --json report without its one figure that varies between runs.
nlohmann::json ReportWithoutDuration(const std::string& out) {
  nlohmann::json j = nlohmann::json::parse(out);
  j.erase("duration_ms");
  return j;
}

TEST_F(ProgressTerminal, LongBuildShowsDoneOfTotalThenErasesTheLine) {
  const auto run = RunOnTerminal(KILN_BINARY, Build({"--full", "--json"}), {kNoDelay});
  ASSERT_EQ(run.exit_code, 0) << run.terminal;
  // A counted step was drawn ("kiln: rendering 412 of 1,013 pages, …"),
  // its total every page of the site.
  const std::regex counted("\rkiln: (rendering|writing) [0-9,]+ of ([0-9,]+) (pages|files)[^\r]*\x1b\\[K");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.terminal, m, counted)) << run.terminal;
  const std::string total = std::regex_replace(m[2].str(), std::regex(","), "");
  EXPECT_GE(std::stoul(total), static_cast<unsigned long>(kPosts)) << m[0];
  // Erased, then the one summary line, alone on its line.
  const std::regex summary("\r\x1b\\[Kkiln: [0-9]+ pages: [0-9]+ rendered, 0 reused; [0-9]+ files written, 0 removed in [0-9.]+ ms\n$");
  EXPECT_TRUE(std::regex_search(run.terminal, summary)) << run.terminal;
}

TEST_F(ProgressTerminal, StdoutIsTheSameReportWithOrWithoutATerminal) {
  BuildOnce();  // both builds below then render all and write nothing
  const auto on_terminal = RunOnTerminal(KILN_BINARY, Build({"--full", "--json"}), {kNoDelay});
  const auto on_pipe = RunKiln(KILN_BINARY, Build({"--full", "--json"}), {kNoDelay});
  ASSERT_EQ(on_terminal.exit_code, 0) << on_terminal.terminal;
  ASSERT_EQ(on_pipe.exit_code, 0) << on_pipe.err;
  // One line of JSON, nothing meant for the terminal in it.
  EXPECT_EQ(on_terminal.out.find('\n'), on_terminal.out.size() - 1);
  EXPECT_EQ(on_terminal.out.find_first_of("\r\x1b"), std::string::npos);
  EXPECT_EQ(ReportWithoutDuration(on_terminal.out), ReportWithoutDuration(on_pipe.out));
}

TEST_F(ProgressTerminal, PipeGetsOnlyTheSummaryLine) {
  const auto run = RunKiln(KILN_BINARY, Build({"--full"}), {kNoDelay});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find_first_of("\r\x1b"), std::string::npos) << run.err;
  EXPECT_TRUE(run.err.starts_with("kiln: ")) << run.err;
  EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << run.err;
}

TEST_F(ProgressTerminal, QuietPrintsNothingButTheReport) {
  const auto run = RunOnTerminal(KILN_BINARY, Build({"--full", "--quiet", "--json"}), {kNoDelay});
  ASSERT_EQ(run.exit_code, 0) << run.terminal;
  EXPECT_EQ(run.terminal, "");
  EXPECT_GE(nlohmann::json::parse(run.out)["rendered"].size(), static_cast<size_t>(kPosts));
}

TEST_F(ProgressTerminal, DumbTerminalGetsNoEscapes) {
  const auto run = RunOnTerminal(KILN_BINARY, Build({"--full"}), {kNoDelay, "TERM=dumb"});
  ASSERT_EQ(run.exit_code, 0) << run.terminal;
  EXPECT_EQ(run.terminal.find_first_of("\r\x1b"), std::string::npos) << run.terminal;
}

// A build that does nothing finishes before the delay: the terminal gets
// the summary line and nothing else. The real delay is half a second; 10 s
// here, since a no-op of the ASan+UBSan binary on a loaded CI machine took
// longer than half a second (and printed its line, as it should).
TEST_F(ProgressTerminal, QuickBuildPrintsNoProgress) {
  BuildOnce();
  const auto run = RunOnTerminal(KILN_BINARY, Build({}), {"KILN_PROGRESS_DELAY_MS=10000"});
  ASSERT_EQ(run.exit_code, 0) << run.terminal;
  EXPECT_NE(run.terminal.find(" 0 rendered"), std::string::npos) << run.terminal;
  EXPECT_EQ(run.terminal.find_first_of("\r\x1b"), std::string::npos) << run.terminal;
}

// `kiln serve` shows the line for its first build too (here every page is
// missing, so it renders them all), erased before the server's "built"
// line; Ctrl-C's SIGTERM then stops it as usual.
TEST_F(ProgressTerminal, ServeShowsTheLineForItsFirstBuild) {
  std::filesystem::remove_all(site_ + "/site");
  const auto run = RunOnTerminal(KILN_BINARY, {"serve", "--site", site_, "--port", "0"}, {kNoDelay},
                                 "kiln: serving http://");
  EXPECT_EQ(run.exit_code, 0) << run.terminal;
  const std::regex counted("\rkiln: (rendering|writing) [0-9,]+ of ([0-9,]+) (pages|files)[^\r]*\x1b\\[K");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(run.terminal, m, counted)) << run.terminal;
  EXPECT_GE(std::stoul(std::regex_replace(m[2].str(), std::regex(","), "")), static_cast<unsigned long>(kPosts));
  EXPECT_TRUE(std::regex_search(run.terminal, std::regex("\r\x1b\\[Kkiln: built [0-9]+ pages \\([0-9]+ rendered")))
      << run.terminal;
  EXPECT_NE(run.terminal.find("kiln: stopped"), std::string::npos) << run.terminal;
}

// With stderr a pipe, the server's first build draws nothing.
TEST_F(ProgressTerminal, ServeOnAPipeDrawsNothing) {
  std::filesystem::remove_all(site_ + "/site");
  test::ServerProcess server(site_, {}, {kNoDelay});
  ASSERT_TRUE(server.WaitServing(std::chrono::seconds(120))) << server.Stderr();
  EXPECT_NE(server.Stderr().find("kiln: built "), std::string::npos) << server.Stderr();
  EXPECT_EQ(server.Stderr().find_first_of("\r\x1b"), std::string::npos) << server.Stderr();
  server.Signal(SIGTERM);
  EXPECT_EQ(server.WaitExit(), 0);
}

// An error stops the build: the line is erased before the message.
TEST_F(ProgressTerminal, ErrorFollowsAnErasedLine) {
  unit::TempDir dir;
  const std::string site = (dir.path() / "broken").string();
  ASSERT_EQ(RunKiln(KILN_BINARY, {"init", site}).exit_code, 0);
  std::ofstream(site + "/templates/post.mustache") << "{{#post}}never closed\n";
  const auto run = RunOnTerminal(KILN_BINARY, {"build", "--site", site}, {kNoDelay});
  EXPECT_EQ(run.exit_code, 1);
  const std::regex erased_then_error("(^|\r\x1b\\[K)kiln: error: [^\r\x1b]*post\\.mustache[^\r\x1b]*\n$");
  EXPECT_TRUE(std::regex_search(run.terminal, erased_then_error)) << run.terminal;
}

}  // namespace
}  // namespace kiln
