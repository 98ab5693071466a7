// Implementation details: the count file is rewritten in place, the new
// number written at the start of the file, then a cut of what is left of a
// longer old one. A process killed between the two leaves the new
// number followed by stray digits on a line of their own, which the reader
// ignores: after a kill the file holds the old number or the new one. Not
// after a power cut: nothing here is synced, and the disk may keep part of
// either write. The count only guards against building from a lost kiln.db
// (comment_guard.h): a wrong one means a needless stop, which
// `--allow-empty-comments` passes, or a missed one, and only for a power
// cut and a lost kiln.db together. It was replaced by a rename before:
// ext4 flushes a file renamed over another before the rename (its
// `auto_da_alloc`), 0.7 to 8.0 ms of every comment build's wall time on the
// test machine (strace -T), for a one-line file.
#include "engine/comment_guard.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

#include "util/fs.h"

namespace kiln {
namespace {

namespace fs = std::filesystem;

int64_t ReadShown(const fs::path& file) {
  std::ifstream in(file);
  int64_t shown = 0;
  return in >> shown ? shown : 0;
}

Status WriteShown(const fs::path& file, int64_t count) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  // The error of the system call that just failed.
  auto failed = [&] {
    return Status::Io(std::string("cannot write: ") + std::strerror(errno), file.string());
  };
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return failed();
  const std::string text = std::to_string(count) + "\n";
  const auto size = static_cast<off_t>(text.size());
  struct stat st;
  // Opened without O_TRUNC or O_APPEND: WriteAll writes from the start.
  Status status = ::fstat(fd, &st) == 0 ? WriteAll(fd, text, file.string()) : failed();
  if (status.ok() && st.st_size > size && ::ftruncate(fd, size) != 0) status = failed();
  if (::close(fd) != 0 && status.ok()) status = failed();
  return status;
}

std::string Comments(int64_t n) {
  return std::to_string(n) + (n == 1 ? " comment" : " comments");
}

bool HasBuiltFiles(const fs::path& site) {
  std::error_code ec;
  return fs::is_directory(site, ec) && !fs::is_empty(site, ec) && !ec;
}

// `held`: published comments kiln.db holds, -1 when it is missing.
Status Check(const fs::path& site_root, int64_t held, bool allow_empty) {
  const int64_t recorded = ReadShown(site_root / kCommentsShownFile);
  if (allow_empty || held >= recorded || !HasBuiltFiles(site_root / "site")) return Status::Ok();
  const std::string what = held < 0 ? "missing" : held == 0 ? "holds no comments" : "holds only " + Comments(held);
  return Status::Invalid(
      what + ", while site/ was built from a kiln.db with " + Comments(recorded) +
          ": a build now would remove them from every page, and kiln.db holds the only copy. "
          "Restore kiln.db from a backup, or run `kiln build --allow-empty-comments` to build "
          "with the comments kiln.db holds now",
      (site_root / "kiln.db").string());
}

}  // namespace

Status CheckStoreIsThere(const fs::path& site_root, bool allow_empty) {
  std::error_code ec;
  if (fs::exists(site_root / "kiln.db", ec)) return Status::Ok();
  return Check(site_root, -1, allow_empty);
}

Status CheckStoreWithoutState(const fs::path& site_root, SQLite::Database* db, bool allow_empty) {
  int64_t held = 0;
  try {
    held = db->execAndGet("SELECT count(*) FROM comments WHERE status = 'published'").getInt64();
  } catch (const SQLite::Exception& e) {
    return Status::Io(std::string("cannot count the comments: ") + e.what(), db->getFilename());
  }
  return Check(site_root, held, allow_empty);
}

Status RecordShownComments(const fs::path& site_root, int64_t shown) {
  const fs::path file = site_root / kCommentsShownFile;
  if (ReadShown(file) == shown && fs::exists(file)) return Status::Ok();
  return WriteShown(file, shown);
}

}  // namespace kiln
