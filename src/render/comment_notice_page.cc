#include "render/comment_notice_page.h"

#include <cstdio>

#include "render/comment_error_page.h"
#include "render/dep_recorder.h"
#include "render/template_set.h"
#include "util/strings.h"

namespace kiln {
namespace {

namespace mstch = kainjow::mustache;

mstch::data NoticeThemeData(const CommentPageSite& site, const CommentPageSite::Post* post, const CommentNotice& n) {
  mstch::data data = CommentPageData(site, post, n.title);
  data.set("is_comment_notice", true);
  data.set("notice", mstch::object{{"title", n.title}, {"message", n.message}});
  return data;
}

// The page of a theme without comment_notice.mustache.
std::string BuiltInNoticePage(const CommentPageSite::Post* post, const std::string& base_path,
                        const CommentNotice& n) {
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" + EscapeHtml(n.title) + "</title>\n"
      "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem}</style>\n"
      "</head>\n<body>\n<main>\n<h1>" + EscapeHtml(n.title) + "</h1>\n<p>" + EscapeHtml(n.message) + "</p>\n";
  if (post) {
    page += "<p><a href=\"" + EscapeHtml(post->url) + "#comments\">Back to the post</a></p>\n";
  } else {
    page += "<p><a href=\"" + EscapeHtml(base_path) + "\">Back to the home page</a></p>\n";
  }
  return page + "</main>\n</body>\n</html>\n";
}

}  // namespace

std::string RenderCommentNoticePage(const CommentPageSite* site, const CommentNotice& notice) {
  const CommentPageSite::Post* post = FindCommentPagePost(site, notice.post);
  if (site && site->templates.count("comment_notice")) {
    TemplateSet templates(site->templates_dir, &site->templates);
    DepRecorder unused;  // the page is not saved: nothing to depend on
    std::string html;
    Status s = templates.Render("comment_notice", NoticeThemeData(*site, post, notice), "/api/comments", &unused, &html);
    if (s.ok()) return html;
    std::fprintf(stderr, "kiln: the comment notice page fell back to the built-in one: %s\n", s.ToString().c_str());
  }
  return BuiltInNoticePage(post, site ? site->base_path : "/", notice);
}

}  // namespace kiln
