#include "edge/purge_queue.h"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

namespace kiln {

class PurgeQueue::Endpoint {
 public:
  Endpoint(EdgeConfig config, std::string host, Reporter* reporter)
      : config_(std::move(config)), host_(std::move(host)), reporter_(reporter),
        worker_([this] { Run(); }) {}

  ~Endpoint() { Stop(); }

  // An invalid future once stopping.
  std::future<void> Submit(const PurgeTarget& target) {
    std::future<void> done;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return done;
      queue_.push_back(Pending{target, {}});
      done = queue_.back().done.get_future();
    }
    wake_.notify_one();
    return done;
  }

  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    if (worker_.joinable()) worker_.join();
  }

 private:
  struct Pending {
    PurgeTarget target;
    std::promise<void> done;
  };

  void Run() {
    for (;;) {
      std::vector<Pending> round;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, nothing left
        round.swap(queue_);
      }
      PurgeTarget merged;
      for (const Pending& p : round) merged.Merge(p.target);
      PurgeResult result = SendPurges(config_, host_, merged);
      if (*reporter_) (*reporter_)(result);
      for (Pending& p : round) p.done.set_value();
    }
  }

  EdgeConfig config_;  // with this endpoint alone in `purge`
  std::string host_;
  Reporter* reporter_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::vector<Pending> queue_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts once the rest is built
};

PurgeQueue::PurgeQueue(EdgeConfig config, std::string host, Reporter reporter)
    : reporter_(std::move(reporter)), timeout_ms_(config.timeout_ms) {
  for (const std::string& endpoint : config.purge) {
    EdgeConfig one = config;
    one.purge = {endpoint};
    endpoints_.push_back(std::make_unique<Endpoint>(std::move(one), host, &reporter_));
  }
}

PurgeQueue::~PurgeQueue() { Stop(); }

bool PurgeQueue::SubmitAndWait(PurgeTarget target) {
  std::vector<std::future<void>> rounds;
  for (auto& endpoint : endpoints_) rounds.push_back(endpoint->Submit(target));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  bool all = true;
  for (auto& round : rounds) {
    all = all && round.valid() && round.wait_until(deadline) == std::future_status::ready;
  }
  return all;
}

void PurgeQueue::Stop() {
  for (auto& endpoint : endpoints_) endpoint->Stop();
}

}  // namespace kiln
