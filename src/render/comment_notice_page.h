// The page a comment sent from the HTML form gets when it was stored but is
// not on the post yet (issue 8): held for moderation, or stored while the
// rebuild that would show it failed. Both are answered 202; the reader did
// nothing wrong and has nothing to send again.
//
// Like the error page (render/comment_error_page.h), it is the site's own
// look: the theme's `templates/comment_notice.mustache` renders it (docs/
// templates.md lists its data), rendered at request time and never written
// to site/. A theme without one, a site with no successful build yet, or a
// template that fails to render gets a small built-in page (a viewport tag,
// light and dark).
#pragma once

#include <string>

namespace kiln {

struct CommentPageSite;

struct CommentNotice {
  std::string title;    // "Thank you: your comment awaits moderation"
  std::string message;  // for people: what happens next
  std::string post;     // the post's slug, as sent (checked against the site)
};

// The whole HTML page. `site` may be null (no build yet): built-in page.
std::string RenderCommentNoticePage(const CommentPageSite* site, const CommentNotice& notice);

}  // namespace kiln
