// One build of a site at a time, across processes: a build waits while
// another holds .kiln/build.lock (`kiln build` during a `kiln serve` rebuild),
// instead of saving a state that conflicts with the other build's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <future>
#include <string>

#include "site_fixture.h"
#include "wait_until.h"

namespace kiln::testing {
namespace {

// True when /proc/locks lists a process blocked in flock() on the file with
// inode `inode` (a line "N: -> FLOCK ADVISORY WRITE PID MAJ:MIN:INODE …").
bool SomeoneWaitsForLock(ino_t inode) {
  std::ifstream locks("/proc/locks");
  const std::string suffix = ":" + std::to_string(inode) + " ";
  for (std::string line; std::getline(locks, line);) {
    if (line.find("-> FLOCK") != std::string::npos && line.find(suffix) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(BuildLock, BuildWaitsForTheBuildHoldingTheLock) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  site.Build();
  int fd = ::open((site.root() / ".kiln" / "build.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as another process's build would

  struct stat st;
  ASSERT_EQ(::fstat(fd, &st), 0);

  auto build = std::async(std::launch::async, [&] { return site.Build(); });
  // The build is seen blocked in flock() on the lock file, not assumed to
  // be after some delay; and it has not finished while blocked there.
  EXPECT_TRUE(WaitUntil([&] { return SomeoneWaitsForLock(st.st_ino); }, std::chrono::seconds(20)));
  EXPECT_EQ(build.wait_for(std::chrono::seconds(0)), std::future_status::timeout);
  ::flock(fd, LOCK_UN);
  ::close(fd);
  ASSERT_EQ(build.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(build.get().rendered.empty());
}

}  // namespace
}  // namespace kiln::testing
