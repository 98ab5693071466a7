#include "output/site_writer.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>  // renameat2
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "util/fs.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Implementation details: no fsync. The invariant is about a killed build
// (the page cache survives the process); paying an fsync per page would
// cost seconds on a full build, and no peer generator does it either.

// `st` is the target's lstat, when it has one.
bool SameContent(const std::filesystem::path& path, const struct stat* st, std::string_view bytes) {
  if (!st) return false;
  if (S_ISLNK(st->st_mode)) {  // compared by what it points to, as before
    FileStat target;
    if (!StatFile(path, &target).ok() || target.size != static_cast<int64_t>(bytes.size()))
      return false;
  } else if (!S_ISREG(st->st_mode) || st->st_size != static_cast<off_t>(bytes.size())) {
    return false;
  }
  std::string existing;
  return ReadFile(path, &existing).ok() && existing == bytes;
}

}  // namespace

SiteWriter::SiteWriter(std::filesystem::path site_dir, std::filesystem::path temp_dir)
    : site_dir_(std::move(site_dir)), temp_dir_(std::move(temp_dir)) {
  // Used for tests: the temporary folder for new pages too, as where the
  // filesystem has no unnamed files.
  if (std::getenv("KILN_TEST_NO_UNNAMED_FILES")) no_unnamed_files_ = true;
  if (const char* crash = std::getenv("KILN_TEST_CRASH_AFTER_WRITES")) {
    crash_after_ = std::strtol(crash, nullptr, 10);
    crash_mid_write_ = std::strchr(crash, '.') != nullptr;
  }
}

Status SiteWriter::WriteContent(int fd, std::string_view bytes, const std::string& name) {
  // Each write takes a number as it starts, so exactly one is the (N+1)th
  // even when two rendering threads write at once. Compared with the count
  // of finished writes instead, two writes that both started at N-1 and
  // finished one after the other moved the count past N with neither
  // seeing it, and the build ran to its end (seen once in CI,
  // KillPoints/CrashSafety/"4.5" with pages written as rendered).
  const bool crash_now =
      crash_mid_write_ && started_writes_.fetch_add(1, std::memory_order_relaxed) == crash_after_;
  Status s = WriteAll(fd, crash_now ? bytes.substr(0, bytes.size() / 2) : bytes, name);
  if (crash_now) ::kill(::getpid(), SIGKILL);  // KILN_TEST_CRASH_AFTER_WRITES=N.5
  return s;
}

Status SiteWriter::WriteTemp(const std::filesystem::path& temp, std::string_view bytes) {
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::Io(std::string("cannot create: ") + std::strerror(errno), temp.string());
  Status s = WriteContent(fd, bytes, temp.string());
  if (::close(fd) != 0 && s.ok()) s = Status::Io(std::strerror(errno), temp.string());
  return s;
}

std::filesystem::path SiteWriter::UniqueTempName(const std::string& rel) const {
  // A name is never taken twice while a janitor may still delete it: the
  // process id tells processes apart, and the count is the process's, not
  // this writer's. Counted per writer, the server's next build named its
  // temporary file as the one its last build had retired, and the janitor,
  // deleting that one late, deleted the new file before it was exchanged
  // ("cannot rename into place", seen under load in CommentReplyApi).
  static std::atomic<long> names{0};
  std::string name = rel;
  for (char& c : name) c = c == '/' ? '%' : c;
  return temp_dir_ / (name + "." + std::to_string(::getpid()) + "." + std::to_string(++names) +
                      std::string(kTempSuffix));
}

SiteWriter::NewFile SiteWriter::WriteNew(const std::filesystem::path& target,
                                         std::string_view bytes, Status* error) {
  const int fd = ::open(target.parent_path().c_str(), O_TMPFILE | O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0) {
    // A filesystem (or kernel) without unnamed files: the temporary folder
    // from now on. Anything else is this write's error.
    if (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL) {
      no_unnamed_files_ = true;
      return NewFile::kNotWritten;
    }
    *error = Status::Io(std::string("cannot create: ") + std::strerror(errno), target.string());
    return NewFile::kFailed;
  }
  Status s = WriteContent(fd, bytes, target.string());
  // Named only once whole, and only if nothing took the name meanwhile.
  // Through /proc: linkat's AT_EMPTY_PATH needs a capability.
  const std::string self = "/proc/self/fd/" + std::to_string(fd);
  if (s.ok() &&
      ::linkat(AT_FDCWD, self.c_str(), AT_FDCWD, target.c_str(), AT_SYMLINK_FOLLOW) != 0) {
    const int err = errno;
    ::close(fd);
    // Written by another meanwhile: the caller renames over it (no
    // exchange; within a build nothing else writes a page).
    if (err == EEXIST) return NewFile::kNotWritten;
    if (err == ENOSPC || err == EDQUOT || err == EIO) {
      *error = Status::Io(std::string("cannot name: ") + std::strerror(err), target.string());
      return NewFile::kFailed;
    }
    // No /proc, a sandbox that hides it, a filesystem that takes unnamed
    // files but refuses to link them: the temporary folder from now on.
    no_unnamed_files_ = true;
    return NewFile::kNotWritten;
  }
  if (::close(fd) != 0 && s.ok()) s = Status::Io(std::strerror(errno), target.string());
  if (!s.ok()) {
    *error = s;
    return NewFile::kFailed;  // an unnamed file leaves nothing behind
  }
  return NewFile::kWritten;
}

