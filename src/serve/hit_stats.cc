// Implementation details: the thread-local map of a thread that served
// pages for an instance since destroyed is cleared the next time it counts
// for another instance (ids are never reused), so no pointer into a dead
// registry is followed. A page already seen by this thread costs a memchr
// for '?', one XXH3 of the path, one probe and one relaxed fetch_add.
#include "serve/hit_stats.h"

#include <algorithm>
#include <chrono>
#include <functional>

#include "engine/build.h"
#include "serve/path_resolver.h"
#include "util/hash.h"

namespace kiln {
namespace {

std::atomic<uint64_t> next_instance_id{1};

int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// True when decoding `path` would give it back unchanged: no escape, no
// empty segment, no segment starting with '.'. Only targets that were served
// are counted, so a raw byte NormalizeTarget rejects never gets here. Two
// memchr-style scans instead of a test per character (440 instructions for
// a 37-byte path, callgrind); only on a thread's first sight of a spelling.
bool IsCanonicalPath(std::string_view path) {
  if (path.empty() || path[0] != '/' || path.find('%') != std::string_view::npos) return false;
  for (size_t slash = 0; slash != std::string_view::npos; slash = path.find('/', slash + 1)) {
    if (slash + 1 < path.size() && (path[slash + 1] == '/' || path[slash + 1] == '.')) return false;
  }
  return true;
}

void Add(std::atomic<uint64_t>& counter, uint64_t n = 1) {
  counter.fetch_add(n, std::memory_order_relaxed);
}

uint64_t Get(const std::atomic<uint64_t>& counter) { return counter.load(std::memory_order_relaxed); }

}  // namespace

bool PageKeyOf(std::string_view target, std::string* key) {
  std::string_view path = target.substr(0, target.find('?'));
  if (IsCanonicalPath(path)) {
    key->assign(path);
  } else {
    NormalizedTarget normalized;
    if (!NormalizeTarget(target, &normalized).ok()) return false;
    key->assign("/");
    key->append(normalized.path);
    if (normalized.trailing_slash && !normalized.path.empty()) key->push_back('/');
  }
  constexpr std::string_view kIndex = "/index.html";
  if (key->ends_with(kIndex)) key->resize(key->size() - kIndex.size() + 1);
  return true;
}

void LatencyHistogram::Record(int64_t nanos) {
  if (nanos < 0) nanos = 0;
  const double seconds = static_cast<double>(nanos) / 1e9;
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  Add(buckets_[i]);
  Add(sum_nanos_, static_cast<uint64_t>(nanos));
}

HistogramSnapshot LatencyHistogram::Read() const {
  HistogramSnapshot out;
  out.bounds.assign(kBounds.begin(), kBounds.end());
  for (const auto& bucket : buckets_) {
    out.buckets.push_back(Get(bucket));
    out.count += out.buckets.back();
  }
  out.sum_seconds = static_cast<double>(Get(sum_nanos_)) / 1e9;
  return out;
}

HitStats::HitStats() : id_(next_instance_id.fetch_add(1)), started_at_(UnixSeconds()) {}

HitStats::~HitStats() = default;

HitStats::PageCounters* HitStats::CountersOf(const std::string& url) {
  std::lock_guard lock(mutex_);
  auto& slot = pages_[url];
  if (!slot) slot = std::make_unique<PageCounters>();
  return slot.get();
}

void HitStats::RecordPage(std::string_view target, int status) {
  if (status != 200 && status != 304 && status != 206) return;
  // Keyed by the path as sent, looked up without a copy; only canonical
  // spellings are kept (at most two per file: "/a/" and "/a/index.html"),
  // so a client inventing escapes cannot grow the map: those take
  // PageKeyOf on every request instead.
  // XXH3: 115 instructions a request with std::hash's murmur for a 37-byte
  // path, about 30 with XXH3 (callgrind). Only served paths are keys, so
  // there is nothing to flood.
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return HashBytes(s); }
  };
  struct Local {
    uint64_t owner = 0;
    std::unordered_map<std::string, PageCounters*, Hash, std::equal_to<>> pages;
    std::string key;
  };
  thread_local Local local;
  if (local.owner != id_) {
    local.pages.clear();
    local.owner = id_;
  }
  const std::string_view path = target.substr(0, target.find('?'));
  PageCounters* page;
  if (auto it = local.pages.find(path); it != local.pages.end()) {
    page = it->second;
  } else {
    if (!PageKeyOf(path, &local.key)) return;
    page = CountersOf(local.key);
    if (IsCanonicalPath(path)) local.pages.emplace(path, page);
  }
  Add(status == 200 ? page->ok : status == 304 ? page->not_modified : page->partial);
}

