// The HTTP/1.1 layer of kiln serve: Boost.Beast over Asio, with C++20
// coroutines on one I/O thread. It knows nothing about kiln: it parses
// requests, hands each to a Handler, writes the answer, and keeps
// Server-Sent Events streams open for Broadcast.
//
// Why Beast (figures in docs/server.md and ../shared/notes/http-servers.md):
// a connection is a coroutine, not a thread, so idle keep-alive connections
// and open live-reload streams cost no thread and cannot starve new clients
// (cpp-httplib holds one pool thread per connection; libmicrohttpd blocks a
// poll thread per SSE stream); served from memory it kept up with nginx.
// Beast is included only by http_server.cc, because it compiles slowly.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "serve/http_types.h"
#include "util/status.h"

namespace kiln {

// What a handler gives back: a response now (static files, rejections), or
// a job that answers later from any thread (a comment waiting for its
// rebuild). The connection waits; the I/O thread does not.
struct HandlerResult {
  HttpResponse response;  // used when `deferred` is empty
  std::function<void(std::function<void(HttpResponse)> respond)> deferred;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port; see HttpServer::port()
  // The largest body a request may have, whatever its route.
  size_t max_body_bytes = 1 << 20;
  // The largest body of `request` (its header read, its body not yet; at
  // most max_body_bytes counts), asked before any of the body is read: a
  // declared Content-Length above it is answered at once with
  // body_too_large(request, limit), and a chunked body is cut there with the
  // same answer. Unset: max_body_bytes and a plain-text 413.
  std::function<size_t(const HttpRequest& request)> body_limit;
  std::function<HttpResponse(const HttpRequest& request, size_t limit)> body_too_large;
  // A keep-alive connection idle this long is closed.
  int idle_timeout_seconds = 60;
  // Inside a request, the longest wait for the next byte read or written:
  // a transfer that progresses is never cut.
  int timeout_seconds = 30;
  // Connections one peer address may hold at once; the next ones get 503
  // with Retry-After and are closed, and the others keep being served.
  int connections_per_address = 64;
};

class HttpServer {
 public:
  // Called on the I/O thread for every complete request. It must not block:
  // slow work goes into HandlerResult::deferred, whose `respond` must be
  // called exactly once.
  using Handler = std::function<HandlerResult(HttpRequest& request)>;

  HttpServer(HttpServerOptions options, Handler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens. A busy port or a bad address is kIo with a message
  // naming the address, e.g. "cannot listen on 127.0.0.1:8080: Address
  // already in use". Call once, before Run().
  Status Listen();

  // The bound port (the real one when options.port was 0). After Listen().
  int port() const;

  // Serves on the calling thread until Stop() has taken effect and every
  // connection has ended.
  void Run();

  // Thread-safe. Stops accepting, closes idle keep-alive connections and
  // event streams; requests already read (and their deferred answers) finish,
  // answered with "Connection: close". Run() then returns.
  void Stop();

  // Thread-safe. Sends `event` (a complete SSE event, see live_reload.h) to
  // every open event stream.
  void Broadcast(std::string event);

  // Open connections, event streams included. Used for tests and logs.
  size_t connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kiln
