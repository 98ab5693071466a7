#include "render/comment_html_cache.h"

#include "render/comment_markdown.h"
#include "render/markdown.h"

namespace kiln {

std::string CommentHtmlCache::RenderComment(std::string_view body, bool) { return RenderCommentMarkdown(body); }

std::string BodyHtmlCache::RenderBody(std::string_view body, bool highlight) {
  return RenderTrustedMarkdown(body, highlight);
}

}  // namespace kiln
