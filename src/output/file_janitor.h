// Deletes files on a thread of its own. SiteWriter replaces a page by
// exchanging the new file with the old one (renameat2 RENAME_EXCHANGE) and
// leaves the old one in the temporary folder: freeing an old file's blocks
// waited 1 to 3.5 ms for the disk on the 2-core test machine (ext4,
// `discard`), against 0.03 ms for the exchange, and a comment re-renders 3
// to 5 pages. A build hands its retired files here right after its writes:
// `kiln build` has them deleted while it saves its state and waits for that
// before it exits; the server's janitor outlives the build, so a request
// waiting for the build is answered without waiting for them. A process
// killed before they are deleted leaves them in the temporary folder: the
// next build that loads the site from its files (`kiln build`, a server
// start) empties it.
#pragma once

#include <condition_variable>
#include <deque>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kiln {

class FileJanitor {
 public:
  FileJanitor() = default;
  // Deletes what is still queued, then returns.
  ~FileJanitor();
  FileJanitor(const FileJanitor&) = delete;
  FileJanitor& operator=(const FileJanitor&) = delete;

  // Queues `paths` for deletion; returns at once. A path already gone is
  // skipped silently (a leftover sweep may have taken it).
  void Delete(std::vector<std::filesystem::path> paths);

  // Returns once everything queued so far is deleted.
  void Wait();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_, idle_;
  std::deque<std::filesystem::path> queue_;
  bool busy_ = false;
  bool stopping_ = false;
  std::thread thread_;  // started by the first Delete
};

}  // namespace kiln
