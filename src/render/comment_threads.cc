#include "render/comment_threads.h"

#include <unordered_map>

#include "store/comment_store.h"

namespace kiln {

// Implementation details: one pass in display order. A parent is accepted
// only when it was seen earlier in the pass, which rules out self-replies
// and cycles without a separate check. Each comment is filed under the
// node whose `replies` list holds it (-1: the top level); a reply to a
// comment at the depth cap is filed where that comment is.
std::vector<CommentNode> ArrangeCommentThreads(const std::vector<Comment>& comments,
                                               int max_depth) {
  const int n = static_cast<int>(comments.size());
  std::unordered_map<int64_t, int> seen;  // id -> index, for comments already placed
  std::vector<int> owner(n, -1), depth(n, 1), parent(n, -1);
  std::vector<std::vector<int>> children(n);
  std::vector<int> top;
  for (int i = 0; i < n; ++i) {
    const Comment& c = comments[i];
    auto p = c.parent ? seen.find(*c.parent) : seen.end();
    if (p == seen.end()) {
      top.push_back(i);
    } else {
      const int pi = p->second;
      parent[i] = pi;
      if (depth[pi] < max_depth) {
        owner[i] = pi;
        depth[i] = depth[pi] + 1;
      } else {
        owner[i] = owner[pi];
        depth[i] = depth[pi];
      }
      if (owner[i] < 0) top.push_back(i); else children[owner[i]].push_back(i);
    }
    seen.emplace(c.id, i);  // a duplicate id (impossible in SQLite) keeps the first
  }
  // Built from the leaves up: a node's replies all come after it.
  std::vector<CommentNode> nodes(n);
  for (int i = n - 1; i >= 0; --i) {
    nodes[i].comment = &comments[i];
    nodes[i].parent = parent[i] < 0 ? nullptr : &comments[parent[i]];
    nodes[i].depth = depth[i];
    for (int child : children[i]) nodes[i].replies.push_back(std::move(nodes[child]));
  }
  std::vector<CommentNode> threads;
  threads.reserve(top.size());
  for (int i : top) threads.push_back(std::move(nodes[i]));
  return threads;
}

}  // namespace kiln
