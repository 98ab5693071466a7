// The comments of a post as templates see them (docs/templates.md,
// "post.mustache"): `comments`, every published comment in display order,
// and `comment_threads`, the same comments arranged as replies under their
// parent (render/comment_threads.h). Both lists carry the same items; the
// flat one keeps themes written before replies existed showing every
// comment.
#pragma once

#include <vector>

#include <kainjow/mustache.hpp>

namespace kiln {

class CommentHtmlCache;
struct Comment;

struct CommentListsData {
  kainjow::mustache::data flat;     // `comments`
  kainjow::mustache::data threads;  // `comment_threads`
};

// `comments`: the published comments of one post in display order. Each
// body is rendered once (through `html_cache` when non-null).
CommentListsData CommentLists(const std::vector<Comment>& comments, CommentHtmlCache* html_cache);

}  // namespace kiln
