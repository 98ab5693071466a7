#include "engine/build_progress.h"

namespace kiln {

// A step begins a few times per build, so a mutex there costs nothing; the
// per-page count stays a lone atomic. The count is reset before the step is
// published, so a reader never sees the last step's count under the new
// step's total.
void BuildProgress::BeginStep(Step step, size_t total) {
  {
    std::lock_guard lock(mutex_);
    done_.store(0, std::memory_order_relaxed);
    step_ = step;
    total_ = total;
    started_ = std::chrono::steady_clock::now();
  }
  changed_.notify_all();
}

BuildProgress::Snapshot BuildProgress::Read() const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  s.step = step_;
  s.total = total_;
  s.step_started = started_;
  s.done = done_.load(std::memory_order_relaxed);
  if (s.done > s.total) s.done = s.total;
  return s;
}

void BuildProgress::WaitForStep(Step seen, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, timeout, [&] { return step_ != seen; });
}

}  // namespace kiln
