// The progress line's text and its printer (output/progress_printer.h),
// drawn into a pipe. The real binary on a terminal is in
// progress_terminal_test.cc.
#include "output/progress_printer.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace kiln {
namespace {

using namespace std::chrono_literals;
using Step = BuildProgress::Step;

BuildProgress::Snapshot SnapshotAt(Step step, size_t done, size_t total, std::chrono::steady_clock::time_point started) {
  BuildProgress::Snapshot s;
  s.step = step;
  s.done = done;
  s.total = total;
  s.step_started = started;
  return s;
}

// Everything in the pipe so far, without blocking.
std::string Drain(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(ProgressPrinter, LineSaysDoneOfTotalRateAndTimeLeft) {
  const auto t0 = std::chrono::steady_clock::now();
  // 12,345 pages in 5 s: 2,469 a second; 87,655 left take 35.5 s, shown rounded up.
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kRendering, 12345, 100000, t0), t0 + 5s),
            "kiln: rendering 12,345 of 100,000 pages, 2,469 pages/s, 36 s left");
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kWriting, 500, 1000, t0), t0 + 100s),
            "kiln: writing 500 of 1,000 files, 5 files/s, 1 min 40 s left");
}

TEST(ProgressPrinter, NoRateBeforeAQuarterSecondOrTheFirstPage) {
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kRendering, 10, 100, t0), t0 + 100ms), "kiln: rendering 10 of 100 pages");
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kRendering, 0, 100, t0), t0 + 10s), "kiln: rendering 0 of 100 pages");
}

TEST(ProgressPrinter, NoTimeLeftWhenAllAreDone) {
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kRendering, 100, 100, t0), t0 + 1s), "kiln: rendering 100 of 100 pages, 100 pages/s");
}

TEST(ProgressPrinter, StepsWithoutCountsAreNamedAndTheEndsSayNothing) {
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kLoading, 0, 0, t0), t0), "kiln: loading the site");
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kSaving, 0, 0, t0), t0), "kiln: saving the build state");
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kStarting, 0, 0, t0), t0), "");
  EXPECT_EQ(FormatProgress(SnapshotAt(Step::kFinished, 0, 0, t0), t0), "");
}

class ProgressPrinterPipe : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(::pipe2(fds_, O_NONBLOCK | O_CLOEXEC), 0); }
  void TearDown() override {
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  int fds_[2];
};

// A step that begins wakes the printer at once: the line is drawn without
// waiting for the next tick (here ticks are a minute apart), and erased at
// Stop(), leaving the cursor at the start of an empty line.
TEST_F(ProgressPrinterPipe, DrawsWhenAStepBeginsAndErasesAtStop) {
  BuildProgress progress;
  ProgressPrinter printer(&progress, fds_[1], 0ms, 60s);
  printer.Start();
  progress.BeginStep(Step::kRendering, 3);
  progress.CountOne();
  std::string drawn;
  for (int i = 0; i < 500 && drawn.find("of 3 pages") == std::string::npos; ++i) {
    drawn += Drain(fds_[0]);
    std::this_thread::sleep_for(10ms);  // polling a pipe: nothing to wait on
  }
  progress.BeginStep(Step::kFinished);
  printer.Stop();
  drawn += Drain(fds_[0]);
  EXPECT_NE(drawn.find("\rkiln: rendering "), std::string::npos) << drawn;
  EXPECT_NE(drawn.find(" of 3 pages\x1b[K"), std::string::npos) << drawn;
  EXPECT_TRUE(drawn.ends_with("\r\x1b[K")) << drawn;
}

// A build that ends before the delay prints nothing, and Stop() does not
// wait for the delay or a tick: a no-op build must not get slower.
TEST_F(ProgressPrinterPipe, QuickBuildPrintsNothingAndStopsAtOnce) {
  BuildProgress progress;
  ProgressPrinter printer(&progress, fds_[1], 60s, 60s);
  printer.Start();
  progress.BeginStep(Step::kLoading);
  progress.BeginStep(Step::kRendering, 10);
  progress.BeginStep(Step::kFinished);
  const auto before = std::chrono::steady_clock::now();
  printer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);
  EXPECT_EQ(Drain(fds_[0]), "");
}

}  // namespace
}  // namespace kiln
