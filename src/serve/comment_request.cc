#include "serve/comment_request.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "serve/http_types.h"
#include "util/strings.h"

namespace kiln {
namespace {

bool HasControl(std::string_view s, bool allow_newlines) {
  return std::any_of(s.begin(), s.end(), [&](char ch) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (allow_newlines && (c == '\n' || c == '\r' || c == '\t')) return false;
    return c < 0x20 || c == 0x7f;
  });
}

// 1 to 18 ASCII digits, not 0: a positive int64.
bool ParseCommentId(std::string_view text, int64_t* id) {
  if (text.empty() || text.size() > 18) return false;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *id = value;
  return value > 0;
}

bool Reject(CommentRejection* rejection, int status, std::string message, std::string field = "",
            std::string for_people = "") {
  rejection->status = status;
  rejection->message = std::move(message);
  rejection->field = std::move(field);
  rejection->for_people = std::move(for_people);
  return false;
}

// How the form's error page speaks of a text field.
struct TextField {
  const char* name;      // "author"
  const char* subject;   // "Your name"
  const char* if_empty;  // "Please enter your name."
};
constexpr TextField kAuthorField{"author", "Your name", "Please enter your name."};
constexpr TextField kBodyField{"body", "Your comment", "Please write something before sending."};

std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  return ToLower(Trim(type));
}

bool ParseForm(std::string_view body, CommentFields* out, CommentRejection* rejection) {
  out->from_form = true;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t amp = body.find('&', pos);
    std::string_view pair = body.substr(pos, amp == std::string_view::npos ? amp : amp - pos);
    pos = amp == std::string_view::npos ? body.size() + 1 : amp + 1;
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name, value;
    if (!DecodeFormComponent(pair.substr(0, eq), &name) ||
        (eq != std::string_view::npos && !DecodeFormComponent(pair.substr(eq + 1), &value))) {
      return Reject(rejection, 400, "malformed form encoding (bad %-escape)", "",
                    "Your comment arrived garbled and could not be read. Please send it again.");
    }
    std::string* field = name == "post"      ? &out->post
                         : name == "author"  ? &out->author
                         : name == "body"    ? &out->body
                         : name == "email"   ? &out->email
                         : name == "website" ? &out->website
                         : name == "parent"  ? &out->parent
                                             : nullptr;
    if (field != nullptr && field->empty()) *field = std::move(value);
  }
  return true;
}

bool ParseJson(std::string_view body, CommentFields* out, CommentRejection* rejection) {
  out->from_form = false;
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Reject(rejection, 400, "the body is not valid JSON");
  if (!json.is_object()) return Reject(rejection, 400, "the JSON body must be an object");
  const std::pair<const char*, std::string*> fields[] = {
      {"post", &out->post}, {"author", &out->author}, {"body", &out->body},
      {"email", &out->email}, {"website", &out->website}};
  if (auto it = json.find("parent"); it != json.end() && it->is_number_integer()) {
    out->parent = std::to_string(it->get<int64_t>());
  } else if (it != json.end() && !it->is_null() && !it->is_string()) {
    return Reject(rejection, 400, "field 'parent' must be the id of a comment");
  } else if (it != json.end() && it->is_string()) {
    out->parent = it->get<std::string>();
  }
  for (const auto& [name, target] : fields) {
    auto it = json.find(name);
    if (it == json.end() || it->is_null()) continue;
    if (!it->is_string()) {
      return Reject(rejection, 422, std::string("field '") + name + "' must be a string");
    }
    *target = it->get<std::string>();
  }
  return true;
}

