#include "render/comment_html_cache.h"

#include "render/comment_markdown.h"

namespace kiln {

std::string CommentHtmlCache::Render(std::string_view body) {
  {
    std::lock_guard lock(mutex_);
    auto it = html_.find(std::string(body));
    if (it != html_.end()) {
      ++hits_;
      return it->second;
    }
    ++misses_;
  }
  // Rendered outside the lock: another thread may render the same body at
  // the same time, with the same result.
  std::string html = RenderCommentMarkdown(body);
  std::lock_guard lock(mutex_);
  const size_t size = body.size() + html.size();
  if (bytes_ + size > max_bytes_) {
    html_.clear();
    bytes_ = 0;
  }
  if (html_.emplace(std::string(body), html).second) bytes_ += size;
  return html;
}

size_t CommentHtmlCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

size_t CommentHtmlCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace kiln
