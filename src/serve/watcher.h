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
// once. When every path the events named is settled, and they are few (an
// editor's save, not a checkout), `settle_ms` of quiet is enough: a file
// written and closed, or renamed into place, is whole, and what an editor
// does after its save follows within a millisecond or two. A path is not
// settled while it may still be written (created or modified, not yet
// closed; a folder just made, whose first files may have come before its
// watch), or after it was deleted or renamed away (a save that renames the
// old file aside and writes a new one in its place has not finished yet);
// one that appeared and vanished within the burst (an editor's temporary
// file) is settled. At 4,000 posts, a body edit under `kiln serve --watch`
// waited the whole 100 ms of quiet before its build (about 40 ms) began
// (docs/benchmarks.md).
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
          int max_wait_ms = 2000, int settle_ms = 15);
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
  // Notes what the event `mask` says about `path` (settled or not).
  void Note(const std::string& path, uint32_t mask);
  // Every path named since the last report is settled (see above).
  bool Settled() const;

  // What the events since the last report say about a path.
  struct PathState {
    bool settled = false;
    bool appeared = false;  // its first event since the last report made it
  };

  std::filesystem::path root_;
  ChangeCallback on_change_;
  int quiet_ms_;
  int max_wait_ms_;
  int settle_ms_;
  std::map<std::string, PathState> paths_;  // named since the last report
  int inotify_fd_ = -1;
  int stop_fd_ = -1;  // eventfd that wakes the thread for Stop()
  std::map<int, std::filesystem::path> watches_;  // wd -> folder, relative to root
  std::thread thread_;
};

}  // namespace kiln