bool SiteWriter::ReplaceWith(const std::filesystem::path& temp, const std::filesystem::path& target,
                             bool* retired) {
  *retired = false;
  if (!cannot_exchange_) {
    if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0) {
      *retired = true;
      return true;
    }
    if (errno == EINVAL || errno == ENOSYS) {
      cannot_exchange_ = true;  // a filesystem without it: rename from now on
    } else if (errno != ENOENT) {
      return false;
    }
  }
  return ::rename(temp.c_str(), target.c_str()) == 0;
}

Status SiteWriter::Write(const std::string& rel, std::string_view bytes, bool* changed) {
  const std::filesystem::path target = site_dir_ / rel;
  *changed = false;
  struct stat st;
  const bool exists = ::lstat(target.c_str(), &st) == 0;
  if (SameContent(target, exists ? &st : nullptr, bytes)) return Status::Ok();

  std::error_code ec;
  // A target that exists has its folder. Else one mkdir where only the
  // page's own folder is missing (posts/SLUG/) or none is; create_directories,
  // which asks about each parent first, only when more are missing (it was
  // 3.9 % of a full build's samples).
  if (!exists && ::mkdir(target.parent_path().c_str(), 0777) != 0 && errno != EEXIST) {
    std::filesystem::create_directories(target.parent_path(), ec);
  }
  if (ec) return Status::Io("cannot create folder: " + ec.message(), target.parent_path().string());
  if (!exists && !no_unnamed_files_) {
    Status error;
    switch (WriteNew(target, bytes, &error)) {
      case NewFile::kWritten:
        *changed = true;
        if (++writes_ == crash_after_ && !crash_mid_write_) ::kill(::getpid(), SIGKILL);
        return Status::Ok();
      case NewFile::kFailed:
        return error;
      case NewFile::kNotWritten:
        break;
    }
  }
  if (!temp_beside_target_) {
    std::filesystem::create_directories(temp_dir_, ec);
    if (ec) return Status::Io("cannot create folder: " + ec.message(), temp_dir_.string());
  }
  // Beside the target, one name per target: a write replaces any leftover
  // of a killed build. In the temporary folder, a name of its own, which
  // holds the old file once exchanged (RemoveTempFiles takes a killed
  // build's leftovers).
  const bool beside = temp_beside_target_;
  std::filesystem::path temp;
  if (beside) {
    // Appended, not concatenated with +: GCC 12's -O3 warned of an
    // impossible overlap (-Wrestrict) in the inlined operator+.
    std::string name = ".";
    name.append(target.filename().string()).append(kTempSuffix);
    temp = target.parent_path() / name;
  } else {
    temp = UniqueTempName(rel);
  }
  Status s = WriteTemp(temp, bytes);
  // Only a regular file is exchanged: a folder or a link in the target's
  // place is renamed over (or refused) as before.
  bool retired = false;
  const bool replaced = s.ok() && (!beside && exists && S_ISREG(st.st_mode)
                                       ? ReplaceWith(temp, target, &retired)
                                       : ::rename(temp.c_str(), target.c_str()) == 0);
  if (s.ok() && !replaced) {
    if (errno == EXDEV && !temp_beside_target_) {
      ::unlink(temp.c_str());
      temp_beside_target_ = true;
      return Write(rel, bytes, changed);
    }
    s = Status::Io(std::string("cannot rename into place: ") + std::strerror(errno), target.string());
  }
  if (!s.ok()) {
    ::unlink(temp.c_str());
    return s;
  }
  if (retired) {
    std::lock_guard<std::mutex> lock(retired_mutex_);
    retired_.push_back(std::move(temp));
  }
  *changed = true;
  if (++writes_ == crash_after_ && !crash_mid_write_) ::kill(::getpid(), SIGKILL);
  return Status::Ok();
}

Status SiteWriter::Remove(const std::string& rel, bool* removed) {
  std::error_code ec;
  std::filesystem::path target = site_dir_ / rel;
  *removed = false;
  struct stat st;
  // A regular file is moved out of site/ and retired, like a replaced one.
  if (!temp_beside_target_ && ::lstat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    std::filesystem::create_directories(temp_dir_, ec);
    std::filesystem::path retired = UniqueTempName(rel);
    if (!ec && ::rename(target.c_str(), retired.c_str()) == 0) {
      *removed = true;
      std::lock_guard<std::mutex> lock(retired_mutex_);
      retired_.push_back(std::move(retired));
    }
    ec.clear();
  }
  if (!*removed) *removed = std::filesystem::remove(target, ec);
  if (ec) return Status::Io("cannot remove: " + ec.message(), target.string());
  // Prune folders left empty (posts/old-slug/), never site/ itself. rmdir
  // refuses a folder that is not empty: asking it costs one system call,
  // where listing the folder first read all of posts/ once per removed page
  // (a permalink pattern change removes every post's page).
  for (auto dir = target.parent_path(); dir != site_dir_ && StartsWith(dir.string(), site_dir_.string());
       dir = dir.parent_path()) {
    if (::rmdir(dir.c_str()) != 0) break;
  }
  return Status::Ok();
}

std::vector<std::filesystem::path> SiteWriter::TakeRetired() {
  std::lock_guard<std::mutex> lock(retired_mutex_);
  std::vector<std::filesystem::path> out;
  out.swap(retired_);
  return out;
}

Status SiteWriter::RemoveTempFiles(int* count) {
  *count = 0;
  std::vector<std::string> files;
  KILN_RETURN_IF_ERROR(ListFilesRecursive(temp_dir_, &files));
  for (const auto& rel : files) {
    std::error_code ec;
    if (std::filesystem::remove(temp_dir_ / rel, ec)) ++*count;
  }
  return Status::Ok();
}

}  // namespace kiln
