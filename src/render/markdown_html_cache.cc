#include "render/markdown_html_cache.h"

namespace kiln {

std::string MarkdownHtmlCache::Render(std::string_view markdown, bool option) {
  std::string key;
  key.reserve(markdown.size() + 1);
  key += option ? '1' : '0';
  key += markdown;
  {
    std::lock_guard lock(mutex_);
    auto it = html_.find(key);
    if (it != html_.end()) {
      ++hits_;
      return it->second;
    }
    ++misses_;
  }
  // Rendered outside the lock: another thread may render the same text at
  // the same time, with the same result.
  std::string html = render_(markdown, option);
  std::lock_guard lock(mutex_);
  const size_t size = key.size() + html.size();
  if (bytes_ + size > max_bytes_) {
    html_.clear();
    bytes_ = 0;
  }
  if (html_.emplace(std::move(key), html).second) bytes_ += size;
  return html;
}

size_t MarkdownHtmlCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

size_t MarkdownHtmlCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace kiln
