// One build of a site at a time, across processes: a build waits while
// another holds .kiln/build.lock (`kiln build` during a `kiln serve` rebuild),
// instead of saving a state that conflicts with the other build's.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <unistd.h>

#include <chrono>
#include <future>

#include "site_fixture.h"

namespace kiln::testing {
namespace {

TEST(BuildLock, BuildWaitsForTheBuildHoldingTheLock) {
  TempSite site;
  site.WritePost("a", "A", "2026-01-01");
  site.Build();
  int fd = ::open((site.root() / ".kiln" / "build.lock").c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // as another process's build would

  auto build = std::async(std::launch::async, [&] { return site.Build(); });
  EXPECT_EQ(build.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  ::flock(fd, LOCK_UN);
  ::close(fd);
  ASSERT_EQ(build.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  EXPECT_TRUE(build.get().rendered.empty());
}

}  // namespace
}  // namespace kiln::testing
