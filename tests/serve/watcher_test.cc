#include "serve/watcher.h"

#include <unistd.h>

#include <condition_variable>
#include <fstream>

#include <gtest/gtest.h>

namespace kiln {
namespace {

namespace fs = std::filesystem;

class WatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/kiln-watch-test-XXXXXX";
    root_ = mkdtemp(tmpl);
    fs::create_directories(root_ / "content" / "posts");
    fs::create_directories(root_ / "templates");
    fs::create_directories(root_ / "site");
    watcher_ = std::make_unique<Watcher>(root_, [this](const std::vector<std::string>& changed) {
      std::lock_guard lock(mutex_);
      reports_.push_back(changed);
      cv_.notify_all();
    }, /*quiet_ms=*/50);
    ASSERT_TRUE(watcher_->Start().ok());
  }
  void TearDown() override {
    watcher_.reset();
    fs::remove_all(root_);
  }
  void Touch(const std::string& relative) { std::ofstream(root_ / relative) << "x"; }
  // The next report, or {} after 3 s.
  std::vector<std::string> NextReport() {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::seconds(3), [this] { return !reports_.empty(); });
    if (reports_.empty()) return {};
    auto report = reports_.front();
    reports_.erase(reports_.begin());
    return report;
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

}  // namespace
}  // namespace kiln
