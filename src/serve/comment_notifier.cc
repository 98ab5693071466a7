// Implementation notes: libcurl's easy interface, one request at a time on
// the notifier's thread. Notifications are rare (one per comment) and a
// receiver is one endpoint, so the multi interface the purger needs for
// hundreds of parallel purges would buy nothing here. Each attempt signs
// with its own timestamp, so a retry minutes later still passes a
// receiver's freshness check (300 s, as kiln's webhook allows).
#include "serve/comment_notifier.h"

#include <algorithm>
#include <ctime>

#include "serve/comment_notification.h"
#include "util/curl_library.h"

namespace kiln {
namespace {

size_t DiscardReceiverReply(char*, size_t size, size_t n, void*) { return size * n; }

constexpr auto kMaxBackoff = std::chrono::minutes(5);
constexpr auto kMinStopBudget = std::chrono::seconds(5);

}  // namespace

std::string SiteOrigin(const std::string& base_url) {
  const size_t scheme = base_url.find("://");
  const size_t path = base_url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return path == std::string::npos ? base_url : base_url.substr(0, path);
}

CommentNotifier::CommentNotifier(NotifyConfig config, std::string secret, std::string site_origin,
                                 Reporter reporter)
    : config_(std::move(config)), secret_(std::move(secret)), origin_(std::move(site_origin)),
      reporter_(std::move(reporter)) {
  worker_ = std::thread([this] { Run(); });
}

CommentNotifier::~CommentNotifier() { Stop(); }

bool CommentNotifier::Wants(const Comment& comment) const {
  return std::find(config_.events.begin(), config_.events.end(), comment.status) != config_.events.end();
}

bool CommentNotifier::Enqueue(const Comment& comment, const std::string& link_path) {
  if (!Wants(comment)) return true;
  Pending pending{comment, origin_ + link_path + "#comment-" + std::to_string(comment.id), 0,
                  std::chrono::steady_clock::now()};
  bool stopping;
  {
    std::lock_guard lock(mutex_);
    stopping = stopping_;
    if (!stopping && queue_.size() + in_flight_ < static_cast<size_t>(config_.queue_size)) {
      queue_.push_back(std::move(pending));
      wake_.notify_one();
      return true;
    }
  }
  Report(pending, false, true, stopping ? "the server is stopping" : "the queue is full");
  return false;
}

size_t CommentNotifier::pending() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + in_flight_;
}

void CommentNotifier::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (worker_.joinable()) worker_.join();
}

std::chrono::milliseconds CommentNotifier::Backoff(int attempts) const {
  auto delay = std::chrono::milliseconds(config_.retry_ms);
  for (int i = 1; i < attempts && delay < kMaxBackoff; ++i) delay *= 2;
  return std::min<std::chrono::milliseconds>(delay, kMaxBackoff);
}

void CommentNotifier::Run() {
  std::chrono::steady_clock::time_point stop_deadline{};
  std::unique_lock lock(mutex_);
  for (;;) {
    // The earliest due; on stopping every one is due at once.
    auto next = std::min_element(queue_.begin(), queue_.end(),
                                 [](const Pending& a, const Pending& b) { return a.due < b.due; });
    if (next == queue_.end()) {
      if (stopping_) return;
      wake_.wait(lock);
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (stopping_ && stop_deadline == decltype(stop_deadline){}) {
      stop_deadline = now + std::max<std::chrono::milliseconds>(std::chrono::milliseconds(config_.timeout_ms),
                                                                kMinStopBudget);
    }
    if (stopping_ && now >= stop_deadline) {
      for (const Pending& p : queue_) Report(p, false, true, "not delivered before the server stopped");
      queue_.clear();
      return;
    }
    if (!stopping_ && next->due > now) {
      wake_.wait_until(lock, next->due);
      continue;
    }
    Pending pending = std::move(*next);
    queue_.erase(next);
    ++in_flight_;
    lock.unlock();
    ++pending.attempts;
    const std::string error = Send(pending);
    const bool last = !error.empty() && (pending.attempts > config_.retries || stopping_);
    Report(pending, error.empty(), last, error);
    lock.lock();
    --in_flight_;
    if (!error.empty() && !last) {
      pending.due = std::chrono::steady_clock::now() + Backoff(pending.attempts);
      queue_.push_back(std::move(pending));
    }
  }
}

std::string CommentNotifier::Send(const Pending& pending) const {
  std::string error;
  const CurlLibrary* lib = Curl(&error);
  if (!lib) return error;
  CURL* curl = lib->easy_init();
  if (!curl) return "curl_easy_init failed";
  const std::string body = NotificationBody(pending.comment, pending.link);
  curl_slist* headers = nullptr;
  for (const auto& [name, value] : NotificationHeaders(pending.comment, body, secret_, std::time(nullptr))) {
    headers = lib->slist_append(headers, (name + ": " + value).c_str());
  }
  headers = lib->slist_append(headers, "Expect:");  // no 100-continue round trip
  lib->easy_setopt(curl, CURLOPT_URL, config_.url.c_str());
  lib->easy_setopt(curl, CURLOPT_POST, 1L);
  lib->easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  lib->easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  lib->easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  // A proxy from the environment is used for the internet, never for loopback.
  lib->easy_setopt(curl, CURLOPT_NOPROXY, "127.0.0.1,localhost,::1");
  lib->easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  lib->easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  lib->easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.timeout_ms));
  lib->easy_setopt(curl, CURLOPT_WRITEFUNCTION, DiscardReceiverReply);
  const CURLcode code = lib->easy_perform(curl);
  long status = 0;
  lib->easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  lib->slist_free_all(headers);
  lib->easy_cleanup(curl);
  if (code != CURLE_OK) return lib->easy_strerror(code);
  if (status < 200 || status > 299) return "HTTP " + std::to_string(status);
  return "";
}

void CommentNotifier::Report(const Pending& pending, bool delivered, bool dropped, const std::string& error) {
  if (!reporter_) return;
  reporter_(Outcome{pending.comment.id, delivered, dropped, pending.attempts, error});
}

}  // namespace kiln
