#include "serve/watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <fstream>

namespace kiln {
namespace {

namespace fs = std::filesystem;

// The tests of paths that keep the whole quiet watch with a quiet of 2 s:
// no report comes before (checked at 1 s, well after the 15 ms settle),
// one comes after.
constexpr int kWholeQuietMs = 2000;
constexpr auto kBeforeTheQuiet = std::chrono::milliseconds(1000);
constexpr auto kAfterTheQuiet = std::chrono::milliseconds(6000);

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-watch-test-XXXXXX";
    root_ = mkdtemp(tmpl);
    fs::create_directories(root_ / "content" / "posts");
    fs::create_directories(root_ / "templates");
    fs::create_directories(root_ / "site");
    // Settled paths wait as long as the others here, as every path did
    // before the settle (the tests below it set their own).
    Watch(/*quiet_ms=*/50, /*settle_ms=*/50);
  }
  // A watcher of its own, with no report of the one before left over.
  void Watch(int quiet_ms, int settle_ms) {
    watcher_.reset();
    {
      std::lock_guard lock(mutex_);
      reports_.clear();
    }
    watcher_ = std::make_unique<Watcher>(
        root_,
        [this](const std::vector<std::string>& changed) {
          std::lock_guard lock(mutex_);
          reports_.push_back(changed);
          cv_.notify_all();
        },
        quiet_ms, /*max_wait_ms=*/60'000, settle_ms);
    ASSERT_TRUE(watcher_->Start().ok());
  }
  void TearDown() override {
    watcher_.reset();
    fs::remove_all(root_);
  }
  void Touch(const std::string& relative) { std::ofstream(root_ / relative) << "x"; }
  // The next report, or {} after `wait`.
  std::vector<std::string> NextReport(std::chrono::milliseconds wait = std::chrono::seconds(3)) {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [this] { return !reports_.empty(); });
    if (reports_.empty()) return {};
    auto report = reports_.front();
    reports_.erase(reports_.begin());
    return report;
  }
  // content/posts/a.md, written and reported; then a watcher with the
  // whole quiet and the 15 ms settle.
  void WatchAnExistingPost() {
    Touch("content/posts/a.md");
    ASSERT_FALSE(NextReport().empty());
    Watch(kWholeQuietMs, /*settle_ms=*/15);
  }
  void ExpectAReportOnlyAfterTheWholeQuiet(const std::vector<std::string>& paths) {
    EXPECT_TRUE(NextReport(kBeforeTheQuiet).empty());
    EXPECT_EQ(NextReport(kAfterTheQuiet), paths);
  }
  fs::path root_;
  std::unique_ptr<Watcher> watcher_;
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::vector<std::string>> reports_;
};

TEST_F(WatcherTest, ABurstOfChangesIsOneReport) {
  Touch("content/posts/a.md");
  Touch("content/posts/b.md");
  Touch("templates/post.mustache");
  auto report = NextReport();
  EXPECT_EQ(report, (std::vector<std::string>{"content/posts/a.md", "content/posts/b.md",
                                              "templates/post.mustache"}));
}

// The folder's creation is reported, and by then it is watched: a file
// made in it afterwards is reported on its own.
TEST_F(WatcherTest, NewFoldersAreWatchedToo) {
  fs::create_directories(root_ / "content" / "posts" / "2026");
  EXPECT_EQ(NextReport(), (std::vector<std::string>{"content/posts/2026"}));
  Touch("content/posts/2026/new.md");
  EXPECT_EQ(NextReport(), (std::vector<std::string>{"content/posts/2026/new.md"}));
}

// kiln.db and site/ are written by every build: they must not trigger one.
TEST_F(WatcherTest, OnlyKilnTomlCountsInTheRoot) {
  Touch("kiln.db");
  Touch("site/index.html");
  Touch("kiln.toml");
  EXPECT_EQ(NextReport(), (std::vector<std::string>{"kiln.toml"}));
  // Events arrive in order: had kiln.db-wal counted, it would be reported
  // with the post written after it, or before it.
  Touch("kiln.db-wal");
  Touch("content/posts/after.md");
  EXPECT_EQ(NextReport(), (std::vector<std::string>{"content/posts/after.md"}));
}

