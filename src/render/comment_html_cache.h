// The HTML of comment bodies and of post bodies, remembered across builds
// by `kiln serve` (render/markdown_html_cache.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "render/markdown_html_cache.h"

namespace kiln {

// RenderCommentMarkdown(body).
class CommentHtmlCache : public MarkdownHtmlCache {
 public:
  explicit CommentHtmlCache(size_t max_bytes = 64u << 20) : MarkdownHtmlCache(&RenderComment, max_bytes) {}
  std::string Render(std::string_view body) { return MarkdownHtmlCache::Render(body); }

 private:
  static std::string RenderComment(std::string_view body, bool);
};

// RenderTrustedMarkdown(body, highlight): a post's or a page's body.
class BodyHtmlCache : public MarkdownHtmlCache {
 public:
  explicit BodyHtmlCache(size_t max_bytes = 64u << 20) : MarkdownHtmlCache(&RenderBody, max_bytes) {}

 private:
  static std::string RenderBody(std::string_view body, bool highlight);
};

}  // namespace kiln
