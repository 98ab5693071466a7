#include "render/comment_data.h"

#include "render/comment_html_cache.h"
#include "render/comment_markdown.h"
#include "render/comment_threads.h"
#include "render/page_data.h"
#include "store/comment_store.h"
#include "util/time_format.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

MustacheData Text(std::string text) { return MustacheData(std::move(text)); }

// One comment. `replies` stays empty in the flat list. Built field by field
// through operator[], which moves each value into place: kainjow's
// data(object) copies the whole object it is given, and a post with a few
// hundred comments spent a fifth of a server comment's instructions on
// those copies (callgrind).
MustacheData CommentItem(const Comment& c, const Comment* parent, int depth, const std::string& body_html) {
  int64_t when = 0;
  ParseIsoDate(c.created_at, &when);
  MustacheData item(MustacheData::type::object);
  item["id"] = Text(std::to_string(c.id));
  item["author"] = Text(c.author);
  item["created_at"] = Text(c.created_at);
  item["date_display"] = Text(FormatHumanDate(when));
  item["body_html"] = Text(body_html);
  item["depth"] = Text(std::to_string(depth));
  item["is_reply"] = MustacheData(parent != nullptr);
  item["replies"] = MustacheData(MustacheData::type::list);
  item["has_replies"] = MustacheData(false);
  // False at top level, so {{#reply_to}} renders nothing there. Every item
  // sets every field: a name missing from an item would be looked up in
  // the enclosing comment (Mustache's context stack) and show its value.
  if (parent) {
    MustacheData reply_to(MustacheData::type::object);
    reply_to["id"] = Text(std::to_string(parent->id));
    reply_to["author"] = Text(parent->author);
    item["reply_to"] = std::move(reply_to);
  } else {
    item["reply_to"] = MustacheData(false);
  }
  return item;
}

}  // namespace

class CommentLists::Arrangement {
 public:
  Arrangement(const std::vector<Comment>& comments, CommentHtmlCache* html_cache)
      : comments_(comments), threads_(ArrangeCommentThreads(comments)), nodes_(comments.size()) {
    html_.reserve(comments.size());
    for (const Comment& c : comments) {
      html_.push_back(html_cache ? html_cache->Render(c.body) : RenderCommentMarkdown(c.body));
    }
    IndexNodes(threads_);
  }

  MustacheData Threads() const { return DataBuilder::ListData(Threads(threads_)); }

  MustacheData Flat() const {
    mstch::list list;
    list.reserve(comments_.size());
    for (size_t i = 0; i < comments_.size(); ++i) {
      list.push_back(CommentItem(comments_[i], nodes_[i]->parent, nodes_[i]->depth, html_[i]));
    }
    return DataBuilder::ListData(std::move(list));
  }

 private:
  size_t IndexOf(const Comment* c) const { return static_cast<size_t>(c - comments_.data()); }

  mstch::list Threads(const std::vector<CommentNode>& level) const {
    mstch::list list;
    list.reserve(level.size());
    for (const CommentNode& node : level) {
      MustacheData item = CommentItem(*node.comment, node.parent, node.depth, html_[IndexOf(node.comment)]);
      if (!node.replies.empty()) {
        item["has_replies"] = MustacheData(true);
        item["replies"] = DataBuilder::ListData(Threads(node.replies));
      }
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

CommentLists::CommentLists(const std::vector<Comment>& comments, CommentHtmlCache* html_cache)
    : comments_(comments), html_cache_(html_cache) {}

CommentLists::~CommentLists() = default;

const CommentLists::Arrangement& CommentLists::Arrange() {
  if (!arrangement_) arrangement_ = std::make_unique<Arrangement>(comments_, html_cache_);
  return *arrangement_;
}

void CommentLists::ReleaseOnceBothMade() {
  if (flat_made_ && threads_made_) arrangement_.reset();
}

MustacheData CommentLists::Flat() {
  MustacheData list = Arrange().Flat();
  flat_made_ = true;
  ReleaseOnceBothMade();
  return list;
}

MustacheData CommentLists::Threads() {
  MustacheData list = Arrange().Threads();
  threads_made_ = true;
  ReleaseOnceBothMade();
  return list;
}

}  // namespace kiln