// Settled paths (watcher.h): a file written and closed is reported after
// the short settle, not the whole quiet period (5 s here; the test allows
// 2.5 s for a slow machine).
TEST_F(WatcherTest, AFileWrittenAndClosedIsReportedWithoutTheWholeQuiet) {
  Watch(/*quiet_ms=*/5000, /*settle_ms=*/15);
  Touch("content/posts/a.md");
  EXPECT_EQ(NextReport(std::chrono::milliseconds(2500)),
            (std::vector<std::string>{"content/posts/a.md"}));
}

// A save that renames the old file aside, writes the new one and deletes
// the old: once the new file is closed, every path is settled.
TEST_F(WatcherTest, AnEditorsSaveThroughABackupFileIsSettled) {
  Touch("content/posts/a.md");
  ASSERT_FALSE(NextReport().empty());
  Watch(/*quiet_ms=*/5000, /*settle_ms=*/15);
  fs::rename(root_ / "content/posts/a.md", root_ / "content/posts/a.md~");
  Touch("content/posts/a.md");
  fs::remove(root_ / "content/posts/a.md~");
  const auto report = NextReport(std::chrono::milliseconds(2500));
  EXPECT_NE(std::find(report.begin(), report.end(), "content/posts/a.md"), report.end());
}

// Still open for writing: the writer may not be done.
TEST_F(WatcherTest, AFileStillBeingWrittenWaitsForTheWholeQuiet) {
  Watch(kWholeQuietMs, /*settle_ms=*/15);
  std::ofstream open_file(root_ / "content/posts/a.md");
  open_file << "half of it" << std::flush;
  ExpectAReportOnlyAfterTheWholeQuiet({"content/posts/a.md"});
}

// Deleted, or renamed away: it may be written again in its place.
TEST_F(WatcherTest, ADeletedPostWaitsForTheWholeQuiet) {
  WatchAnExistingPost();
  fs::remove(root_ / "content/posts/a.md");
  ExpectAReportOnlyAfterTheWholeQuiet({"content/posts/a.md"});
}

// Deleted, made again and deleted once more: still a post of the site
// that is gone, not a file of the burst's own.
TEST_F(WatcherTest, APostDeletedAgainAfterItsNewCopyWaitsForTheWholeQuiet) {
  WatchAnExistingPost();
  fs::remove(root_ / "content/posts/a.md");
  Touch("content/posts/a.md");
  fs::remove(root_ / "content/posts/a.md");
  ExpectAReportOnlyAfterTheWholeQuiet({"content/posts/a.md"});
}

// A folder just made: files written in it before its watch was added
// were not seen, and may still be being written.
TEST_F(WatcherTest, ANewFolderWaitsForTheWholeQuiet) {
  Watch(kWholeQuietMs, /*settle_ms=*/15);
  fs::create_directories(root_ / "content" / "posts" / "2026");
  ExpectAReportOnlyAfterTheWholeQuiet({"content/posts/2026"});
}

// Many paths (a checkout, a copy) keep the whole quiet even when each is
// whole: such a writer may pause between files.
TEST_F(WatcherTest, ABurstOfManyFilesWaitsForTheWholeQuiet) {
  Watch(kWholeQuietMs, /*settle_ms=*/15);
  for (int i = 0; i < 12; ++i) Touch("content/posts/p" + std::to_string(i) + ".md");
  // A slow machine may pause 15 ms between two of the files, which ends a
  // burst of few paths early (that is the settle); a burst of more than
  // eight never is.
  const auto early = NextReport(kBeforeTheQuiet);
  EXPECT_LE(early.size(), 8u);
  if (early.empty()) EXPECT_EQ(NextReport(kAfterTheQuiet).size(), 12u);
}

}  // namespace
}  // namespace kiln
