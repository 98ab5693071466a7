// Reading and validating one comment sent over HTTP (SPEC.md, "The server":
// "POST /api/comments (form-encoded from the comment form, or JSON): fields
// post, author, body, optional email … Invalid: 400/404/413/422/429 with a
// clear message, and nothing stored"). Pure functions: no disk, no clock, so
// every rejection is unit-tested.
//
// Status codes:
//   400  the request is not a comment at all: an unsupported Content-Type,
//        a malformed form encoding, JSON that does not parse or is not an
//        object; or its `parent` is not a comment id (whether that id is a
//        published comment of the same post is checked when it is stored:
//        CommentStore::Add, also 400);
//   404  `post` names no published post (drafts and future posts included);
//   413  the body is over MaxCommentRequestBytes;
//   422  a field is missing, empty, of the wrong JSON type, too long, not
//        UTF-8, or the honeypot field `website` is filled in.
// (429 is decided by the rate limiter, see rate_limiter.h.)
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "load/config.h"
#include "store/comment_store.h"

namespace kiln {

struct CommentFields {
  std::string post;
  std::string author;
  std::string body;
  std::string email;
  // Honeypot: the comment form has a "website" input that CSS hides from
  // people; bots fill in every field. Anything in it rejects the comment.
  std::string website;
  // From the HTML form (answered with 303 and HTML errors) rather than the
  // JSON API (answered with 201 and JSON errors).
  bool from_form = false;
  // The id of the comment this one answers, as sent (form: digits; JSON: a
  // number or a string of digits); empty for a top-level comment.
  std::string parent;
};

struct CommentRejection {
  int status = 0;
  std::string message;  // one sentence naming the field: the JSON API's "error"
  // For the HTML form's error page (render/comment_error_page.h): the field
  // the problem is in ("author", "email", "body"; empty: the whole form),
  // and what to do about it in plain words ("Please write something before
  // sending.", not "field 'body' is required").
  std::string field;
  std::string for_people;
};

// The form's error page, when `parent` is not a published comment of the
// post: the page offers the text again as a top-level comment.
inline constexpr char kParentGone[] =
    "The comment you replied to is no longer shown (it may have been removed), so your reply "
    "cannot go under it. Your text is below as a new comment on the post: send it again to "
    "post it that way.";

// Limits beyond [comments] max_length.
inline constexpr size_t kMaxAuthorChars = 100;
inline constexpr size_t kMaxEmailBytes = 254;  // RFC 5321's path limit

// Largest request body accepted: room for a body of max_length characters,
// each up to 4 UTF-8 bytes, percent-encoded (x3), plus the other fields.
size_t MaxCommentRequestBytes(const CommentsConfig& config);

// Parses an application/x-www-form-urlencoded or application/json body
// (chosen by `content_type`, parameters such as charset ignored). Unknown
// fields are ignored. False with `rejection` set (400 or 422) on failure.
bool ParseCommentRequest(std::string_view content_type, std::string_view body,
                         CommentFields* out, CommentRejection* rejection);

// Checks `fields` against `config` and the sorted slugs of the published
// posts, and fills `out` (status "published" or, under manual moderation,
// "pending"; client_addr is left to the caller). Author, body and email are
// trimmed of surrounding whitespace first. False with `rejection` set (404
// or 422) when invalid.
bool ValidateComment(const CommentFields& fields, const CommentsConfig& config,
                     const std::vector<std::string>& published_posts, NewComment* out,
                     CommentRejection* rejection);

// Decodes application/x-www-form-urlencoded ('+' is a space). False on a bad
// %-escape.
bool DecodeFormComponent(std::string_view in, std::string* out);

}  // namespace kiln
