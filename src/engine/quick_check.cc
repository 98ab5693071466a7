#include "engine/quick_check.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <map>
#include <string_view>

#include "store/build_state.h"
#include "store/statement_cache.h"
#include "util/hash.h"

namespace kiln {

namespace {

FileStat ToFileStat(const struct stat& st) {
  FileStat f;
  f.size = st.st_size;
  f.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  f.ctime_ns = static_cast<int64_t>(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec;
  f.inode = static_cast<int64_t>(st.st_ino);
  return f;
}

// The digest of a walk (Manifest::inputs_digest), file by file.
class InputHasher {
 public:
  explicit InputHasher(int64_t observed_ns) : observed_ns_(observed_ns) {}

  // A path, then its stat. The path is the folder's prefix (ending in '/')
  // and the name (holding none), so it says where each folder ends; a NUL,
  // which no name holds, ends the path, and the four numbers are fixed
  // width (in this machine's byte order: a kiln.db moved to another
  // architecture only misses one no-op).
  void Add(std::string_view prefix, std::string_view name, const struct stat& st) {
    const FileStat f = ToFileStat(st);
    AddFile(prefix, name, f);
    if (files_) {
      files_->paths.append(prefix).append(name).push_back('\0');
      files_->stats.push_back(f);
    }
  }
  void AddFile(std::string_view prefix, std::string_view name, const FileStat& f) {
    hash_.AddRaw(prefix).AddRaw(name).AddRaw(std::string_view("", 1));
    for (int64_t v : {f.size, f.mtime_ns, f.ctime_ns, f.inode}) {
      hash_.AddRaw(std::string_view(reinterpret_cast<const char*>(&v), sizeof v));
    }
    ++count_;
    if (!f.TrustedAfter(observed_ns_)) complete_ = false;
  }
  // Also lists each file in `files` (WalkedFiles).
  void KeepFiles(WalkedFiles* files) { files_ = files; }
  InputWalk Finish() const { return {hash_.Finish(), count_, complete_}; }

 private:
  const int64_t observed_ns_;
  Hasher hash_;
  int64_t count_ = 0;
  bool complete_ = true;
  WalkedFiles* files_ = nullptr;
};

// Hashes every regular file under the folder `fd` (whose path relative to
// the site root is `prefix`, ending in '/', and restored on return) with its
// stat, as StatFile takes it (symlinks followed), into `walk`. Takes
// ownership of `fd`. readdir and fstatat on folder descriptors:
// std::filesystem's iterator and path joins were half of a no-op build's
// instructions (callgrind, 4,000 posts).
Status WalkFolder(int fd, std::string& prefix, InputHasher* walk) {
  DIR* dir = ::fdopendir(fd);
  if (!dir) {
    ::close(fd);
    return Status::Io(std::string("cannot list: ") + std::strerror(errno), prefix);
  }
  Status status = Status::Ok();
  while (dirent* e = ::readdir(dir)) {
    const char* name = e->d_name;
    if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
    struct stat st;
    if (e->d_type == DT_DIR) {
      st.st_mode = S_IFDIR;
    } else if (::fstatat(::dirfd(dir), name, &st, 0) != 0) {
      continue;  // vanished or a dangling link: not an input
    }
    if (S_ISDIR(st.st_mode)) {
      // Like ListFilesRecursive, a symlink to a folder is not followed.
      if (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) continue;
      const int sub = ::openat(::dirfd(dir), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      if (sub < 0) continue;
      const size_t length = prefix.size();
      prefix.append(name).push_back('/');
      status = WalkFolder(sub, prefix, walk);
      prefix.resize(length);
      if (!status.ok()) break;
    } else if (S_ISREG(st.st_mode)) {
      walk->Add(prefix, name, st);
    }
  }
  ::closedir(dir);
  return status;
}

}  // namespace

Status WalkInputs(const std::filesystem::path& root, int64_t observed_ns, InputWalk* out,
                  WalkedFiles* files) {
  *out = InputWalk();
  if (files) *files = WalkedFiles();
  const int root_fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root_fd < 0) return Status::Io(std::string("cannot open: ") + std::strerror(errno), root.string());
  InputHasher walk(observed_ns);
  if (files) walk.KeepFiles(files);
  Status status = Status::Ok();
  struct stat st;
  if (::fstatat(root_fd, "kiln.toml", &st, 0) == 0) walk.Add("", "kiln.toml", st);
  for (const char* dir : {"content", "static", "templates"}) {
    const int fd = ::openat(root_fd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) continue;  // a missing folder holds no inputs
    std::string prefix = std::string(dir) + "/";
    status = WalkFolder(fd, prefix, &walk);
    if (!status.ok()) break;
  }
  ::close(root_fd);
  KILN_RETURN_IF_ERROR(status);
  // Hashed as the folders list them, which an unchanged folder keeps
  // (ext4's hash order, tmpfs's), so an unchanged tree gives the last
  // manifest's digest. A folder that lists the same files in another order
  // only makes the build take the incremental path. A sort made the walk
  // of a comment build at 4,000 posts 9.9 M instructions instead of 7.0 M
  // (callgrind), when the walk still made a list; it now makes no string
  // per file.
  *out = walk.Finish();
  return Status::Ok();
}

uint64_t WalkedFiles::DigestWith(const std::map<std::string_view, FileStat>& replaced) const {
  InputHasher walk(0);
  size_t begin = 0;
  for (const FileStat& stat : stats) {
    const size_t end = paths.find('\0', begin);
    const std::string_view path(paths.data() + begin, end - begin);
    auto it = replaced.find(path);
    walk.AddFile(path, "", it == replaced.end() ? stat : it->second);
    begin = end + 1;
  }
  return walk.Finish().digest;
}

namespace {

// The saved state must be the one the manifest describes: of this version,
// and with no build stopped half-way through writing.
bool StateIsSettled(SQLite::Database* db) {
  try {
    Query q(*db, "SELECT key, value FROM state_meta WHERE key IN ('version', 'writing')");
    bool version_ok = false;
    while (q.executeStep()) {
      if (q.getColumn(0).getString() == "writing") return false;
      version_ok = q.getColumn(1).getString() == std::to_string(kStateVersion);
    }
    return version_ok;
  } catch (const SQLite::Exception&) {
    return false;  // no state table yet: not settled
  }
}

}  // namespace

OutputPresenceCheck::OutputPresenceCheck(std::filesystem::path root) : root_(std::move(root)) {}

void OutputPresenceCheck::Publish(const std::vector<std::string>* outputs) {
  {
    std::lock_guard lock(mu_);
    if (published_) return;
    outputs_ = outputs;
    published_ = true;
  }
  published_cv_.notify_all();
}

void OutputPresenceCheck::Help() {
  {
    std::unique_lock lock(mu_);
    published_cv_.wait(lock, [&] { return published_; });
  }
  if (!outputs_ || outputs_->empty() || found_missing_) return;
  try {
    CheckBatches();
  } catch (const std::exception& e) {
    // A batch this thread took may be unchecked: never a no-op then.
    found_missing_ = true;
    std::lock_guard lock(mu_);
    if (missing_.empty()) missing_ = std::string("(the check failed: ") + e.what() + ")";
  }
}

void OutputPresenceCheck::CheckBatches() {
  const std::vector<std::string>& outputs = *outputs_;
  const int site_fd = ::open((root_ / "site").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (site_fd < 0) {
    found_missing_ = true;
    std::lock_guard lock(mu_);
    missing_ = outputs.front();
    return;
  }
  // A small batch per take: the two threads share the list evenly without
  // touching the counter for every file.
  constexpr size_t kBatch = 64;
  // Each top folder ("posts", "tags", …) is opened once per thread and the
  // rest of the path looked up from it: one path component fewer per file.
  std::map<std::string, int, std::less<>> folders;
  std::string missing;
  while (missing.empty() && !found_missing_.load(std::memory_order_relaxed)) {
    const size_t begin = next_.fetch_add(kBatch, std::memory_order_relaxed);
    if (begin >= outputs.size()) break;
    const size_t end = std::min(begin + kBatch, outputs.size());
    for (size_t i = begin; i < end; ++i) {
      const std::string& out = outputs[i];
      const size_t slash = out.find('/');
      int from = site_fd;
      const char* rest = out.c_str();
      if (slash != std::string::npos) {
        const std::string_view top(out.data(), slash);
        auto it = folders.find(top);
        if (it == folders.end()) {
          const std::string name(top);
          it = folders
                   .emplace(name,
                            ::openat(site_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC))
                   .first;
        }
        from = it->second;
        rest = out.c_str() + slash + 1;
      }
      struct stat st;
      if (from < 0 || ::fstatat(from, rest, &st, 0) != 0) {
        missing = out;
        break;
      }
    }
  }
  for (const auto& [name, fd] : folders) {
    if (fd >= 0) ::close(fd);
  }
  ::close(site_fd);
  if (missing.empty()) return;
  found_missing_ = true;
  std::lock_guard lock(mu_);
  if (missing_.empty()) missing_ = std::move(missing);
}

std::string OutputPresenceCheck::missing() const {
  std::lock_guard lock(mu_);
  return missing_;
}

std::string FindMissingOutput(const std::filesystem::path& root,
                              const std::vector<std::string>& outputs) {
  OutputPresenceCheck check(root);
  check.Publish(&outputs);
  check.Help();
  return check.missing();
}

Status CheckUnchanged(SQLite::Database* db, const Manifest& manifest, const InputWalk& inputs,
                      const std::string& missing_output, int64_t comment_seq, int64_t now_seconds,
                      Verdict* verdict, std::string* why) {
  *verdict = Verdict::kChanged;
  if (manifest.state_version != kStateVersion || !StateIsSettled(db)) {
    *why = "build state not settled";
    return Status::Ok();
  }
  if (!manifest.inputs_complete || !inputs.complete) {
    *why = "an input file was modified within the last second";
    return Status::Ok();
  }
  if (now_seconds >= manifest.next_due) {
    *why = "a scheduled post came due";
    return Status::Ok();
  }
  if (inputs.count != manifest.input_count || inputs.digest != manifest.inputs_digest) {
    *why = "input files changed";
    return Status::Ok();
  }
  if (!missing_output.empty()) {
    *why = "output file missing: " + missing_output;
    return Status::Ok();
  }
  if (comment_seq != manifest.comment_seq) {
    *why = "comments changed";
    *verdict = Verdict::kCommentsOnly;
    return Status::Ok();
  }
  *verdict = Verdict::kUnchanged;
  return Status::Ok();
}

}  // namespace kiln
