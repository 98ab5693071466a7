#include "serve/file_cache.h"

#include <chrono>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "serve/http_date.h"
#include "serve/http_types.h"
#include "serve/live_reload.h"
#include "serve/mime_types.h"
#include "util/hash.h"

namespace kiln {
namespace {

constexpr int64_t kRecheckNs = 1'000'000'000;

int64_t SteadyNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int64_t MtimeNs(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// Reads the whole file and its stat from one descriptor, so the stat
// describes exactly the bytes read.
bool ReadWhole(const std::filesystem::path& file, std::string* out, struct stat* st) {
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = fstat(fd, st) == 0 && S_ISREG(st->st_mode);
  if (ok) {
    out->resize(static_cast<size_t>(st->st_size));
    size_t done = 0;
    while (done < out->size()) {
      ssize_t n = read(fd, out->data() + done, out->size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    out->resize(done);  // a file that shrank under us: what we read
  }
  close(fd);
  return ok;
}

}  // namespace

std::shared_ptr<const CachedFile> FileCache::Find(const std::string& relative) {
  std::lock_guard lock(mutex_);
  auto it = slots_.find(relative);
  if (it == slots_.end()) return nullptr;
  Slot& slot = it->second;
  int64_t now = SteadyNs();
  if (now - slot.checked_ns < kRecheckNs) return slot.file;
  struct stat st;
  if (stat(slot.path.c_str(), &st) != 0 || st.st_size != slot.size || MtimeNs(st) != slot.mtime_ns ||
      static_cast<int64_t>(st.st_ino) != slot.inode) {
    total_bytes_ -= slot.size;
    slots_.erase(it);
    return nullptr;
  }
  slot.checked_ns = now;
  return slot.file;
}

std::shared_ptr<const CachedFile> FileCache::Load(const std::string& relative,
                                                  const std::filesystem::path& file) {
  uint64_t generation;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
  }
  std::string bytes;
  struct stat st;
  if (!ReadWhole(file, &bytes, &st)) return nullptr;
  auto entry = std::make_shared<CachedFile>();
  entry->content_type = MimeTypeForPath(relative);
  if (inject_reload_ && entry->content_type.starts_with("text/html")) {
    bytes = InjectReloadScript(bytes);
  }
  entry->etag = "\"" + FingerprintToHex(HashBytes(bytes)) + "\"";
  entry->mtime_seconds = st.st_mtim.tv_sec;
  entry->last_modified = FormatHttpDate(entry->mtime_seconds);
  entry->body = std::make_shared<const std::string>(std::move(bytes));
  std::vector<std::pair<std::string, std::string>> headers = {
      {"ETag", entry->etag}, {"Last-Modified", entry->last_modified}, {"Cache-Control", "no-cache"}};
  entry->head_304 = SerializeHead(304, headers, -1);
  headers.emplace_back("Content-Type", std::string(entry->content_type));
  entry->head_200 = SerializeHead(200, headers, static_cast<int64_t>(entry->body->size()));

  std::lock_guard lock(mutex_);
  if (generation == generation_ && st.st_size <= kMaxFileBytes && total_bytes_ + st.st_size <= kMaxTotalBytes) {
    Slot& slot = slots_[relative];
    total_bytes_ += st.st_size - slot.size;
    slot = Slot{entry, file, st.st_size, MtimeNs(st), static_cast<int64_t>(st.st_ino), SteadyNs()};
  }
  return entry;
}

void FileCache::Invalidate(const std::vector<std::string>& relatives) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (const std::string& relative : relatives) {
    auto it = slots_.find(relative);
    if (it == slots_.end()) continue;
    total_bytes_ -= it->second.size;
    slots_.erase(it);
  }
}

void FileCache::Clear() {
  std::lock_guard lock(mutex_);
  slots_.clear();
  total_bytes_ = 0;
  ++generation_;
}

size_t FileCache::size() const {
  std::lock_guard lock(mutex_);
  return slots_.size();
}

}  // namespace kiln
