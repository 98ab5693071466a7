#include "serve/rebuild_coordinator.h"

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

void RebuildCoordinator::RunWorker() {
  for (;;) {
    std::vector<RebuildJob> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        // stopping_ and nothing left: from now on Submit answers at once.
        stopped_ = true;
        return;
      }
      batch.swap(queue_);
    }
    RunBatch(batch);
  }
}

void RebuildCoordinator::RunBatch(std::vector<RebuildJob>& batch) {
  std::vector<JobResult> results(batch.size());
  bool need_build = false;
  for (size_t i = 0; i < batch.size(); ++i) {
    bool needs = true;
    if (batch[i].prepare) results[i].prepared = batch[i].prepare(&needs);
    need_build |= needs && results[i].prepared.ok();
  }
  if (need_build) {
    auto report = std::make_shared<BuildReport>();
    Status status;
    try {
      status = build_(report.get());
    } catch (const std::exception& e) {
      // The engine converts library exceptions to Status; this is the last
      // line that keeps a bug there from taking the server down.
      status = Status::Io(std::string("build failed: ") + e.what());
    }
    {
      std::lock_guard lock(mutex_);
      ++builds_;
    }
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
