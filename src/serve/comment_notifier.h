// Announces new comments to [notify] url (issue 9, "Notifications": "a
// comment held for moderation (or any new comment, as configured) is
// announced by an HMAC-signed POST to a configured URL through libcurl,
// retried, never blocking the comment's answer"). The request is in
// comment_notification.h.
//
// Enqueue only takes a lock and appends: the comment's answer never waits
// for the network. One thread of its own sends, one notification at a
// time, in order of when each is due; a failed attempt (no connection, a
// timeout, an answer other than 2xx) is tried again after retry_ms, then
// twice that, … (at most 5 minutes apart), up to `retries` times, so a
// notification for a comment made while the endpoint was down arrives once
// it is back within that window. What cannot be kept is dropped, counted
// and logged, never silently: a full queue (queue_size) drops the new
// notification; one that used every attempt is dropped; Stop makes one
// last attempt at each one still queued, within a bounded time.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "load/config.h"
#include "store/comment_store.h"

namespace kiln {

class CommentNotifier {
 public:
  // What happened to one attempt, for the server's counters and log.
  struct Outcome {
    int64_t comment_id = 0;
    bool delivered = false;  // answered 2xx
    bool dropped = false;    // not delivered and given up (or never queued)
    int attempt = 0;         // 1 for the first
    std::string error;       // why it failed, when it did
  };
  using Reporter = std::function<void(const Outcome&)>;

  // `secret` is the HMAC key (not empty); `site_origin` is base_url without
  // its path ("https://blog.example"), put before each post link. The
  // reporter runs on the notifier's thread (and on Enqueue's, for a full
  // queue). Starts the thread.
  CommentNotifier(NotifyConfig config, std::string secret, std::string site_origin, Reporter reporter);
  ~CommentNotifier();  // Stop()
  CommentNotifier(const CommentNotifier&) = delete;
  CommentNotifier& operator=(const CommentNotifier&) = delete;

  // True when [notify] events names this comment's status.
  bool Wants(const Comment& comment) const;

  // Thread-safe and never blocking on the network. Queues the notification
  // of `comment` (when Wants it) with `link_path`, the post's path on the
  // site ("/blog/posts/a/"). False when it was dropped (queue full, or
  // stopping).
  bool Enqueue(const Comment& comment, const std::string& link_path);

  // Notifications queued or in flight.
  size_t pending() const;

  // One last attempt at each queued notification (no waiting for retry
  // times), for at most max(timeout_ms, 5 s) in all; the rest are dropped
  // and reported. Then joins the thread. Idempotent.
  void Stop();

 private:
  struct Pending {
    Comment comment;
    std::string link;
    int attempts = 0;
    std::chrono::steady_clock::time_point due;
  };

  void Run();
  // One POST; empty when it was answered 2xx, else why not.
  std::string Send(const Pending& pending) const;
  void Report(const Pending& pending, bool delivered, bool dropped, const std::string& error);
  std::chrono::milliseconds Backoff(int attempts) const;

  const NotifyConfig config_;
  const std::string secret_;
  const std::string origin_;
  Reporter reporter_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> queue_;  // small (queue_size); the earliest due is found by a scan
  size_t in_flight_ = 0;
  bool stopping_ = false;
  std::thread worker_;  // last: starts once the rest is built
};

// base_url without its path: "https://blog.example/blog/" -> "https://blog.example".
std::string SiteOrigin(const std::string& base_url);

}  // namespace kiln
