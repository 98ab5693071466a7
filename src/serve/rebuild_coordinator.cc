#include "serve/rebuild_coordinator.h"

#include <algorithm>
#include <exception>
#include <string>

namespace kiln {

RebuildCoordinator::RebuildCoordinator(BuildFunction build, BuildListener listener)
    : build_(std::move(build)), listener_(std::move(listener)) {
  worker_ = std::thread([this] { RunWorker(); });
}

RebuildCoordinator::~RebuildCoordinator() { Stop(); }

void RebuildCoordinator::Submit(RebuildJob job) {
  {
    std::lock_guard lock(mutex_);
    if (!stopped_) {
      queue_.push_back(std::move(job));
      wake_.notify_one();
      return;
    }
  }
  JobResult result;
  result.prepared = Status::Io("server is stopping");
  if (job.done) job.done(result);
}

void RebuildCoordinator::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    wake_.notify_one();
  }
  if (worker_.joinable()) worker_.join();
}

size_t RebuildCoordinator::builds() const {
  std::lock_guard lock(mutex_);
  return builds_;
}

void RebuildCoordinator::RetryFailedBuilds(std::chrono::milliseconds first,
                                           std::chrono::milliseconds max) {
  std::lock_guard lock(mutex_);
  retry_first_ = first;
  retry_max_ = std::max(first, max);
  retry_delay_ = first;
}

void RebuildCoordinator::RunWorker() {
  for (;;) {
    std::vector<RebuildJob> batch;
    bool retry = false;
    {
      std::unique_lock lock(mutex_);
      auto ready = [this] { return stopping_ || !queue_.empty(); };
      if (retry_at_) {
        retry = !wake_.wait_until(lock, *retry_at_, ready);
      } else {
        wake_.wait(lock, ready);
      }
      if (queue_.empty() && (stopping_ || !retry)) {
        // stopping_ and nothing left: from now on Submit answers at once.
        stopped_ = true;
        return;
      }
      batch.swap(queue_);
    }
    RunBatch(batch, retry);
  }
}

void RebuildCoordinator::NoteBuildResult(const Status& status) {
  std::lock_guard lock(mutex_);
  ++builds_;
  last_failed_ = !status.ok();
  if (!last_failed_ || retry_first_.count() == 0) {
    retry_at_.reset();
    retry_delay_ = retry_first_;
    return;
  }
  retry_at_ = std::chrono::steady_clock::now() + retry_delay_;
  retry_delay_ = std::min(retry_delay_ * 2, retry_max_);
}

void RebuildCoordinator::RunBatch(std::vector<RebuildJob>& batch, bool retry) {
  std::vector<JobResult> results(batch.size());
  bool need_build = retry;
  bool last_failed;
  {
    std::lock_guard lock(mutex_);
    last_failed = last_failed_;
  }
  BuildRequest request;
  request.files_may_have_changed = retry || last_failed;
  for (size_t i = 0; i < batch.size(); ++i) {
    bool needs = true;
    if (batch[i].prepare) results[i].prepared = batch[i].prepare(&needs);
    // While the site is broken, any job is a chance to repair it.
    const bool builds = (needs || last_failed) && results[i].prepared.ok();
    need_build |= builds;
    if (builds && !batch[i].comments_only) request.files_may_have_changed = true;
  }
  if (need_build) {
    auto report = std::make_shared<BuildReport>();
    Status status;
    try {
      status = build_(request, report.get());
    } catch (const std::exception& e) {
      // The engine converts library exceptions to Status; this is the last
      // line that keeps a bug there from taking the server down.
      status = Status::Io(std::string("build failed: ") + e.what());
    }
    NoteBuildResult(status);
    if (listener_) listener_(status, *report);
    for (JobResult& result : results) {
      if (!result.prepared.ok()) continue;
      result.built = true;
      result.build = status;
      result.report = report;
    }
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (batch[i].done) batch[i].done(results[i]);
  }
}

}  // namespace kiln
