// The comments of a post as templates see them (docs/templates.md,
// "post.mustache"): `comments`, every published comment in display order,
// and `comment_threads`, the same comments arranged as replies under their
// parent (render/comment_threads.h). Both lists carry the same items; the
// flat one keeps themes written before replies existed showing every
// comment.
//
// Each list is made only when asked for, and a page asks only when its
// template reads the name (render/lazy_fields.h): the default theme shows
// the threads alone.
#pragma once

#include <kainjow/mustache.hpp>
#include <memory>
#include <vector>

namespace kiln {

class CommentHtmlCache;
struct Comment;

class CommentLists {
 public:
  // `comments`: the published comments of one post in display order; they
  // must outlive this object. Each body is rendered once, for both lists,
  // on the first list asked for (through `html_cache` when non-null).
  CommentLists(const std::vector<Comment>& comments, CommentHtmlCache* html_cache);
  ~CommentLists();

  // Each at most once.
  kainjow::mustache::data Flat();     // `comments`
  kainjow::mustache::data Threads();  // `comment_threads`

 private:
  class Arrangement;
  // The threads and each body's HTML, made by the first list asked for and
  // freed once both are made (the items hold copies of the HTML).
  const Arrangement& Arrange();
  void ReleaseOnceBothMade();

  const std::vector<Comment>& comments_;
  CommentHtmlCache* html_cache_;
  std::unique_ptr<Arrangement> arrangement_;
  bool flat_made_ = false;
  bool threads_made_ = false;
};

}  // namespace kiln
