// How far a running build has got, for a progress display on another thread
// (issue 8: "long builds show progress on a terminal"; the command line's
// output/progress_printer.h reads it).
//
// The build only stores into atomics: a step change, and one relaxed
// increment per page rendered or file written. Nobody waits for the reader,
// so a build reports at no measurable cost whether or not anything reads.
// A reader may poll Read() at any time from any thread, or wait in
// WaitForStep() to hear at once that a step began.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>

namespace kiln {

class BuildProgress {
 public:
  // The steps worth naming to someone watching (engine/build.cc has finer
  // ones). Only kRendering and kWriting have counts.
  enum class Step { kStarting, kLoading, kRendering, kWriting, kSaving, kFinished };

  struct Snapshot {
    Step step = Step::kStarting;
    size_t done = 0;   // pages rendered, files written: of this step
    size_t total = 0;  // of this step; 0 when it has none
    std::chrono::steady_clock::time_point step_started;
  };

  // Called by the build (any thread for CountOne).
  void BeginStep(Step step, size_t total = 0);
  void CountOne() { done_.fetch_add(1, std::memory_order_relaxed); }

  // Called by the reader.
  Snapshot Read() const;
  // Returns once the step is no longer `seen` or `timeout` has passed.
  void WaitForStep(Step seen, std::chrono::milliseconds timeout) const;

 private:
  mutable std::mutex mutex_;  // guards step_, total_, started_; the cv's
  mutable std::condition_variable changed_;
  Step step_ = Step::kStarting;
  size_t total_ = 0;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::atomic<size_t> done_{0};
};

}  // namespace kiln
