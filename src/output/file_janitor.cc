#include "output/file_janitor.h"

#include <unistd.h>

namespace kiln {

FileJanitor::~FileJanitor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FileJanitor::Delete(std::vector<std::filesystem::path> paths) {
  if (paths.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto& p : paths) queue_.push_back(std::move(p));
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }
  wake_.notify_one();
}

void FileJanitor::Wait() {
  std::unique_lock<std::mutex> lock(mutex_);
  idle_.wait(lock, [this] { return queue_.empty() && !busy_; });
}

void FileJanitor::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    // Stopping still deletes what was queued: nothing is left behind by an
    // orderly exit.
    if (queue_.empty()) return;
    std::filesystem::path path = std::move(queue_.front());
    queue_.pop_front();
    busy_ = true;
    lock.unlock();
    ::unlink(path.c_str());
    lock.lock();
    busy_ = false;
    if (queue_.empty()) idle_.notify_all();
  }
}

}  // namespace kiln
