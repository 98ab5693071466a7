#include "serve/replay_guard.h"

#include <algorithm>

namespace kiln {

void ReplayGuard::ForgetOutsideWindow(int64_t now) {
  while (!signed_.empty() && signed_.begin()->first < now - kWindowSeconds) {
    signed_.erase(signed_.begin());
  }
}

bool ReplayGuard::AcceptSigned(int64_t timestamp, const std::string& digest, int64_t now,
                               std::string* why) {
  if (timestamp < now - kWindowSeconds || timestamp > now + kWindowSeconds) {
    *why = "X-Kiln-Timestamp is " + std::to_string(timestamp > now ? timestamp - now : now - timestamp) +
           " s away from the server's clock (at most " + std::to_string(kWindowSeconds) +
           " s): sign each call with the current time";
    return false;
  }
  std::lock_guard lock(mutex_);
  ForgetOutsideWindow(now);
  if (timestamp <= refused_up_to_) {
    *why = "too many signed calls in the last " + std::to_string(kWindowSeconds) +
           " s: sign with the current time";
    return false;
  }
  if (!signed_.emplace(timestamp, digest).second) {
    *why = "this signed call was already used: sign each call with a new X-Kiln-Timestamp";
    return false;
  }
  while (signed_.size() > max_) {
    refused_up_to_ = std::max(refused_up_to_, signed_.begin()->first);
    signed_.erase(signed_.begin());
  }
  return true;
}

bool ReplayGuard::AcceptDelivery(const std::string& delivery_id, std::string* why) {
  if (delivery_id.empty() || delivery_id.size() > kMaxDeliveryIdBytes) {
    *why = "X-Hub-Signature-256 needs an X-GitHub-Delivery id (at most " +
           std::to_string(kMaxDeliveryIdBytes) + " bytes)";
    return false;
  }
  std::lock_guard lock(mutex_);
  if (!deliveries_.insert(delivery_id).second) {
    *why = "this X-GitHub-Delivery id was already used";
    return false;
  }
  delivery_order_.push_back(delivery_id);
  while (delivery_order_.size() > max_) {
    deliveries_.erase(delivery_order_.front());
    delivery_order_.pop_front();
  }
  return true;
}

}  // namespace kiln
