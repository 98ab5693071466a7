// Implementation details: deltas are computed against what kiln.db was
// last given (`flushed_`), not reset counters, so a failed write loses
// nothing: the next flush writes the sum. The first sample's interval
// starts when the recorder starts.
#include "serve/hit_recorder.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdio>

namespace kiln {

HitRecorder::HitRecorder(HitStats* stats, std::filesystem::path db_path, bool record,
                         std::chrono::milliseconds interval)
    : stats_(stats), db_path_(std::move(db_path)), record_(record), interval_(interval) {}

HitRecorder::~HitRecorder() { Stop(); }

void HitRecorder::Start() {
  last_ = stats_->Snapshot();
  if (record_) {
    std::vector<ServeSample> earlier;
    try {
      db_ = std::make_unique<SQLite::Database>(db_path_.string(), SQLite::OPEN_READWRITE);
      db_->setBusyTimeout(kFlushBusyMs);
      if (ReadServeSamples(db_.get(), static_cast<int>(kMaxSamples), &earlier).ok()) {
        std::lock_guard lock(mutex_);
        samples_.assign(earlier.begin(), earlier.end());
      }
    } catch (const SQLite::Exception& e) {
      std::fprintf(stderr, "kiln: hits are not recorded: %s\n", e.what());
      db_.reset();
    }
  }
  thread_ = std::thread([this] { Run(); });
}

void HitRecorder::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (thread_.joinable()) thread_.join();
}

std::vector<ServeSample> HitRecorder::Samples() const {
  std::lock_guard lock(mutex_);
  return {samples_.begin(), samples_.end()};
}

void HitRecorder::Run() {
  std::unique_lock lock(mutex_);
  for (;;) {
    // Stop wakes this early; the flush after the wait is then the last one.
    bool stop = wake_.wait_for(lock, interval_, [this] { return stopping_; });
    lock.unlock();
    SampleAndFlush();
    if (stop) return;
    lock.lock();
  }
}

ServeSample HitRecorder::TakeSample(const StatsSnapshot& now) {
  ServeSample s;
  s.at = now.taken_at;
  s.seconds = std::max<int64_t>(now.taken_at - last_.taken_at, 0);
  s.requests = static_cast<int64_t>(now.requests - last_.requests);
  s.hits = static_cast<int64_t>(now.page_hits - last_.page_hits);
  s.regenerations = static_cast<int64_t>(now.regenerations - last_.regenerations);
  s.builds = static_cast<int64_t>(now.builds - last_.builds);
  s.comments = static_cast<int64_t>(now.comment_latency.count - last_.comment_latency.count);
  s.comment_ms_sum = (now.comment_latency.sum_seconds - last_.comment_latency.sum_seconds) * 1000;
  s.comment_ms_max = stats_->TakeCommentMaxMs();
  return s;
}

void HitRecorder::SampleAndFlush() {
  StatsSnapshot now = stats_->Snapshot();
  ServeSample sample = TakeSample(now);
  last_ = now;
  {
    std::lock_guard lock(mutex_);
    samples_.push_back(sample);
    while (samples_.size() > kMaxSamples) samples_.pop_front();
  }
  if (!db_) return;
  if (sample.requests > 0 || sample.builds > 0) unwritten_.push_back(sample);
  std::vector<PageHitDelta> deltas;
  for (const PageFigures& page : now.pages) {
    const Flushed& done = flushed_[page.url];
    PageHitDelta d{page.url, static_cast<int64_t>(page.hits() - done.hits),
                   static_cast<int64_t>(page.not_modified - done.not_modified),
                   static_cast<int64_t>(page.regenerations - done.regenerations)};
    if (d.hits != 0 || d.regenerations != 0) deltas.push_back(std::move(d));
  }
  if (deltas.empty() && unwritten_.empty()) return;
  if (!Write(deltas, now.taken_at)) return;
  unwritten_.clear();
  for (const PageFigures& page : now.pages) {
    flushed_[page.url] = {page.hits(), page.not_modified, page.regenerations};
  }
}

bool HitRecorder::Write(const std::vector<PageHitDelta>& deltas, int64_t now) {
  Status s = RecordHits(db_.get(), deltas, unwritten_, now);
  if (s.ok()) {
    failures_ = 0;
    return true;
  }
  // A build saving its state can hold the lock past kFlushBusyMs once in a
  // while; say so only when it keeps happening, and once per streak.
  if (++failures_ == kFailuresBeforeWarning) {
    std::fprintf(stderr, "kiln: hits not flushed to kiln.db for %d tries (kept for the next): %s\n",
                 failures_, s.ToString().c_str());
  }
  return false;
}

}  // namespace kiln
