// The per-address comment rate limit (SPEC.md, kiln.toml `[comments]
// rate_limit_per_minute`: "per client address, default 5, 0 = off"; issue 3:
// "429 with Retry-After").
//
// Kept in memory, not counted in kiln.db with a query of the comments table: a
// 429 must be decided on the I/O thread without waiting for SQLite, and a
// limit that a restart forgets costs nothing a spammer can use for long. It
// is a sliding window: at most `per_minute` comments accepted from one
// address in any 60 s.
//
// The address is the TCP peer's; X-Forwarded-For is not trusted (kiln serve
// is not meant to sit behind a proxy it cannot authenticate).
#pragma once

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace kiln {

class RateLimiter {
 public:
  // `per_minute` 0 turns the limit off.
  explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}

  // Records one comment from `addr` at `now_ms` (any monotonic clock in
  // milliseconds) and returns true, or returns false without recording and
  // sets `*retry_after_s` to the whole seconds until one is allowed again
  // (at least 1). Thread-safe.
  bool TryAcquire(const std::string& addr, int64_t now_ms, int* retry_after_s);

  // Forgets the last comment recorded for `addr` (it was not stored after
  // all), so a failure on our side does not count against the client.
  void Release(const std::string& addr);

  size_t tracked_addresses() const;  // used for tests

 private:
  void Prune(int64_t now_ms);

  int per_minute_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::deque<int64_t>> recent_;  // accept times
  int64_t last_prune_ms_ = 0;
};

}  // namespace kiln
