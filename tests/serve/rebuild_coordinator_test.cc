#include "serve/rebuild_coordinator.h"

#include <atomic>
#include <future>

#include <gtest/gtest.h>

namespace kiln {
namespace {

// Issue 3: comments arriving while a build runs share the next build, and
// each is answered only after a build that started after it was stored.
TEST(RebuildCoordinatorTest, JobsArrivingDuringABuildShareTheNextOne) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> builds = 0;
  std::atomic<int> prepared = 0;
  std::vector<int> prepared_before_build;
  RebuildCoordinator coordinator(
      [&](const BuildRequest&, BuildReport*) {
        prepared_before_build.push_back(prepared.load());
        if (builds++ == 0) released.wait();  // the first build is slow
        return Status::Ok();
      },
      nullptr);
  std::promise<void> first_done;
  coordinator.Submit({nullptr, [&](const JobResult&) { first_done.set_value(); }});
  while (coordinator.builds() == 0 && builds == 0) std::this_thread::yield();
  std::atomic<int> answered = 0;
  for (int i = 0; i < 50; ++i) {
    coordinator.Submit({[&](bool*) { ++prepared; return Status::Ok(); },
                        [&](const JobResult& r) {
                          EXPECT_TRUE(r.built);
                          ++answered;
                        }});
  }
  release.set_value();
  first_done.get_future().wait();
  coordinator.Stop();
  EXPECT_EQ(answered, 50);
  EXPECT_EQ(builds, 2);  // the slow one, then one for all fifty
  ASSERT_EQ(prepared_before_build.size(), 2u);
  EXPECT_EQ(prepared_before_build[1], 50);
}

TEST(RebuildCoordinatorTest, ListenerRunsBeforeAnyAnswer) {
  std::atomic<bool> listened = false;
  RebuildCoordinator coordinator([](const BuildRequest&, BuildReport*) { return Status::Ok(); },
                                 [&](const Status&, const BuildReport&) { listened = true; });
  std::promise<bool> seen;
  coordinator.Submit({nullptr, [&](const JobResult&) { seen.set_value(listened.load()); }});
  EXPECT_TRUE(seen.get_future().get());
}

TEST(RebuildCoordinatorTest, FailedPrepareIsReportedAndNeedsNoBuild) {
  std::atomic<int> builds = 0;
  RebuildCoordinator coordinator([&](const BuildRequest&, BuildReport*) { ++builds; return Status::Ok(); }, nullptr);
  std::promise<JobResult> result;
  coordinator.Submit({[](bool*) { return Status::Io("disk full"); },
                      [&](const JobResult& r) { result.set_value(r); }});
  JobResult r = result.get_future().get();
  EXPECT_EQ(r.prepared.message(), "disk full");
  EXPECT_FALSE(r.built);
  EXPECT_EQ(builds, 0);
}

TEST(RebuildCoordinatorTest, StopFinishesQueuedJobsThenAnswersAtOnce) {
  std::atomic<int> done = 0;
  RebuildCoordinator coordinator([](const BuildRequest&, BuildReport*) { return Status::Ok(); }, nullptr);
  for (int i = 0; i < 10; ++i) coordinator.Submit({nullptr, [&](const JobResult&) { ++done; }});
  coordinator.Stop();
  EXPECT_EQ(done, 10);
  JobResult late;
  coordinator.Submit({nullptr, [&](const JobResult& r) { late = r; }});
  EXPECT_FALSE(late.prepared.ok());
}

TEST(RebuildCoordinatorTest, AThrowingBuildBecomesAStatus) {
  RebuildCoordinator coordinator([](const BuildRequest&, BuildReport*) -> Status { throw std::runtime_error("boom"); },
                                 nullptr);
  std::promise<Status> status;
  coordinator.Submit({nullptr, [&](const JobResult& r) { status.set_value(r.build); }});
  EXPECT_NE(status.get_future().get().message().find("boom"), std::string::npos);
}

// Issue 7: a failed build is retried on its own, with growing delays, until
// one succeeds; then the retries stop.
TEST(RebuildCoordinatorTest, FailedBuildIsRetriedOnItsOwnUntilItSucceeds) {
  std::atomic<int> builds = 0;
  std::promise<void> succeeded;
  RebuildCoordinator coordinator(
      [&](const BuildRequest&, BuildReport*) { return ++builds < 3 ? Status::Io("disk full") : Status::Ok(); },
      [&](const Status& s, const BuildReport&) {
        if (s.ok()) succeeded.set_value();
      });
  coordinator.RetryFailedBuilds(std::chrono::milliseconds(5), std::chrono::milliseconds(20));
  coordinator.Submit({nullptr, nullptr});
  ASSERT_EQ(succeeded.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  coordinator.Stop();
  EXPECT_EQ(builds, 3);  // failed, retried and failed, retried and built
}

// Issue 7: while the last build failed, a job that needs no build of its own
// (a comment held for moderation) still gets one: it may repair the site.
TEST(RebuildCoordinatorTest, AfterAFailedBuildEveryJobBuilds) {
  std::atomic<int> builds = 0;
  RebuildCoordinator coordinator(
      [&](const BuildRequest&, BuildReport*) { return ++builds == 1 ? Status::Io("broken") : Status::Ok(); }, nullptr);
  auto submit_needing_no_build = [&] {
    std::promise<JobResult> result;
    coordinator.Submit({[](bool* needs_build) {
                          *needs_build = false;
                          return Status::Ok();
                        },
                        [&](const JobResult& r) { result.set_value(r); }});
    return result.get_future().get();
  };
  std::promise<void> first;
  coordinator.Submit({nullptr, [&](const JobResult&) { first.set_value(); }});
  first.get_future().wait();
  JobResult repaired = submit_needing_no_build();
  EXPECT_TRUE(repaired.built);
  EXPECT_TRUE(repaired.build.ok());
  JobResult later = submit_needing_no_build();  // the site is fine again
  EXPECT_FALSE(later.built);
  EXPECT_EQ(builds, 2);
}

}  // namespace
}  // namespace kiln
