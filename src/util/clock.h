// Time, behind an interface so tests can pin "now" (drafts and future-dated
// posts depend on it). The real clock honours KILN_NOW (ISO 8601 UTC) so that
// whole-binary tests can pin it too.
#pragma once

#include <cstdint>

namespace kiln {

class Clock {
 public:
  virtual ~Clock() = default;
  // Seconds since the Unix epoch, UTC.
  virtual int64_t NowSeconds() const = 0;
};

class RealClock : public Clock {
 public:
  int64_t NowSeconds() const override;
};

// Used for tests.
class FakeClock : public Clock {
 public:
  explicit FakeClock(int64_t now) : now_(now) {}
  int64_t NowSeconds() const override { return now_; }
  void Set(int64_t now) { now_ = now; }

 private:
  int64_t now_;
};

}  // namespace kiln
