#include "output/file_janitor.h"

#include <gtest/gtest.h>

#include "unit_test_util.h"

namespace kiln {
namespace {

using unit::WriteFileOrDie;

std::vector<std::filesystem::path> MakeFiles(const unit::TempDir& dir, int n) {
  std::vector<std::filesystem::path> files;
  for (int i = 0; i < n; ++i) {
    files.push_back(dir / ("old-" + std::to_string(i)));
    WriteFileOrDie(files.back(), "old bytes");
  }
  return files;
}

TEST(FileJanitor, WaitReturnsOnceEverythingQueuedIsDeleted) {
  unit::TempDir dir;
  FileJanitor janitor;
  janitor.Wait();  // nothing queued, no thread: returns at once
  const auto files = MakeFiles(dir, 50);
  janitor.Delete(files);
  janitor.Delete({dir / "never-existed"});  // skipped silently
  janitor.Wait();
  for (const auto& f : files) EXPECT_FALSE(std::filesystem::exists(f)) << f;
}

TEST(FileJanitor, DestructionDeletesWhatIsStillQueued) {
  unit::TempDir dir;
  const auto files = MakeFiles(dir, 200);
  {
    FileJanitor janitor;
    janitor.Delete(files);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace
}  // namespace kiln
