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

// Reads the whole of `fd`, whose size `st` gave.
void ReadWhole(int fd, const struct stat& st, std::string* out) {
  out->resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out->size()) {
    ssize_t n = read(fd, out->data() + done, out->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  out->resize(done);  // a file that shrank under us: what we read
}

std::string Hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  do {
    out.insert(out.begin(), kDigits[value & 15]);
    value >>= 4;
  } while (value != 0);
  return out;
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
    total_bytes_ -= slot.held;
    slots_.erase(it);
    return nullptr;
  }
  slot.checked_ns = now;
  return slot.file;
}

std::shared_ptr<const CachedFile> FileCache::Load(const std::string& relative,
                                                  const std::filesystem::path& file) {
  uint64_t generation;
  std::string tags;
  {
    std::lock_guard lock(mutex_);
    generation = generation_;
    if (auto it = tags_.find(relative); it != tags_.end()) tags = it->second;
  }
  // The stat and the bytes come from one descriptor, so the stat describes
  // exactly the bytes read.
  int fd = open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return nullptr;
  }
  auto entry = std::make_shared<CachedFile>();
  entry->content_type = MimeTypeForPath(relative);
  entry->path = file;
  entry->mtime_ns = MtimeNs(st);
  entry->inode = static_cast<int64_t>(st.st_ino);
  bool inject = inject_reload_ && entry->content_type.starts_with("text/html");
  bool rewrite = preview_.active() && IsRewritableType(entry->content_type);
  if (st.st_size > kStreamAboveBytes && !inject && !rewrite) {
    entry->size = st.st_size;
    entry->etag = "\"" + Hex(static_cast<uint64_t>(entry->mtime_ns)) + "-" +
                  Hex(static_cast<uint64_t>(st.st_size)) + "-" + Hex(st.st_ino) + "\"";
  } else {
    std::string bytes;
    ReadWhole(fd, st, &bytes);
    if (rewrite) bytes = RewriteBody(bytes, preview_);
    if (inject) bytes = InjectReloadScript(bytes);
    entry->etag = "\"" + FingerprintToHex(HashBytes(bytes)) + "\"";
    entry->size = static_cast<int64_t>(bytes.size());
    entry->body = std::make_shared<const std::string>(std::move(bytes));
  }
  close(fd);
  entry->mtime_seconds = st.st_mtim.tv_sec;
  entry->last_modified = FormatHttpDate(entry->mtime_seconds);
  std::vector<std::pair<std::string, std::string>> headers = {
      {"ETag", entry->etag}, {"Last-Modified", entry->last_modified}, {"Cache-Control", cache_control_}};
  if (!tags.empty()) {
    // Varnish's xkey module reads "xkey"; Fastly and others "Surrogate-Key".
    headers.emplace_back("xkey", tags);
    headers.emplace_back("Surrogate-Key", std::move(tags));
  }
  entry->head_304 = SerializeHead(304, headers, -1);
  headers.emplace_back("Accept-Ranges", "bytes");
  headers.emplace_back("Content-Type", std::string(entry->content_type));
  entry->head_200 = SerializeHead(200, headers, entry->size);

  // What the cache holds in memory: a streamed entry's few hundred bytes
  // are not counted.
  int64_t held = entry->body ? st.st_size : 0;
  std::lock_guard lock(mutex_);
  if (generation == generation_ && held <= kMaxFileBytes && total_bytes_ + held <= kMaxTotalBytes) {
    Slot& slot = slots_[relative];
    total_bytes_ += held - slot.held;
    slot = Slot{entry, file, held, st.st_size, MtimeNs(st), static_cast<int64_t>(st.st_ino),
                SteadyNs()};
  }
  return entry;
}

std::shared_ptr<const OpenFile> FileCache::Open(const CachedFile& file) {
  int fd = open(file.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  auto opened = std::make_shared<const OpenFile>(fd);
  struct stat st;
  if (fstat(fd, &st) != 0 || st.st_size != file.size || MtimeNs(st) != file.mtime_ns ||
      static_cast<int64_t>(st.st_ino) != file.inode) {
    return nullptr;
  }
  return opened;
}

void FileCache::Invalidate(const std::vector<std::string>& relatives) {
  std::lock_guard lock(mutex_);
  ++generation_;
  for (const std::string& relative : relatives) {
    auto it = slots_.find(relative);
    if (it == slots_.end()) continue;
    total_bytes_ -= it->second.held;
    slots_.erase(it);
  }
}

void FileCache::DropLocked(const std::string& relative) {
  auto it = slots_.find(relative);
  if (it == slots_.end()) return;
  total_bytes_ -= it->second.held;
  slots_.erase(it);
}

void FileCache::SetCacheTags(std::unordered_map<std::string, std::string> tags) {
  std::lock_guard lock(mutex_);
  std::vector<std::string> stale;
  for (const auto& [relative, slot] : slots_) {
    auto before = tags_.find(relative);
    auto after = tags.find(relative);
    bool same = (before == tags_.end()) == (after == tags.end()) &&
                (before == tags_.end() || before->second == after->second);
    if (!same) stale.push_back(relative);
  }
  for (const auto& relative : stale) DropLocked(relative);
  tags_ = std::move(tags);
  ++generation_;
}

void FileCache::UpdateCacheTags(const std::unordered_map<std::string, std::string>& changed,
                                const std::vector<std::string>& removed) {
  std::lock_guard lock(mutex_);
  for (const auto& [relative, tags] : changed) {
    std::string& now = tags_[relative];
    if (now == tags) continue;
    now = tags;
    DropLocked(relative);
  }
  for (const auto& relative : removed) {
    tags_.erase(relative);
    DropLocked(relative);
  }
  ++generation_;
}

void FileCache::SetPreviewRewrite(PreviewRewrite rewrite) {
  preview_ = std::move(rewrite);
  Clear();
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
