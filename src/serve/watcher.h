// Watches a site's sources for `kiln serve --watch` (issue 3, "Preview":
// "watch content/, templates/, static/ and kiln.toml (inotify), rebuild
// incrementally on change (debounced)").
//
// Folders are watched recursively, including folders created later. In the
// site root only kiln.toml counts (and the creation of one of the three
// folders): kiln.db and site/, which every build writes, must not trigger
// builds. Changes are debounced: after the first event the watcher waits
// until `quiet_ms` pass without another (an editor's save is several
// events; `git checkout` is hundreds), at most `max_wait_ms`, then reports
// once.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "util/status.h"

namespace kiln {

class Watcher {
 public:
  // `on_change` runs on the watcher's thread with the changed paths
  // (relative to the site root, sorted, unique).
  using ChangeCallback = std::function<void(const std::vector<std::string>& changed)>;

  Watcher(std::filesystem::path site_root, ChangeCallback on_change, int quiet_ms = 100,
          int max_wait_ms = 2000);
  // Stops if still running.
  ~Watcher();

  // Sets up inotify and starts the thread. kIo when inotify is unavailable.
  Status Start();
  // Idempotent; returns once the thread has ended.
  void Stop();

 private:
  void Run();
  void AddTree(const std::filesystem::path& dir);
  void AddWatch(const std::filesystem::path& dir);
  // Reads the pending events; appends what they name to `changed`.
  void Drain(std::vector<std::string>* changed);

  std::filesystem::path root_;
  ChangeCallback on_change_;
  int quiet_ms_;
  int max_wait_ms_;
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes the thread for Stop()
  std::map<int, std::filesystem::path> watches_;  // wd -> folder, relative to root
  std::thread thread_;
};

}  // namespace kiln
