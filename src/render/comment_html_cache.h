// The HTML of comment bodies, remembered across builds by `kiln serve`: a
// post page shows all of its comments, so without it every new comment
// renders every older one's markdown again, and a comment's cost grows with
// the discussion (issue 6: latency that does not grow). Keyed by the body
// itself, so a hit is exact; rendering is a pure function of the body.
// Thread-safe. Emptied when it passes its byte bound.
#pragma once

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace kiln {

class CommentHtmlCache {
 public:
  explicit CommentHtmlCache(size_t max_bytes = 64u << 20) : max_bytes_(max_bytes) {}

  // RenderCommentMarkdown(body), from memory when this body was seen.
  std::string Render(std::string_view body);

  size_t hits() const;
  size_t misses() const;

 private:
  const size_t max_bytes_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::string> html_;  // body -> HTML
  size_t bytes_ = 0;
  size_t hits_ = 0, misses_ = 0;
};

}  // namespace kiln
