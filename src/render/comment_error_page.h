// The page a comment sent from the HTML form gets when it is refused
// (issue 8): the proper 4xx (or 503) status, the site's own look, a message
// in plain language next to the field it concerns, and the form again,
// filled in with what was typed, so nothing is lost and nothing needs
// JavaScript. JSON clients never see it (serve/comment_api.h).
//
// The theme's `templates/comment_error.mustache` renders it (docs/
// templates.md lists its data). A theme without one, a site whose build has
// not yet succeeded, or a template that fails to render gets a minimal
// built-in page that still has a viewport tag and the filled-in form.
//
// What was typed is untrusted: it reaches the page only through Mustache's
// escaping (or EscapeHtml in the built-in page), after EchoableText has
// removed control characters and replaced bytes that are not UTF-8.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include <kainjow/mustache.hpp>

#include "util/status.h"

namespace kiln {

class SiteIndex;

// What the page needs from the site, taken after a build (the server keeps
// the latest; the page never reads the disk). Immutable once made.
struct CommentPageSite {
  struct Post {
    std::string slug, title, url, permalink;  // url: base path + the post's link
  };
  std::filesystem::path templates_dir;
  std::map<std::string, std::string> templates;  // name -> text: every templates/*.mustache
  kainjow::mustache::data common;                // CommonData of the site's home page
  std::string base_path, base_url;
  std::map<std::string, Post> posts;  // the published posts, by slug
  int max_length = 0;                 // [comments] max_length
  bool moderated = false;             // [comments] moderation = "manual"
};

// Reads `site_root`/templates and takes the rest from `index`.
Status MakeCommentPageSite(const std::filesystem::path& site_root, const SiteIndex& index,
                           std::shared_ptr<const CommentPageSite>* out);

struct CommentFormError {
  int status = 0;
  std::string message;  // for people: what to do, not which rule failed
  // The field the message is about ("author", "email" or "body"), shown
  // beside it; empty: about the whole form, shown above it.
  std::string field;
  // As sent. `parent` is kept only when it is a comment id; empty drops it
  // (a reply whose parent is gone is offered as a new comment).
  std::string post, author, email, body, parent;
};

// The post of `slug` in `site` (either may be missing: nullptr).
const CommentPageSite::Post* FindCommentPagePost(const CommentPageSite* site, const std::string& slug);

// What every page the server answers a comment form with gets (this one
// and render/comment_notice_page.h): the data every template gets, with
// `page_title` and `head_title` ("TITLE · Site"), `page_description`, the
// `url` and `permalink` of the post (the home page's without one),
// `is_home` and `is_post` false, and `post` ({slug, title, url} or false).
kainjow::mustache::data CommentPageData(const CommentPageSite& site, const CommentPageSite::Post* post,
                                        const std::string& title);

// The whole HTML page. `site` may be null (no build yet): built-in page.
std::string RenderCommentErrorPage(const CommentPageSite* site, const CommentFormError& error);

// `text` fit to show back: bytes that are not UTF-8 become U+FFFD; C0 and
// C1 control characters, DEL and the bidirectional overrides and isolates
// are removed, except, when `multiline`, tab and newline (CR LF and a lone
// CR become LF).
std::string EchoableText(std::string_view text, bool multiline);

}  // namespace kiln
