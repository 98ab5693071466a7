#include "serve/http_types.h"

#include <nlohmann/json.hpp>

namespace kiln {

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
