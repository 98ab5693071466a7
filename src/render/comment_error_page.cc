#include "render/comment_error_page.h"

#include <cstdio>

#include "load/site_index.h"
#include "render/dep_recorder.h"
#include "render/page_data.h"
#include "render/template_set.h"
#include "util/fs.h"
#include "util/strings.h"

namespace kiln {
namespace {

// Implementation details: the data is built fresh for each page from the
// snapshot; the snapshot's `common` already holds what every template gets
// (site, nav_pages, …), and the page-specific fields are set over it.

namespace mstch = kainjow::mustache;

constexpr char kTitle[] = "Your comment was not sent";

bool IsCommentId(const std::string& s) {
  if (s.empty() || s.size() > 18 || s == "0") return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return s[0] != '0';
}

// What was typed, fit to echo.
struct Echo {
  std::string author, email, body, parent;
  explicit Echo(const CommentFormError& e)
      : author(EchoableText(e.author, false)),
        email(EchoableText(e.email, false)),
        body(EchoableText(e.body, true)),
        parent(IsCommentId(e.parent) ? e.parent : "") {}
};

mstch::data FieldError(const CommentFormError& e, const char* field) {
  if (e.field != field) return mstch::data(false);
  return mstch::object{{"message", e.message}};
}

mstch::data ErrorThemeData(const CommentPageSite& site, const CommentPageSite::Post* post,
                      const CommentFormError& e, const Echo& echo) {
  mstch::data data = CommentPageData(site, post, kTitle);
  data.set("is_comment_error", true);
  data.set("status", std::to_string(e.status));
  data.set("error", mstch::object{{"message", e.message},
                                  {"general", e.field.empty()},
                                  {"field", e.field}});
  data.set("errors", mstch::object{{"author", FieldError(e, "author")},
                                   {"email", FieldError(e, "email")},
                                   {"body", FieldError(e, "body")}});
  data.set("has_form", post != nullptr);
  data.set("comment_form", mstch::object{{"action", "/api/comments"},
                                         {"post", e.post},
                                         {"max_length", std::to_string(site.max_length)},
                                         {"moderated", site.moderated}});
  data.set("form", mstch::object{{"author", echo.author},
                                 {"email", echo.email},
                                 {"body", echo.body},
                                 {"parent", echo.parent},
                                 {"has_parent", !echo.parent.empty()}});
  return data;
}

// The page of a theme without comment_error.mustache: small, but a real
// page on a phone (viewport), and the form filled in.
std::string BuiltInErrorPage(const CommentPageSite::Post* post, const CommentFormError& e, const Echo& echo,
                        int max_length) {
  auto field_error = [&](const char* field) {
    return e.field == field ? "<p class=\"field-error\" id=\"comment-" + std::string(field) + "-error\">" +
                                  EscapeHtml(e.message) + "</p>\n"
                            : std::string();
  };
  auto invalid = [&](const char* field) {
    return e.field == field ? " aria-invalid=\"true\" aria-describedby=\"comment-" + std::string(field) +
                                  "-error\" autofocus"
                            : std::string();
  };
  std::string page =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"color-scheme\" content=\"light dark\">\n<title>" + std::string(kTitle) + "</title>\n"
      "<style>body{font:1rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem}"
      "label{display:block;font-weight:600}input,textarea{width:100%;font:inherit}"
      "textarea{min-height:9rem}.field-error,.form-error{color:#b3261e;font-weight:600}"
      "@media(prefers-color-scheme:dark){.field-error,.form-error{color:#ff8a80}}"
      ".honeypot{position:absolute;left:-10000px}</style>\n</head>\n<body>\n<main>\n<h1>" +
      std::string(kTitle) + "</h1>\n";
  if (e.field.empty()) page += "<p class=\"form-error\" role=\"alert\">" + EscapeHtml(e.message) + "</p>\n";
  if (post) {
    page += "<form method=\"post\" action=\"/api/comments\">\n<input type=\"hidden\" name=\"post\" value=\"" +
            EscapeHtml(e.post) + "\">\n";
    if (!echo.parent.empty()) {
      page += "<input type=\"hidden\" name=\"parent\" value=\"" + echo.parent + "\">\n";
    }
    page += "<p><label for=\"comment-author\">Name</label>\n" + field_error("author") +
            "<input id=\"comment-author\" name=\"author\" type=\"text\" required maxlength=\"100\" value=\"" +
            EscapeHtml(echo.author) + "\"" + invalid("author") + "></p>\n" +
            "<p><label for=\"comment-email\">Email (optional, never published)</label>\n" + field_error("email") +
            "<input id=\"comment-email\" name=\"email\" type=\"email\" value=\"" + EscapeHtml(echo.email) + "\"" +
            invalid("email") + "></p>\n" +
            "<p class=\"honeypot\"><label for=\"comment-website\">Leave this empty</label>"
            "<input id=\"comment-website\" name=\"website\" type=\"text\" tabindex=\"-1\" autocomplete=\"off\"></p>\n"
            "<p><label for=\"comment-body\">Comment</label>\n" + field_error("body") +
            "<textarea id=\"comment-body\" name=\"body\" rows=\"7\" required maxlength=\"" +
            std::to_string(max_length) + "\"" + invalid("body") + ">\n" + EscapeHtml(echo.body) +
            "</textarea></p>\n<p><button type=\"submit\">Send again</button></p>\n</form>\n"
            "<p><a href=\"" + EscapeHtml(post->url) + "#comments\">Back to the post</a></p>\n";
  } else {
    page += "<p><a href=\"/\">Home</a></p>\n";
  }
  return page + "</main>\n</body>\n</html>\n";
}

// Appends code point `cp` as UTF-8.
void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one code point at `s[*i]`, advancing `*i`; U+FFFD (one byte
// consumed) for anything that is not well-formed UTF-8 (overlong forms and
// surrogates included).
uint32_t NextCodePoint(std::string_view s, size_t* i) {
  const unsigned char b = static_cast<unsigned char>(s[*i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (len == 0 || *i + len > s.size()) {
    ++*i;
    return 0xFFFD;
  }
  uint32_t cp = len == 1 ? b : b & (0x7F >> len);
  for (int k = 1; k < len; ++k) {
    const unsigned char c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++*i;
    return 0xFFFD;
  }
  *i += len;
  return cp;
}

}  // namespace

const CommentPageSite::Post* FindCommentPagePost(const CommentPageSite* site, const std::string& slug) {
  if (!site) return nullptr;
  auto it = site->posts.find(slug);
  return it == site->posts.end() ? nullptr : &it->second;
}

mstch::data CommentPageData(const CommentPageSite& site, const CommentPageSite::Post* post,
                            const std::string& title) {
  mstch::data data = site.common;
  data.set("page_title", title);
  data.set("head_title", title + " · " + site.common.get("site")->get("title")->string_value());
  data.set("page_description", title);
  data.set("url", post ? post->url : site.base_path);
  data.set("permalink", post ? post->permalink : site.base_url);
  data.set("is_home", false);
  data.set("is_post", false);
  data.set("post", post ? mstch::data(mstch::object{{"slug", post->slug},
                                                    {"title", post->title},
                                                    {"url", post->url},
                                                    {"has_author", false}})
                        : mstch::data(false));
  return data;
}

std::string EchoableText(std::string_view text, bool multiline) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = NextCodePoint(text, &i);
    if (cp == '\r') {
      if (i < text.size() && text[i] == '\n') continue;  // CR LF: the LF follows
      cp = '\n';
    }
    const bool kept_space = multiline && (cp == '\n' || cp == '\t');
    const bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    const bool bidi = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    if ((control && !kept_space) || bidi) continue;
    AppendUtf8(cp, &out);
  }
  return out;
}

Status MakeCommentPageSite(const std::filesystem::path& site_root, const SiteIndex& index,
                           std::shared_ptr<const CommentPageSite>* out) {
  auto site = std::make_shared<CommentPageSite>();
  site->templates_dir = site_root / "templates";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(site->templates_dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    std::string text;
    KILN_RETURN_IF_ERROR(ReadFile(entry.path(), &text));
    site->templates.emplace(entry.path().stem().string(), std::move(text));
  }
  if (ec) return Status::Io("cannot list templates: " + ec.message(), site->templates_dir.string());
  const Config& config = index.config();
  site->common = CommonData(index, "/", kTitle, kTitle, {}).Build();
  site->base_path = config.base_path;
  site->base_url = config.base_url;
  site->max_length = config.comments.max_length;
  site->moderated = config.comments.moderation == "manual";
  for (const PostMeta* post : index.posts()) {
    site->posts.emplace(post->slug, CommentPageSite::Post{post->slug, post->title, LinkUrl(index, post->url),
                                                          AbsoluteUrl(index, post->url)});
  }
  *out = std::move(site);
  return Status::Ok();
}

std::string RenderCommentErrorPage(const CommentPageSite* site, const CommentFormError& error) {
  const CommentPageSite::Post* post = FindCommentPagePost(site, error.post);
  const Echo echo(error);
  if (site && site->templates.count("comment_error")) {
    TemplateSet templates(site->templates_dir, &site->templates);
    DepRecorder unused;  // the page is not saved: nothing to depend on
    std::string html;
    Status s = templates.Render("comment_error", ErrorThemeData(*site, post, error, echo), "/api/comments",
                                &unused, &html);
    if (s.ok()) return html;
    std::fprintf(stderr, "kiln: the comment error page fell back to the built-in one: %s\n",
                 s.ToString().c_str());
  }
  return BuiltInErrorPage(post, error, echo, site ? site->max_length : 10000);
}

}  // namespace kiln