// A required, trimmed text field of at most `max_chars` code points.
bool CheckText(const TextField& f, const std::string& value, size_t max_chars, bool multiline,
               CommentRejection* rejection) {
  const std::string name = f.name, subject = f.subject;
  size_t chars = 0;
  if (!CountUtf8(value, &chars)) {
    return Reject(rejection, 422, "field '" + name + "' is not valid UTF-8", name,
                  subject + " contains characters that could not be read; they are shown as \xEF\xBF\xBD "
                  "below. Please retype them.");
  }
  if (value.empty()) return Reject(rejection, 422, "field '" + name + "' is required", name, f.if_empty);
  if (chars > max_chars) {
    return Reject(rejection, 422,
                  "field '" + name + "' is too long: " + std::to_string(chars) +
                      " characters, at most " + std::to_string(max_chars) + " allowed",
                  name,
                  subject + " is " + std::to_string(chars) + " characters long. Please shorten it to " +
                      std::to_string(max_chars) + " or fewer.");
  }
  if (HasControl(value, multiline)) {
    return Reject(rejection, 422, "field '" + name + "' contains control characters", name,
                  subject + " contained invisible control characters. They have been taken out below: "
                  "please check it, then send it again.");
  }
  return true;
}

}  // namespace

size_t MaxCommentRequestBytes(const CommentsConfig& config) {
  return 16 * 1024 + 12 * static_cast<size_t>(std::max(config.max_length, 0));
}

bool DecodeFormComponent(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '+') {
      c = ' ';
    } else if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = HexDigitValue(in[i + 1]), lo = HexDigitValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    out->push_back(c);
  }
  return true;
}

bool ParseCommentRequest(std::string_view content_type, std::string_view body,
                         CommentFields* out, CommentRejection* rejection) {
  std::string type = MediaType(content_type);
  if (type == "application/x-www-form-urlencoded") return ParseForm(body, out, rejection);
  if (type == "application/json") return ParseJson(body, out, rejection);
  return Reject(rejection, 400,
                "unsupported Content-Type '" + PrintableForMessage(content_type) +
                    "': send application/x-www-form-urlencoded or application/json");
}

bool ValidateComment(const CommentFields& fields, const CommentsConfig& config,
                     const std::vector<std::string>& published_posts, NewComment* out,
                     CommentRejection* rejection) {
  if (!fields.website.empty()) {
    return Reject(rejection, 422, "field 'website' must be left empty (it is a spam trap)", "",
                  "A field meant to stay empty was filled in (some browsers fill in forms by "
                  "themselves), so your comment looked automated. It is emptied now: please send "
                  "it again.");
  }
  const char* kNoPost = "This post does not take comments (it may have been unpublished or renamed).";
  if (fields.post.empty()) return Reject(rejection, 422, "field 'post' is required", "", kNoPost);
  if (!IsValidSlug(fields.post) ||
      !std::binary_search(published_posts.begin(), published_posts.end(), fields.post)) {
    return Reject(rejection, 404,
                  "no published post with slug '" + PrintableForMessage(fields.post) + "'", "", kNoPost);
  }
  std::string author = Trim(fields.author);
  std::string body = Trim(fields.body);
  std::string email = Trim(fields.email);
  if (!CheckText(kAuthorField, author, kMaxAuthorChars, false, rejection)) return false;
  if (!CheckText(kBodyField, body, static_cast<size_t>(std::max(config.max_length, 0)), true,
                 rejection)) {
    return false;
  }
  if (!email.empty()) {
    size_t at = email.find('@');
    if (email.size() > kMaxEmailBytes || at == std::string::npos || at == 0 ||
        at + 1 == email.size() || email.find_first_of(" \t\r\n<>\"") != std::string::npos ||
        HasControl(email, false)) {
      return Reject(rejection, 422, "field 'email' is not an email address", "email",
                    "This does not look like an email address. Please correct it, or leave the "
                    "field empty: it is optional.");
    }
  }
  out->parent.reset();
  if (!fields.parent.empty()) {
    int64_t id = 0;
    if (!ParseCommentId(fields.parent, &id)) {
      return Reject(rejection, 400, "field 'parent' must be the id of a comment", "", kParentGone);
    }
    out->parent = id;
  }
  out->post = fields.post;
  out->author = std::move(author);
  out->body = std::move(body);
  out->email = std::move(email);
  out->status = config.moderation == "manual" ? "pending" : "published";
  return true;
}

}  // namespace kiln
