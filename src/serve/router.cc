#include "serve/router.h"

#include <chrono>

#include "serve/comment_api.h"
#include "serve/live_reload.h"
#include "serve/serve_stats.h"
#include "serve/static_files.h"
#include "serve/webhook.h"

namespace kiln {
namespace {

HandlerResult Now(HttpResponse response) {
  HandlerResult result;
  result.response = std::move(response);
  return result;
}

int64_t SteadyNanos() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// SPEC.md, "The server": a stored comment is answered 303 (form) or 201
// (JSON); held for moderation, 202 (docs/server.md). Anything else stored
// nothing.
bool CommentStored(int status) { return status == 201 || status == 202 || status == 303; }

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
  if (stats_) {
    // Answered by the HTTP layer before the router sees the request.
    stats_->hits()->RecordAnswer(413, 0);
    if (path == "/api/comments" && request.method == "POST") stats_->hits()->RecordComment(false, 0);
  }
  if (path == "/api/comments") return comments_->TooLarge(request);
  return TextResponse(413, "413 Payload Too Large: at most " + std::to_string(limit) + " bytes");
}

HandlerResult Router::Route(HttpRequest& request) {
  std::string_view path = request.target;
  path = path.substr(0, path.find('?'));
  if (!stats_) return Dispatch(request, path);
  // Two clock reads a request (vDSO, tens of nanoseconds): the latency
  // histogram needs them; no lock is taken (hit_stats.h).
  const int64_t started = SteadyNanos();
  const bool comment = path == "/api/comments" && request.method == "POST";
  HandlerResult result = Dispatch(request, path);  // counted in place: no move of the result
  Count(&result, comment, started);
  return result;
}

// A deferred answer (a comment waiting for its rebuild) is counted when it
// is given, on whichever thread gives it.
void Router::Count(HandlerResult* result, bool comment, int64_t started) {
  HitStats* hits = stats_->hits();
  if (!result->deferred) {
    const int64_t nanos = SteadyNanos() - started;
    hits->RecordAnswer(result->response.status, nanos);
    if (comment) hits->RecordComment(CommentStored(result->response.status), nanos);
    return;
  }
  result->deferred = [inner = std::move(result->deferred), hits, comment,
                      started](std::function<void(HttpResponse)> respond) {
    inner([hits, comment, started, respond = std::move(respond)](HttpResponse response) {
      const int64_t nanos = SteadyNanos() - started;
      hits->RecordAnswer(response.status, nanos);
      if (comment) hits->RecordComment(CommentStored(response.status), nanos);
      respond(std::move(response));
    });
  };
}

HandlerResult Router::Dispatch(HttpRequest& request, std::string_view path) {
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
  if (stats_ && stats_->Takes(path)) return Now(stats_->Handle(request, path));
  if (method == "GET" || method == "HEAD") {
    HandlerResult result = Now(files_->Serve(request));
    if (stats_) stats_->hits()->RecordPage(request.target, result.response.status);
    return result;
  }
  return Now(MethodNotAllowed("GET, HEAD"));
}

}  // namespace kiln
