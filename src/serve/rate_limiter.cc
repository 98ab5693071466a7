#include "serve/rate_limiter.h"

#include <algorithm>
#include <iterator>

namespace kiln {
namespace {
constexpr int64_t kWindowMs = 60'000;
}

bool RateLimiter::TryAcquire(const std::string& addr, int64_t now_ms, int* retry_after_s) {
  if (per_minute_ <= 0) return true;
  std::lock_guard lock(mutex_);
  // Addresses seen once and never again would pile up: sweep them out once
  // a window.
  if (now_ms - last_prune_ms_ >= kWindowMs) Prune(now_ms);
  std::deque<int64_t>& times = recent_[addr];
  while (!times.empty() && now_ms - times.front() >= kWindowMs) times.pop_front();
  if (static_cast<int>(times.size()) >= per_minute_) {
    int64_t wait_ms = times.front() + kWindowMs - now_ms;
    *retry_after_s = static_cast<int>(std::max<int64_t>(1, (wait_ms + 999) / 1000));
    return false;
  }
  times.push_back(now_ms);
  return true;
}

void RateLimiter::Release(const std::string& addr) {
  if (per_minute_ <= 0) return;
  std::lock_guard lock(mutex_);
  auto it = recent_.find(addr);
  if (it != recent_.end() && !it->second.empty()) it->second.pop_back();
}

void RateLimiter::Prune(int64_t now_ms) {
  last_prune_ms_ = now_ms;
  for (auto it = recent_.begin(); it != recent_.end();) {
    auto& times = it->second;
    while (!times.empty() && now_ms - times.front() >= kWindowMs) times.pop_front();
    it = times.empty() ? recent_.erase(it) : std::next(it);
  }
}

size_t RateLimiter::tracked_addresses() const {
  std::lock_guard lock(mutex_);
  return recent_.size();
}

}  // namespace kiln
