// Implementation notes: one thread polls the inotify descriptor and an
// eventfd (for Stop). IN_Q_OVERFLOW means events were lost; it is reported
// as a change of "*", which still causes a (cheap, incremental) build.
#include "serve/watcher.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

namespace kiln {
namespace {

constexpr uint32_t kMask = IN_CLOSE_WRITE | IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM |
                           IN_MOVED_TO | IN_ATTRIB | IN_DELETE_SELF | IN_ONLYDIR;
constexpr const char* kTrees[] = {"content", "templates", "static"};

bool IsTreeName(const std::string& name) {
  return std::find(std::begin(kTrees), std::end(kTrees), name) != std::end(kTrees);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

Watcher::Watcher(std::filesystem::path site_root, ChangeCallback on_change, int quiet_ms,
                 int max_wait_ms, int settle_ms)
    : root_(std::move(site_root)),
      on_change_(std::move(on_change)),
      quiet_ms_(quiet_ms),
      max_wait_ms_(max_wait_ms),
      settle_ms_(std::min(settle_ms, quiet_ms)) {}

Watcher::~Watcher() { Stop(); }

Status Watcher::Start() {
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  stop_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (inotify_fd_ < 0 || stop_fd_ < 0) {
    return Status::Io(std::string("cannot watch files: ") + std::strerror(errno));
  }
  // The root itself: for kiln.toml, and for content/ etc. created later.
  int wd = inotify_add_watch(inotify_fd_, root_.c_str(), kMask & ~IN_MODIFY);
  if (wd < 0) return Status::Io(std::string("cannot watch ") + root_.string() + ": " + std::strerror(errno));
  watches_[wd] = "";
  for (const char* tree : kTrees) AddTree(tree);
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void Watcher::Stop() {
  if (thread_.joinable()) {
    uint64_t one = 1;
    ssize_t ignored = write(stop_fd_, &one, sizeof one);
    (void)ignored;
    thread_.join();
  }
  if (inotify_fd_ >= 0) close(inotify_fd_);
  if (stop_fd_ >= 0) close(stop_fd_);
  inotify_fd_ = stop_fd_ = -1;
}

void Watcher::AddWatch(const std::filesystem::path& dir) {
  int wd = inotify_add_watch(inotify_fd_, (root_ / dir).c_str(), kMask);
  if (wd >= 0) watches_[wd] = dir;
}

void Watcher::AddTree(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(root_ / dir, ec)) return;
  AddWatch(dir);
  for (auto it = std::filesystem::recursive_directory_iterator(root_ / dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec)) AddWatch(std::filesystem::relative(it->path(), root_, ec));
  }
}

void Watcher::Note(const std::string& path, uint32_t mask) {
  auto [it, first] = paths_.try_emplace(path);
  PathState& state = it->second;
  // Only a path the burst began with: a post deleted and made again, then
  // deleted once more, is not the burst's own.
  if (first && (mask & (IN_CREATE | IN_MOVED_TO))) state.appeared = true;
  if (mask & (IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF)) {
    // Gone: settled only if it was the burst's own (an editor's temporary
    // file); a post deleted or renamed away may be written again.
    state.settled = state.appeared;
  } else if (mask & (IN_MODIFY | IN_CREATE)) {
    // Being written: the close says when it ends. A folder made here may
    // have had files written in it before its watch was added, unseen.
    state.settled = false;
  } else if (mask & IN_ATTRIB) {
    // chmod or touch alone; a file still being written stays so.
    if (first) state.settled = true;
  } else {
    state.settled = true;  // closed after writing, or renamed into place (a folder too)
  }
}

bool Watcher::Settled() const {
  // A burst of many paths is a checkout, a copy or a script, which may
  // pause between files: it gets the whole quiet, as before.
  constexpr size_t kSettledPathsAtMost = 8;
  return paths_.size() <= kSettledPathsAtMost &&
         std::all_of(paths_.begin(), paths_.end(),
                     [](const auto& entry) { return entry.second.settled; });
}

void Watcher::Drain(std::vector<std::string>* changed) {
  alignas(inotify_event) char buf[16384];
  for (;;) {
    ssize_t n = read(inotify_fd_, buf, sizeof buf);
    if (n <= 0) return;
    for (char* p = buf; p < buf + n;) {
      auto* event = reinterpret_cast<inotify_event*>(p);
      p += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        changed->push_back("*");
        paths_["*"].settled = false;  // events were lost: the whole quiet
        continue;
      }
      auto it = watches_.find(event->wd);
      if (it == watches_.end()) continue;
      if (event->mask & IN_IGNORED) {
        watches_.erase(it);
        continue;
      }
      std::string name = event->len > 0 ? std::string(event->name) : std::string();
      const std::filesystem::path& dir = it->second;
      if (dir.empty()) {
        // Site root: kiln.toml, or a watched folder appearing/disappearing.
        if (name == "kiln.toml" || IsTreeName(name)) {
          changed->push_back(name);
          Note(name, event->mask);
        }
        if (IsTreeName(name) && (event->mask & (IN_CREATE | IN_MOVED_TO))) AddTree(name);
        continue;
      }
      std::filesystem::path path = name.empty() ? dir : dir / name;
      changed->push_back(path.string());
      Note(changed->back(), event->mask);
      if ((event->mask & IN_ISDIR) && (event->mask & (IN_CREATE | IN_MOVED_TO))) AddTree(path);
    }
  }
}

void Watcher::Run() {
  pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {stop_fd_, POLLIN, 0}};
  std::vector<std::string> changed;
  int64_t first_ms = 0, last_ms = 0;
  auto due_ms = [&] {
    return std::min(last_ms + (Settled() ? settle_ms_ : quiet_ms_), first_ms + max_wait_ms_);
  };
  for (;;) {
    int timeout = -1;
    if (!changed.empty()) timeout = static_cast<int>(std::max<int64_t>(0, due_ms() - NowMs()));
    int ready = poll(fds, 2, timeout);
    if (ready < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) return;
    if (ready > 0 && (fds[0].revents & POLLIN)) {
      size_t before = changed.size();
      Drain(&changed);
      if (changed.size() > before) {
        last_ms = NowMs();
        if (before == 0) first_ms = last_ms;
      }
    }
    if (!changed.empty() && NowMs() >= due_ms()) {
      std::sort(changed.begin(), changed.end());
      changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
      on_change_(changed);
      changed.clear();
      paths_.clear();
    }
  }
}

}  // namespace kiln
