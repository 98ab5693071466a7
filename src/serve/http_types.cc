#include "serve/http_types.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace kiln {
namespace {

std::string_view Reason(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 206: return "Partial Content";
    case 413: return "Payload Too Large";
    case 414: return "URI Too Long";
    case 416: return "Range Not Satisfiable";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 422: return "Unprocessable Entity";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace

OpenFile::~OpenFile() { close(fd); }

std::string SerializeHead(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                          int64_t content_length) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " ";
  out += Reason(status);
  out += "\r\nServer: kiln\r\n";
  for (const auto& [name, value] : headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  if (content_length >= 0) out += "Content-Length: " + std::to_string(content_length) + "\r\n";
  return out;
}

std::string PrintableForMessage(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    } else {
      out += c;
    }
  }
  return out;
}

HttpResponse MakeResponse(int status, std::string content_type, std::string body) {
  HttpResponse response;
  response.status = status;
  response.SetHeader("Content-Type", std::move(content_type));
  response.body = std::make_shared<const std::string>(std::move(body));
  return response;
}

HttpResponse TextResponse(int status, std::string_view message) {
  std::string body(message);
  body += '\n';
  return MakeResponse(status, "text/plain; charset=utf-8", std::move(body));
}

HttpResponse JsonErrorResponse(int status, std::string_view message) {
  nlohmann::json json = {{"error", std::string(message)}};
  // replace: a message quoting user input must not make dump() throw.
  return MakeResponse(status, "application/json",
                      json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

}  // namespace kiln
