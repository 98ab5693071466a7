#include "render/highlight_cache.h"

namespace kiln {

std::string HighlightCache::KeyOf(std::string_view definition, std::string_view code) {
  // A definition file name has no NUL, so the key is unambiguous.
  std::string key;
  key.reserve(definition.size() + 1 + code.size());
  key.append(definition).push_back('\0');
  key.append(code);
  return key;
}

bool HighlightCache::Lookup(std::string_view definition, std::string_view code, std::string* html) {
  if (!enabled_) return false;
  const std::string key = KeyOf(definition, code);
  std::lock_guard<std::mutex> lock(mutex_);
  auto found = entries_.find(key);
  if (found == entries_.end()) return false;
  *html += found->second;
  return true;
}

void HighlightCache::Insert(std::string_view definition, std::string_view code, std::string_view highlighted) {
  if (!enabled_) return;
  std::string key = KeyOf(definition, code);
  const size_t size = key.size() + highlighted.size();
  if (size > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (bytes_ + size > max_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  if (entries_.emplace(std::move(key), std::string(highlighted)).second) bytes_ += size;
}

HighlightCache& HighlightCache::Shared() {
  static HighlightCache cache;
  return cache;
}

}  // namespace kiln
