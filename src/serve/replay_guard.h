// What POST /api/rebuild already accepted, so a captured signed call cannot
// be sent again (SPEC.md, "The server": kiln's form is "refused when the
// timestamp is more than 300 s away or was already used"; GitHub's needs "a
// X-GitHub-Delivery id that was not seen before"). Issue 7: before this,
// 400 replays of one signed call ran 400 builds.
//
// Only calls whose signature was verified are remembered, so memory is
// bounded by what holders of the secret send, and capped besides:
//   - kiln's form: one entry per accepted (timestamp, signature) whose
//     timestamp is inside the window; entries that left the window are
//     dropped (the window refuses them anyway). Past kMaxRemembered, the
//     oldest are forgotten and every timestamp up to theirs is refused from
//     then on, so forgetting never re-opens a replay.
//   - GitHub's form carries no time: the last kMaxRemembered delivery ids
//     are remembered, the oldest forgotten first.
// Memory only: a restarted server forgets, so within 300 s of a restart a
// kiln-form call, and any older GitHub delivery, could be accepted once more.
// Thread-safe.
#pragma once

#include <climits>
#include <cstdint>
#include <deque>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>

namespace kiln {

class ReplayGuard {
 public:
  static constexpr int64_t kWindowSeconds = 300;
  static constexpr size_t kMaxRemembered = 10000;
  static constexpr size_t kMaxDeliveryIdBytes = 128;  // GitHub's are 36-byte GUIDs

  // Takes `max_remembered` entries of each kind; the default in production.
  explicit ReplayGuard(size_t max_remembered = kMaxRemembered) : max_(max_remembered) {}

  // kiln's form, after its signature was verified. True, and remembered,
  // when `timestamp` is at most kWindowSeconds from `now` and this
  // (timestamp, digest) was not accepted before; else false with `*why`.
  // `digest` is the signature's HMAC in any stable spelling (lower-case hex).
  bool AcceptSigned(int64_t timestamp, const std::string& digest, int64_t now, std::string* why);

  // GitHub's form, after its signature was verified. True, and remembered,
  // when `delivery_id` is not empty and not among the remembered ids.
  bool AcceptDelivery(const std::string& delivery_id, std::string* why);

 private:
  void ForgetOutsideWindow(int64_t now);

  const size_t max_;
  std::mutex mutex_;
  std::set<std::pair<int64_t, std::string>> signed_;  // (timestamp, digest), oldest first
  int64_t refused_up_to_ = INT64_MIN;  // timestamps at or below: forgotten, refused
  std::deque<std::string> delivery_order_;
  std::unordered_set<std::string> deliveries_;
};

}  // namespace kiln
