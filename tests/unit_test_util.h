// Helpers for the unit tests of load/, store/, render/, output/ and util/:
// a real temporary folder that removes itself, and small file helpers.
// (The lead's tests/test_util.h may hold others; these names are distinct.)
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

namespace kiln::unit {

// A fresh folder under $TMPDIR, deleted with everything in it on destruction.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kiln-unit-XXXXXX").string();
    char* made = ::mkdtemp(pattern.data());
    if (made) path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    // Restore permissions a test may have removed, so the folder can go.
    for (auto it = std::filesystem::recursive_directory_iterator(path_, ec);
         !ec && it != std::filesystem::end(it); it.increment(ec)) {
      ::chmod(it->path().c_str(), 0755);
    }
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& rel) const { return path_ / rel; }

 private:
  std::filesystem::path path_;
};

// Writes `bytes` to `path`, creating parent folders.
inline void WriteFileOrDie(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

inline std::string ReadFileOrEmpty(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Sets the modification time of `path` to `seconds_ago` seconds in the past,
// so the source cache trusts its stat (FileStat::TrustedAfter).
inline void AgeFile(const std::filesystem::path& path, int seconds_ago) {
  auto t = std::filesystem::last_write_time(path);
  std::filesystem::last_write_time(path, t - std::chrono::seconds(seconds_ago));
}

// Counts non-overlapping occurrences of `needle` in `hay`.
inline int CountOf(const std::string& hay, const std::string& needle) {
  int n = 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos; pos = hay.find(needle, pos + 1)) ++n;
  return n;
}

// Runs `fn` and returns its wall time in seconds (a hang detector).
template <typename Fn>
double SecondsToRun(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace kiln::unit
