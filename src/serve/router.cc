#include "serve/router.h"

#include "serve/comment_api.h"
#include "serve/live_reload.h"
#include "serve/static_files.h"
#include "serve/webhook.h"

namespace kiln {
namespace {

HandlerResult Now(HttpResponse response) {
  HandlerResult result;
  result.response = std::move(response);
  return result;
}

HttpResponse MethodNotAllowed(std::string allow) {
  HttpResponse response = TextResponse(405, "405 Method Not Allowed: use " + allow);
  response.SetHeader("Allow", std::move(allow));
  return response;
}

}  // namespace

void Router::SetBuildError(std::string message) {
  std::lock_guard lock(mutex_);
  build_error_ = std::move(message);
}

HttpResponse Router::EventStream() {
  HttpResponse response;
  response.event_stream = true;
  response.SetHeader("Content-Type", "text/event-stream");
  response.SetHeader("Cache-Control", "no-cache");
  // "retry" makes EventSource reconnect after 1 s when kiln restarts.
  std::string first = "retry: 1000\n\n";
  {
    std::lock_guard lock(mutex_);
    if (!build_error_.empty()) first += BuildErrorEvent(build_error_);
  }
  response.body = std::make_shared<const std::string>(std::move(first));
  return response;
}

size_t Router::BodyLimit(const HttpRequest& request) const {
  std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  if (path == "/api/comments") return comments_->max_request_bytes();
  if (path == "/api/rebuild") return kMaxWebhookBodyBytes;
  return kMaxOtherBodyBytes;
}

HttpResponse Router::BodyTooLarge(const HttpRequest& request, size_t limit) const {
  std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
  if (path == "/api/comments") return comments_->TooLarge(request);
  return TextResponse(413, "413 Payload Too Large: at most " + std::to_string(limit) + " bytes");
}

HandlerResult Router::Route(HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  const std::string& method = request.method;
  if (path == "/api/comments") {
    if (method != "POST") return Now(MethodNotAllowed("POST"));
    return comments_->Handle(request);
  }
  if (path == "/api/rebuild") {
    if (!webhook_->enabled()) return webhook_->Handle(request);  // 404
    if (method != "POST") return Now(MethodNotAllowed("POST"));
    return webhook_->Handle(request);
  }
  if (live_reload_ && path == kLiveReloadPath && method == "GET") return Now(EventStream());
  if (method == "GET" || method == "HEAD") return Now(files_->Serve(request));
  return Now(MethodNotAllowed("GET, HEAD"));
}

}  // namespace kiln
