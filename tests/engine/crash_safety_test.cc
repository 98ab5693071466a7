// SPEC.md invariant 3, "Crash safe": a build killed at any point leaves
// every file in site/ either old or new, never partial, and the next build
// repairs the rest. The real binary is killed with SIGKILL after N writes
// (and halfway through a write) by its test hook KILN_TEST_CRASH_AFTER_WRITES.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

constexpr const char* kNow = "2026-11-26T12:00:00Z";  // the fixture clock's "now"

// `streamed`: pages are written by the rendering threads as they are
// rendered (what a build of many pages does), not after all rendered.
int RunCrashingKiln(const TempSite& site, const std::string& crash_after,
                    const std::string& crash_at = "", bool streamed = false, bool full = false) {
  std::string env = std::string("KILN_NOW=") + kNow;
  if (streamed) env += " KILN_TEST_STREAMED_WRITE_AT=1";
  if (!crash_after.empty()) env += " KILN_TEST_CRASH_AFTER_WRITES=" + crash_after;
  if (!crash_at.empty()) env += " KILN_TEST_CRASH_AT=" + crash_at;
  std::string cmd = env + " '" + KILN_BINARY + "' build " + (full ? "--full " : "") + "--site '" +
                    site.root().string() + "' 2>/dev/null";
  return std::system(cmd.c_str());
}

void MakeSite(TempSite* site) {
  for (int i = 1; i <= 7; ++i) {
    site->WritePost("p" + std::to_string(i), "Post " + std::to_string(i), "2026-01-0" + std::to_string(i),
                    {"t" + std::to_string(i % 2)}, "Body " + std::to_string(i) + "\n");
  }
}

// An edit that makes most pages dirty: every post's template, the index
// template, a title, a new post, a removed post, a comment.
void EditEverything(TempSite* site) {
  site->WriteFile("templates/post.mustache", site->ReadFile("templates/post.mustache") + "<!-- v2 -->\n");
  site->WriteFile("templates/index.mustache", site->ReadFile("templates/index.mustache") + "<!-- v2 -->\n");
  site->WritePost("p3", "Post three", "2026-01-03", {"t1"}, "Body 3\n");
  site->WritePost("p8", "Post 8", "2026-01-08", {"t9"}, "Body 8\n");
  site->RemoveFile("content/posts/p5.md");
  site->Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p2', 'A', 'hi', '2026-11-01T10:00:00Z')");
}

class CrashSafety : public ::testing::TestWithParam<const char*> {};

TEST_P(CrashSafety, KilledBuildLeavesOldOrNewFilesAndNextBuildRepairs) {
  for (const bool streamed : {false, true}) {
    SCOPED_TRACE(streamed ? "pages written as rendered" : "pages written after rendering");
    TempSite site;
    MakeSite(&site);
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    const auto old_files = site.SiteFiles();
    EditEverything(&site);
    const auto new_files = site.FullBuildFromScratch();

    int status = RunCrashingKiln(site, GetParam(), "", streamed);
    ASSERT_NE(status, 0) << "the build was expected to be killed after " << GetParam() << " writes";
    for (const auto& [path, bytes] : site.SiteFiles()) {
      auto o = old_files.find(path);
      auto n = new_files.find(path);
      bool is_old = o != old_files.end() && o->second == bytes;
      bool is_new = n != new_files.end() && n->second == bytes;
      EXPECT_TRUE(is_old || is_new) << path << " is neither the old nor the new file";
    }

    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    EXPECT_EQ(DescribeDifferences(site.SiteFiles(), new_files), "");
    EXPECT_FALSE(std::filesystem::exists(site.root() / ".kiln" / "tmp") &&
                 !std::filesystem::is_empty(site.root() / ".kiln" / "tmp"))
        << "temporary files left behind";
    BuildReport again = site.Build();
    EXPECT_TRUE(again.rendered.empty());
  }
}

