// Small wrappers over the disk that return Status instead of throwing, and the
// stat record that the no-op build compares instead of reading files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "util/status.h"

namespace kiln {

namespace fs = std::filesystem;

// What a file looked like when last seen. Two equal records mean "assume the
// same bytes", except when the file changed in the same clock tick as it was
// read (see FileStat::TrustedAfter).
struct FileStat {
  int64_t size = -1;
  int64_t mtime_ns = 0;
  int64_t ctime_ns = 0;
  int64_t inode = 0;

  bool exists() const { return size >= 0; }
  bool operator==(const FileStat&) const = default;

  // True when a file with this stat, read at `observed_ns`, cannot change
  // later without changing its mtime. Filesystem timestamps are coarse (a
  // kernel tick), so a write in the same tick as our read could keep size
  // and mtime; git calls such entries "racily clean" and re-reads them. We
  // trust a stat only once its mtime is a full second older than the read.
  bool TrustedAfter(int64_t observed_ns) const {
    return mtime_ns + 1'000'000'000 < observed_ns;
  }
};

// Stats `path`; a missing file gives size -1 and no error.
Status StatFile(const fs::path& path, FileStat* out);

Status ReadFile(const fs::path& path, std::string* out);

// All of `bytes` to the open file `fd` (a write may take only part of
// them, or be interrupted); errors name `name`.
Status WriteAll(int fd, std::string_view bytes, const std::string& name);

// A file's bytes mapped read-only, for a large file decoded once and let go
// (the site snapshot, 2.8 MB at 4,000 posts): no zeroed buffer to fill and
// no copy, and the kernel maps the page cache 16 pages a fault instead of
// one fault per fresh page of a buffer. Only for files that are replaced by
// rename, never truncated in place (a truncated mapping faults with SIGBUS).
class MappedFile {
 public:
  MappedFile() = default;
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  Status Open(const fs::path& path);
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

// Files (not folders) under `dir`, relative to it with '/' separators,
// sorted. A missing `dir` gives an empty list.
Status ListFilesRecursive(const fs::path& dir, std::vector<std::string>* out);

// Files directly in `dir` (not in its folders), sorted.
Status ListFiles(const fs::path& dir, std::vector<std::string>* out);

int64_t NowNanoseconds();

}  // namespace kiln
