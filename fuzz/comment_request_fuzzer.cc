// libFuzzer target: the form and JSON comment decoders of kiln serve
// (serve/comment_request.h) on arbitrary bodies. The first byte picks the
// Content-Type, the rest is the body.
//
// Aborts when a rejection has a status the header does not list for its
// step (400/422 when parsing, 404/422 when validating) or an empty or
// unprintable message; when an accepted comment breaks a limit it was
// checked against (a published post, 1..100 author characters on one line,
// 1..max_length body characters, valid UTF-8, an email with '@' and at most
// 254 bytes); or when DecodeFormComponent outputs more bytes than it read.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "serve/comment_request.h"
#include "util/strings.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "COMMENT DECODER: %s\n", what);
  std::abort();
}

void CheckRejection(const kiln::CommentRejection& r, int a, int b) {
  if (r.status != a && r.status != b) Fail("rejection status outside the documented ones");
  if (r.message.empty()) Fail("rejection without a message");
  for (unsigned char c : r.message) {
    if (c < 0x20 || c == 0x7f) Fail("control byte in a rejection message");
  }
}

void CheckText(const std::string& text, size_t max_chars, bool multiline) {
  size_t chars = 0;
  if (!kiln::CountUtf8(text, &chars)) Fail("accepted text that is not UTF-8");
  if (chars == 0 || chars > max_chars) Fail("accepted text of a length out of range");
  if (kiln::Trim(text) != text) Fail("accepted text not trimmed");
  for (unsigned char c : text) {
    bool newline = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(multiline && newline)) || c == 0x7f) Fail("accepted a control byte");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const char* const kTypes[] = {
      "application/x-www-form-urlencoded", "application/json",
      "application/json; charset=utf-8",   " Application/X-WWW-Form-Urlencoded ;q=1",
      "text/plain",                        ""};
  if (size == 0) return 0;
  std::string_view type = kTypes[data[0] % (sizeof kTypes / sizeof kTypes[0])];
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string decoded;
  if (kiln::DecodeFormComponent(body, &decoded) && decoded.size() > body.size()) {
    Fail("form decoding grew the input");
  }

  kiln::CommentFields fields;
  kiln::CommentRejection rejection;
  if (!kiln::ParseCommentRequest(type, body, &fields, &rejection)) {
    CheckRejection(rejection, 400, 422);
    return 0;
  }
  kiln::CommentsConfig config;
  config.max_length = 200;
  const std::vector<std::string> published = {"hello-kiln", "second"};
  kiln::NewComment comment;
  if (!kiln::ValidateComment(fields, config, published, &comment, &rejection)) {
    CheckRejection(rejection, 404, 422);
    return 0;
  }
  if (comment.post != "hello-kiln" && comment.post != "second") Fail("accepted an unknown post");
  if (!fields.website.empty()) Fail("accepted a filled-in honeypot");
  CheckText(comment.author, kiln::kMaxAuthorChars, false);
  CheckText(comment.body, static_cast<size_t>(config.max_length), true);
  if (!comment.email.empty() &&
      (comment.email.size() > kiln::kMaxEmailBytes || comment.email.find('@') == std::string::npos)) {
    Fail("accepted a malformed email");
  }
  if (comment.status != "published") Fail("auto moderation did not publish");
  return 0;
}
