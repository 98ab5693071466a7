#include "serve/comment_notification.h"

#include <nlohmann/json.hpp>

#include "serve/webhook.h"
#include "store/comment_store.h"

namespace kiln {

std::string NotificationEvent(const Comment& comment) { return "comment." + comment.status; }

std::string CommentExcerpt(const std::string& body) {
  size_t chars = 0, i = 0;
  for (; i < body.size() && chars < kExcerptChars; ++chars) {
    ++i;
    while (i < body.size() && (static_cast<unsigned char>(body[i]) & 0xC0) == 0x80) ++i;
  }
  return i < body.size() ? body.substr(0, i) + "\xE2\x80\xA6" : body;
}

std::string NotificationBody(const Comment& comment, const std::string& link) {
  nlohmann::ordered_json j;
  j["event"] = NotificationEvent(comment);
  j["id"] = comment.id;
  j["post"] = comment.post;
  j["author"] = comment.author;
  j["excerpt"] = CommentExcerpt(comment.body);
  j["status"] = comment.status;
  j["link"] = link;
  j["created_at"] = comment.created_at;
  // Bodies are untrusted: invalid UTF-8 is replaced rather than thrown on.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> NotificationHeaders(const Comment& comment,
                                                                     const std::string& body,
                                                                     const std::string& secret,
                                                                     int64_t unix_seconds) {
  const std::string timestamp = std::to_string(unix_seconds);
  return {{"Content-Type", "application/json"},
          {"X-Kiln-Event", NotificationEvent(comment)},
          {"X-Kiln-Delivery", "comment-" + std::to_string(comment.id) + "-" + comment.status},
          {"X-Kiln-Timestamp", timestamp},
          {"X-Kiln-Signature", "sha256=" + HmacSha256Hex(secret, timestamp + "." + body)}};
}

}  // namespace kiln
