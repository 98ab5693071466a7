// The progress line of a long `kiln build` on a terminal (issue 8), as
// ninja and Hugo show one: pages rendered of the total, the rate and the
// time left, one line redrawn in place (util/status_line.h), erased when
// the build ends so that the summary line follows as if it had never been
// there.
//
// A thread of its own reads the build's counters (engine/build_progress.h):
// the render threads never wait for it. It draws nothing before `delay`
// has passed since Start(), so a build that ends sooner (a no-op, a
// comment) prints nothing extra; then at most once per `interval`, plus
// once when a step begins. The caller decides whether to show progress at
// all: only when stderr is a smart terminal and not --quiet (main.cc).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/build_progress.h"
#include "util/status_line.h"

namespace kiln {

class ProgressPrinter {
 public:
  // `progress` must outlive Stop(). Draws on `fd`.
  ProgressPrinter(const BuildProgress* progress, int fd, std::chrono::milliseconds delay,
                  std::chrono::milliseconds interval = std::chrono::milliseconds(100));
  ~ProgressPrinter();  // Stop()s

  void Start();
  // Waits for the thread to end (the build must have reached kFinished, or
  // it ends within `interval`) and erases the line.
  void Stop();

 private:
  void Run();
  const BuildProgress* progress_;
  StatusLine line_;
  std::chrono::milliseconds delay_, interval_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

// The text of the line for `s` at `now` (no "\r" or escapes): e.g.
// "kiln: rendering 12,345 of 100,000 pages, 2,345 pages/s, 38 s left".
// Empty for a step with nothing to say (kStarting, kFinished).
std::string FormatProgress(const BuildProgress::Snapshot& s, std::chrono::steady_clock::time_point now);

}  // namespace kiln