void HitStats::RecordAnswer(int status, int64_t nanos) {
  Add(by_status_[status >= 0 && status < 600 ? status : 0]);
  latency_.Record(nanos);
}

void HitStats::RecordComment(bool accepted, int64_t nanos) {
  Add(accepted ? comments_accepted_ : comments_rejected_);
  comment_latency_.Record(nanos);
  uint64_t n = static_cast<uint64_t>(std::max<int64_t>(nanos, 0));
  uint64_t seen = comment_max_nanos_.load(std::memory_order_relaxed);
  while (n > seen && !comment_max_nanos_.compare_exchange_weak(seen, n, std::memory_order_relaxed)) {
  }
}

void HitStats::RecordBuild(bool ok, const BuildReport& report) {
  Add(builds_);
  if (!ok) {
    Add(builds_failed_);
    return;
  }
  Add(pages_rendered_, report.rendered.size());
  Add(pages_reused_, report.unchanged);
  for (const std::string& url : report.rendered) Add(CountersOf(url)->regenerations);
}

void HitStats::RecordPurge(uint64_t sent, uint64_t failed) {
  Add(purges_sent_, sent);
  Add(purges_failed_, failed);
}

void HitStats::RecordNotification(bool delivered, bool failed_attempt, bool dropped) {
  if (delivered) Add(notifications_sent_);
  if (failed_attempt) Add(notifications_failed_);
  if (dropped) Add(notifications_dropped_);
}

double HitStats::TakeCommentMaxMs() {
  return static_cast<double>(comment_max_nanos_.exchange(0, std::memory_order_relaxed)) / 1e6;
}

StatsSnapshot HitStats::Snapshot() const {
  StatsSnapshot s;
  s.started_at = started_at_;
  s.taken_at = UnixSeconds();
  for (int status = 0; status < static_cast<int>(by_status_.size()); ++status) {
    uint64_t n = Get(by_status_[status]);
    if (n == 0) continue;
    s.by_status.emplace_back(status, n);
    s.requests += n;
  }
  s.latency = latency_.Read();
  s.comment_latency = comment_latency_.Read();
  s.builds = Get(builds_);
  s.builds_failed = Get(builds_failed_);
  s.pages_rendered = Get(pages_rendered_);
  s.pages_reused = Get(pages_reused_);
  s.purges_sent = Get(purges_sent_);
  s.purges_failed = Get(purges_failed_);
  s.notifications_sent = Get(notifications_sent_);
  s.notifications_failed = Get(notifications_failed_);
  s.notifications_dropped = Get(notifications_dropped_);
  s.comments_accepted = Get(comments_accepted_);
  s.comments_rejected = Get(comments_rejected_);
  {
    std::lock_guard lock(mutex_);
    s.pages.reserve(pages_.size());
    for (const auto& [url, c] : pages_) {
      s.pages.push_back({url, Get(c->ok), Get(c->not_modified), Get(c->partial), Get(c->regenerations)});
    }
  }
  std::sort(s.pages.begin(), s.pages.end(), [](const PageFigures& a, const PageFigures& b) {
    return a.hits() != b.hits() ? a.hits() > b.hits() : a.url < b.url;
  });
  for (const PageFigures& p : s.pages) {
    s.page_hits += p.hits();
    s.regenerations += p.regenerations;
  }
  return s;
}

}  // namespace kiln