// "N" kills right after the Nth rename; "N.5" halfway through writing the
// temporary file of the next one.
// The killed build wrote pages from inputs that are then reverted: the
// state it never saved still describes the old inputs, so without a repair
// those pages would look clean and keep the reverted content.
TEST_P(CrashSafety, KilledBuildThenRevertedEditIsRepaired) {
  for (const bool streamed : {false, true}) {
    SCOPED_TRACE(streamed ? "pages written as rendered" : "pages written after rendering");
    TempSite site;
    MakeSite(&site);
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    const auto old_files = site.SiteFiles();
    const std::string template_text = site.ReadFile("templates/post.mustache");
    site.WriteFile("templates/post.mustache", template_text + "<!-- v2 -->\n");
    site.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p2', 'Spam', 'buy', '2026-11-01T10:00:00Z')");
    ASSERT_NE(RunCrashingKiln(site, GetParam(), "", streamed), 0);
    site.WriteFile("templates/post.mustache", template_text);  // revert everything
    site.Sql("DELETE FROM comments");
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    EXPECT_EQ(DescribeDifferences(site.SiteFiles(), old_files), "");
  }
}

INSTANTIATE_TEST_SUITE_P(KillPoints, CrashSafety, ::testing::Values("0.5", "1", "3", "4.5", "9"));

// Killed while saving the state, after every file of site/ was written (the
// build's saves are one transaction: killed before its commit, the old
// state stays, marked "writing"; after it, the new one). Either way the
// next build leaves site/ equal to a full build, and the one after that
// has nothing to do. Both kinds of build: one that changes most pages, and
// a comment alone (the comment path, which saves only its pages' records).
class CrashDuringSave : public ::testing::TestWithParam<const char*> {};

TEST_P(CrashDuringSave, NextBuildRepairsAndTheOneAfterIsANoOp) {
  enum class Kind { kMostPages, kCommentAlone, kFullStreamed };
  for (const Kind kind : {Kind::kMostPages, Kind::kCommentAlone, Kind::kFullStreamed}) {
    SCOPED_TRACE(kind == Kind::kCommentAlone ? "a comment alone"
                 : kind == Kind::kMostPages  ? "most pages changed"
                                             : "kiln build --full, pages written as rendered");
    TempSite site;
    MakeSite(&site);
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    site.AgeInputs();
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);  // a manifest that can prove a no-op
    if (kind == Kind::kCommentAlone) {
      site.Sql("INSERT INTO comments(post, author, body, created_at) VALUES ('p4', 'A', 'hi', '2026-11-01T10:00:00Z')");
    } else {
      EditEverything(&site);
    }
    const auto new_files = site.FullBuildFromScratch();
    // A full build remakes the comment index from nothing inside its
    // transaction: killed before the commit, the old index is kept whole.
    const bool full = kind == Kind::kFullStreamed;
    ASSERT_NE(RunCrashingKiln(site, "", GetParam(), /*streamed=*/full, full), 0)
        << "the build was expected to be killed at " << GetParam();
    ASSERT_EQ(RunCrashingKiln(site, ""), 0);
    EXPECT_EQ(DescribeDifferences(site.SiteFiles(), new_files), "");
    BuildReport again = site.Build();
    EXPECT_EQ(again.rendered, std::vector<std::string>{});
    site.AgeInputs();  // the edited files were too fresh to prove a no-op
    EXPECT_EQ(site.Build().rendered, std::vector<std::string>{});
    EXPECT_EQ(site.Build().path, "no-op");
    // The comment index is whole and usable: a comment takes the comment path.
    site.Sql(
        "INSERT INTO comments(post, author, body, created_at) VALUES ('p1', 'B', 'later', "
        "'2026-11-02T10:00:00Z')");
    EXPECT_EQ(site.Build().path, "comments");
  }
}

INSTANTIATE_TEST_SUITE_P(SavePoints, CrashDuringSave,
                         ::testing::Values("save-index", "save-state", "save-commit", "saved"));

}  // namespace
}  // namespace kiln::testing
