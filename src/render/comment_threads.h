// Replies under their parent (SPEC.md, "Comments": "A comment whose `parent`
// is the id of another comment on the same post is a reply to it").
//
// Plain SQL can write any `parent`, so the arrangement never loses a
// comment: a comment is a reply only when its parent is among the comments
// shown (published, same post) *and* comes before it in display order
// (created_at, id). Everything else (a parent that is missing, pending,
// spam, deleted, on another post, the comment itself, a later comment, so
// also any cycle) makes it a top-level comment. Threads nest at most
// kMaxReplyDepth levels: a reply to a comment at that level is shown beside
// it, at the same level, so a long back-and-forth stays readable on a
// phone; siblings keep display order.
#pragma once

#include <cstdint>
#include <vector>

namespace kiln {

struct Comment;

// Levels of nesting, the top-level comment included.
inline constexpr int kMaxReplyDepth = 3;

struct CommentNode {
  const Comment* comment = nullptr;
  const Comment* parent = nullptr;  // the comment replied to; null at top level
  int depth = 1;                    // 1 for top level, at most kMaxReplyDepth
  std::vector<CommentNode> replies;
};

// `comments`: the published comments of one post in display order. The
// nodes point into `comments`, which must outlive them. Every comment
// appears exactly once.
std::vector<CommentNode> ArrangeCommentThreads(const std::vector<Comment>& comments,
                                               int max_depth = kMaxReplyDepth);

}  // namespace kiln
