#include "output/progress_printer.h"

#include <cmath>
#include <cstdio>

namespace kiln {
namespace {

using SteadyClock = std::chrono::steady_clock;
using Step = BuildProgress::Step;

// 12345 -> "12,345": a six-digit count is read at a glance only grouped.
std::string Grouped(size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string Duration(double seconds) {
  const long s = std::lround(std::ceil(seconds));
  if (s < 90) return std::to_string(s) + " s";
  return std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
}

// "rendering 12,345 of 100,000 pages, 2,345 pages/s, 38 s left": the rate
// and the time left only once the step has run long enough for a rate to
// mean something (a quarter second and one item).
std::string Counted(const char* verb, const char* noun, const BuildProgress::Snapshot& s, SteadyClock::time_point now) {
  std::string text = std::string("kiln: ") + verb + " " + Grouped(s.done) + " of " + Grouped(s.total) + " " + noun;
  const double seconds = std::chrono::duration<double>(now - s.step_started).count();
  if (s.done == 0 || seconds < 0.25) return text;
  const double rate = s.done / seconds;
  text += ", " + Grouped(static_cast<size_t>(rate)) + " " + noun + "/s";
  if (s.done < s.total) text += ", " + Duration((s.total - s.done) / rate) + " left";
  return text;
}

}  // namespace

std::string FormatProgress(const BuildProgress::Snapshot& s, SteadyClock::time_point now) {
  switch (s.step) {
    case Step::kLoading: return "kiln: loading the site";
    case Step::kRendering: return Counted("rendering", "pages", s, now);
    case Step::kWriting: return Counted("writing", "files", s, now);
    case Step::kSaving: return "kiln: saving the build state";
    case Step::kStarting:
    case Step::kFinished: return "";
  }
  return "";
}

ProgressPrinter::ProgressPrinter(const BuildProgress* progress, int fd, std::chrono::milliseconds delay,
                                 std::chrono::milliseconds interval)
    : progress_(progress), line_(fd), delay_(delay), interval_(interval) {}

ProgressPrinter::~ProgressPrinter() { Stop(); }

void ProgressPrinter::Start() {
  started_ = SteadyClock::now();
  thread_ = std::thread([this] { Run(); });
}

void ProgressPrinter::Stop() {
  if (!thread_.joinable()) return;
  stopping_ = true;
  thread_.join();
  line_.Clear();
}

// Each wait ends early when a step begins (BuildProgress::WaitForStep), so
// a build that finishes ends this thread at once, and a new step is shown
// without waiting for the next tick.
void ProgressPrinter::Run() {
  std::string drawn;
  for (;;) {
    const BuildProgress::Snapshot s = progress_->Read();
    if (stopping_ || s.step == Step::kFinished) return;
    const SteadyClock::time_point now = SteadyClock::now();
    if (now < started_ + delay_) {
      progress_->WaitForStep(s.step, std::min(interval_, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                             started_ + delay_ - now) +
                                                             std::chrono::milliseconds(1)));
      continue;
    }
    std::string text = FormatProgress(s, now);
    if (!text.empty() && text != drawn) {  // a step without counts is drawn once
      line_.Draw(text);
      drawn = std::move(text);
    }
    progress_->WaitForStep(s.step, interval_);
  }
}

}  // namespace kiln
