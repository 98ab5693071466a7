// Which handler answers a request (SPEC.md, "The server"):
//   POST /api/comments        comment_api.h     (other methods: 405)
//   POST /api/rebuild         webhook.h         (404 when the webhook is off)
//   GET  /_kiln/live-reload   the SSE stream of live_reload.h, --watch only
//   GET  /api/stats, /metrics, /_kiln/stats   serve_stats.h, when [stats] enabled
//   GET, HEAD anything else   static_files.h
//   any other method          405 with Allow: GET, HEAD
#pragma once

#include <mutex>
#include <string>

#include "serve/http_server.h"

namespace kiln {

class CommentApi;
class RebuildWebhook;
class ServeStats;
class StaticFiles;

class Router {
 public:
  // All three must outlive the router. `live_reload` turns on the SSE route.
  Router(StaticFiles* files, CommentApi* comments, RebuildWebhook* webhook, bool live_reload)
      : files_(files), comments_(comments), webhook_(webhook), live_reload_(live_reload) {}

  HandlerResult Route(HttpRequest& request);

  // Counts every answer, page hit and comment in `stats` (which must
  // outlive the router) and routes its paths to it. Call before serving.
  void SetStats(ServeStats* stats) { stats_ = stats; }

  // The largest body the route of `request` (its header only) takes:
  //   POST /api/comments  MaxCommentRequestBytes (docs/server.md)
  //   POST /api/rebuild   kMaxWebhookBodyBytes
  //   anything else       kMaxOtherBodyBytes (read and ignored)
  // and the 413 answer for a body over it (HttpServerOptions::body_limit).
  size_t BodyLimit(const HttpRequest& request) const;
  HttpResponse BodyTooLarge(const HttpRequest& request, size_t limit) const;
  static constexpr size_t kMaxWebhookBodyBytes = 1 << 20;
  static constexpr size_t kMaxOtherBodyBytes = 8 << 10;

  // Thread-safe. The first event a new live-reload stream receives: the
  // current build error, or "" when the last build succeeded.
  void SetBuildError(std::string message);

 private:
  HttpResponse EventStream();
  HandlerResult Dispatch(HttpRequest& request, std::string_view path);
  void Count(HandlerResult* result, bool comment, int64_t started_ns);

  StaticFiles* files_;
  CommentApi* comments_;
  RebuildWebhook* webhook_;
  ServeStats* stats_ = nullptr;
  bool live_reload_;
  std::mutex mutex_;
  std::string build_error_;
};

}  // namespace kiln
