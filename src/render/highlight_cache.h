// Highlighted code blocks kept in memory for the life of the process, so
// that `kiln serve`, which renders a post's page again for every comment
// that arrives, highlights the post's code once rather than per comment
// (a 200-line C++ block costs about 13 ms to highlight, a lookup a hash).
// Highlighting is a pure function of the definition and the code, so the
// cache cannot change a page's bytes.
#pragma once

#include <atomic>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kiln {

class HighlightCache {
 public:
  // `max_bytes` bounds the keys and values held; past it the cache is
  // emptied and starts again (simpler than LRU, and a site's code rarely
  // comes near the default).
  explicit HighlightCache(size_t max_bytes = 16 << 20) : max_bytes_(max_bytes) {}

  // Appends the cached HTML for (`definition`, `code`) to `html` and returns
  // true, or returns false. Thread-safe.
  bool Lookup(std::string_view definition, std::string_view code, std::string* html);
  void Insert(std::string_view definition, std::string_view code, std::string_view highlighted);

  // The process-wide cache HighlightCode uses.
  static HighlightCache& Shared();

  // Off: Lookup finds nothing and Insert keeps nothing. Used for tests that
  // must run the library on every render (parallel-render checks).
  void set_enabled(bool enabled) { enabled_ = enabled; }

 private:
  static std::string KeyOf(std::string_view definition, std::string_view code);

  const size_t max_bytes_;
  std::atomic<bool> enabled_{true};
  std::mutex mutex_;
  std::unordered_map<std::string, std::string> entries_;  // guarded by mutex_
  size_t bytes_ = 0;                                      // guarded by mutex_
};

}  // namespace kiln
