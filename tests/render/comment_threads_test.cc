// render/comment_threads.h: replies under their parent, no comment ever
// lost whatever `parent` plain SQL wrote.
#include "render/comment_threads.h"

#include <gtest/gtest.h>

#include <functional>

#include "store/comment_store.h"

namespace kiln {
namespace {

Comment C(int64_t id, std::optional<int64_t> parent = std::nullopt) {
  Comment c;
  c.id = id;
  c.parent = parent;
  return c;
}

// "id(child child …)" for each thread, so the whole shape is one assertion.
std::string Shape(const std::vector<CommentNode>& nodes) {
  std::string out;
  for (const CommentNode& node : nodes) {
    if (!out.empty()) out += " ";
    out += std::to_string(node.comment->id);
    if (!node.replies.empty()) out += "(" + Shape(node.replies) + ")";
  }
  return out;
}

TEST(CommentThreads, RepliesNestUnderTheirParentInDisplayOrder) {
  std::vector<Comment> comments = {C(1), C(2), C(3, 1), C(4, 2), C(5, 1)};
  EXPECT_EQ(Shape(ArrangeCommentThreads(comments)), "1(3 5) 2(4)");
}

TEST(CommentThreads, DeeperRepliesStayAtTheCapBesideTheirParent) {
  // 1 <- 2 <- 3 <- 4 <- 5: 4 and 5 are shown at level 3, after 3.
  std::vector<Comment> comments = {C(1), C(2, 1), C(3, 2), C(4, 3), C(5, 4), C(6, 2)};
  std::vector<CommentNode> threads = ArrangeCommentThreads(comments, 3);
  EXPECT_EQ(Shape(threads), "1(2(3 4 5 6))");
  const CommentNode& five = threads[0].replies[0].replies[2];
  EXPECT_EQ(five.depth, 3);
  ASSERT_NE(five.parent, nullptr);
  EXPECT_EQ(five.parent->id, 4);  // "in reply to" still names the real parent
}

// Missing (deleted, pending, other post), itself, or a later comment: all
// top level, so a cycle written by SQL cannot hide a comment.
TEST(CommentThreads, ABadParentMakesATopLevelComment) {
  std::vector<Comment> comments = {C(1, 99), C(2, 2), C(3, 4), C(4, 3), C(5, 1)};
  std::vector<CommentNode> threads = ArrangeCommentThreads(comments);
  EXPECT_EQ(Shape(threads), "1(5) 2 3(4)");
  EXPECT_EQ(threads[0].parent, nullptr);
  EXPECT_EQ(threads[1].parent, nullptr);
}

TEST(CommentThreads, EveryCommentAppearsExactlyOnce) {
  std::vector<Comment> comments;
  for (int64_t id = 1; id <= 200; ++id) comments.push_back(C(id, id % 7 ? std::optional<int64_t>((id * 37) % 211) : std::nullopt));
  std::vector<int> seen(201, 0);
  std::function<void(const std::vector<CommentNode>&)> count = [&](const std::vector<CommentNode>& nodes) {
    for (const CommentNode& n : nodes) {
      ++seen[n.comment->id];
      EXPECT_LE(n.depth, kMaxReplyDepth);
      count(n.replies);
    }
  };
  count(ArrangeCommentThreads(comments));
  for (int64_t id = 1; id <= 200; ++id) EXPECT_EQ(seen[id], 1) << id;
}

}  // namespace
}  // namespace kiln
