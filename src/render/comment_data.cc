#include "render/comment_data.h"

#include "render/comment_html_cache.h"
#include "render/comment_markdown.h"
#include "render/comment_threads.h"
#include "store/comment_store.h"
#include "util/time_format.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

// One comment. `replies` stays empty in the flat list.
mstch::object CommentItem(const Comment& c, const Comment* parent, int depth, const std::string& body_html) {
  int64_t when = 0;
  ParseIsoDate(c.created_at, &when);
  mstch::object item{{"id", std::to_string(c.id)},
                     {"author", c.author},
                     {"created_at", c.created_at},
                     {"date_display", FormatHumanDate(when)},
                     {"body_html", body_html},
                     {"depth", std::to_string(depth)},
                     {"is_reply", parent != nullptr},
                     {"replies", mstch::list{}},
                     {"has_replies", false}};
  // False at top level, so {{#reply_to}} renders nothing there. Every item
  // sets every field: a name missing from an item would be looked up in
  // the enclosing comment (Mustache's context stack) and show its value.
  item.emplace("reply_to", parent ? mstch::data(mstch::object{{"id", std::to_string(parent->id)},
                                                              {"author", parent->author}})
                                  : mstch::data(false));
  return item;
}

class Arrangement {
 public:
  Arrangement(const std::vector<Comment>& comments, CommentHtmlCache* html_cache)
      : comments_(comments), threads_(ArrangeCommentThreads(comments)), nodes_(comments.size()) {
    html_.reserve(comments.size());
    for (const Comment& c : comments) {
      html_.push_back(html_cache ? html_cache->Render(c.body) : RenderCommentMarkdown(c.body));
    }
    IndexNodes(threads_);
  }

  mstch::list Threads() const { return Threads(threads_); }

  mstch::list Flat() const {
    mstch::list list;
    for (size_t i = 0; i < comments_.size(); ++i) {
      list.push_back(CommentItem(comments_[i], nodes_[i]->parent, nodes_[i]->depth, html_[i]));
    }
    return list;
  }

 private:
  size_t IndexOf(const Comment* c) const { return static_cast<size_t>(c - comments_.data()); }

  mstch::list Threads(const std::vector<CommentNode>& level) const {
    mstch::list list;
    for (const CommentNode& node : level) {
      mstch::object item = CommentItem(*node.comment, node.parent, node.depth, html_[IndexOf(node.comment)]);
      item.insert_or_assign("has_replies", !node.replies.empty());
      item.insert_or_assign("replies", Threads(node.replies));
      list.push_back(std::move(item));
    }
    return list;
  }

  void IndexNodes(const std::vector<CommentNode>& level) {
    for (const CommentNode& node : level) {
      nodes_[IndexOf(node.comment)] = &node;
      IndexNodes(node.replies);
    }
  }

  const std::vector<Comment>& comments_;
  const std::vector<CommentNode> threads_;
  std::vector<const CommentNode*> nodes_;  // by index in comments_
  std::vector<std::string> html_;          // by index in comments_
};

}  // namespace

CommentListsData CommentLists(const std::vector<Comment>& comments, CommentHtmlCache* html_cache) {
  const Arrangement arrangement(comments, html_cache);
  return {arrangement.Flat(), arrangement.Threads()};
}

}  // namespace kiln
