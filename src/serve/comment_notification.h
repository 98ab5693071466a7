// What a comment notification carries (issue 9, "Notifications"; the scheme
// is in docs/server.md, "Notifications", for receivers to verify):
//
//   POST [notify] url
//   Content-Type: application/json
//   X-Kiln-Event: comment.pending | comment.published
//   X-Kiln-Delivery: comment-ID-STATUS   (the same on every retry: a receiver
//                                         that saw it already can skip it)
//   X-Kiln-Timestamp: UNIX_SECONDS       (of this attempt)
//   X-Kiln-Signature: sha256=HEX         HMAC-SHA256(secret, TIMESTAMP "." BODY)
//
//   {"event", "id", "post", "author", "excerpt", "status", "link", "created_at"}
//
// The signature is the one kiln's own rebuild webhook accepts (SPEC.md,
// "The server", POST /api/rebuild), so one verifier serves both. The email
// and client address are never sent: the endpoint may be a third party's.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace kiln {

struct Comment;

// The event a comment of this status announces: "comment.pending" or
// "comment.published".
std::string NotificationEvent(const Comment& comment);

// The first kExcerptChars characters (UTF-8 code points, never a cut one)
// of the body, with "…" when it was longer.
std::string CommentExcerpt(const std::string& body);
constexpr size_t kExcerptChars = 280;

// The JSON body. `link` is the comment's absolute URL
// ("https://blog.example/posts/a/#comment-12").
std::string NotificationBody(const Comment& comment, const std::string& link);

// The headers of one attempt, signed with `secret` at `unix_seconds`.
std::vector<std::pair<std::string, std::string>> NotificationHeaders(const Comment& comment,
                                                                     const std::string& body,
                                                                     const std::string& secret,
                                                                     int64_t unix_seconds);

}  // namespace kiln
