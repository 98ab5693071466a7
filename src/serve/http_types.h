// The request and response the handlers of kiln serve see. They are plain
// structs so that handlers (static files, comments, webhook) neither include
// nor compile Boost.Beast, which only http_server.cc does (compiling Beast
// costs ~20 s a file on this machine class).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kiln {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", …, as sent
  std::string target;  // the request-target, raw (still percent-encoded)
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
  std::string body;
  std::string client_addr;  // the peer's IP address, e.g. "127.0.0.1"

  // The value of header `lower_name`, or "" when absent.
  std::string_view Header(std::string_view lower_name) const {
    for (const auto& [name, value] : headers) {
      if (name == lower_name) return value;
    }
    return {};
  }
};

// A read-only file descriptor, closed with the last shared_ptr to it.
struct OpenFile {
  explicit OpenFile(int descriptor) : fd(descriptor) {}
  ~OpenFile();
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;
  int fd;
};

// The shared empty body: a default HttpResponse costs no allocation.
inline const std::shared_ptr<const std::string>& EmptyBody() {
  static const std::shared_ptr<const std::string> empty = std::make_shared<const std::string>();
  return empty;
}

struct HttpResponse {
  int status = 200;
  // Headers besides Content-Length, Date, Server and Connection, which the
  // HTTP layer adds.
  std::vector<std::pair<std::string, std::string>> headers;
  // Shared so that a cached file is sent without a copy; never null once a
  // handler returns.
  std::shared_ptr<const std::string> body = EmptyBody();
  // The fast path for cached files (static_files.h): when set, the status
  // line and every header except Date and Connection, already serialized by
  // SerializeHead(), each line ending in CRLF but without the blank line.
  // The HTTP layer then sends this, the Date and Connection lines and the
  // body in one gather write, and ignores `headers` (`status` must still
  // match the status line).
  std::shared_ptr<const std::string> head;
  // A body streamed from an open file instead of `body` (large static files,
  // static_files.h): `file_length` bytes from `file_offset`, sent with
  // sendfile. Only with `head`, whose Content-Length must say file_length.
  std::shared_ptr<const OpenFile> file;
  int64_t file_offset = 0;
  int64_t file_length = 0;
  // HEAD: Content-Length is the body's size but no body bytes are sent.
  bool omit_body = false;
  // Close the connection after this response.
  bool close = false;
  // A Server-Sent Events stream (live reload): the HTTP layer sends the
  // headers and keeps the connection open for events (see live_reload.h).
  bool event_stream = false;

  void SetHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

// "HTTP/1.1 STATUS REASON\r\nServer: kiln\r\n", then "NAME: VALUE\r\n" for
// each of `headers`, then "Content-Length: N\r\n" when `content_length` is
// not negative; no blank line. What HttpResponse::head holds.
std::string SerializeHead(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                          int64_t content_length);

// `text` from a request, made safe to quote in an answer's message: each
// control character (C0, DEL) becomes "\xNN", so a NUL or an escape
// sequence sent by a client is never echoed into a page (issue 7).
std::string PrintableForMessage(std::string_view text);

// A response with a short body of `content_type`.
HttpResponse MakeResponse(int status, std::string content_type, std::string body);
// A plain-text response: "MESSAGE\n".
HttpResponse TextResponse(int status, std::string_view message);
// {"error": MESSAGE} with `status`.
HttpResponse JsonErrorResponse(int status, std::string_view message);

}  // namespace kiln
