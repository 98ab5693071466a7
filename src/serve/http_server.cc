// Implementation notes.
//  - One io_context, run by one thread. Each connection is a coroutine
//    (Serve); its state lives in the coroutine frame, and `connections`
//    lists them so that Stop() and Broadcast() can reach them. Only the I/O
//    thread touches that set, `stopping` and every socket; other threads
//    post to the I/O thread.
//  - A deferred handler holds a work guard so that Run() does not return
//    while a comment is waiting for its rebuild on another thread.
//  - Bodies are sent from the handler's shared string with span_body (no
//    copy). Beast's file_body reads through a 4 KB buffer and measured 2-7x
//    slower than serving from memory (../shared/notes/http-servers.md).
//  - TCP_NODELAY on every socket: without it a small response waits for the
//    peer's delayed ACK (44 ms measured with cpp-httplib and evhttp).
#include <utility>  // Boost 1.74's Beast misses this include with GCC 12.

#include "serve/http_server.h"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <deque>
#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>

#include "serve/http_date.h"

namespace kiln {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
using asio::use_awaitable;
using boost::system::error_code;

// A plain socket rather than beast::tcp_stream: tcp_stream arms a timer on
// every read and write, which cost about 40% of the requests per second at
// 64 keep-alive connections (bench/serve_bench.sh). Timeouts come instead
// from one sweep a second over `last_active` (see Impl::Sweep).
struct Connection {
  explicit Connection(tcp::socket socket)
      : stream(std::move(socket)), wake(stream.get_executor()) {}
  tcp::socket stream;
  int64_t last_active = 0;    // steady seconds of the last read or write
  bool idle = true;           // waiting for the first byte of a request
  bool event_stream = false;  // an SSE stream: Broadcast() feeds `events`
  std::deque<std::string> events;
  asio::steady_timer wake;    // cancelled when `events` gets one
};

std::string Lower(beast::string_view s) {
  std::string out(s.data(), s.size());
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool BodyAllowed(int status) { return status >= 200 && status != 204 && status != 304; }

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  HttpServerOptions options;
  Handler handler;
  asio::io_context io{1};
  tcp::acceptor acceptor{io};
  std::atomic<int> port{0};
  std::atomic<size_t> count{0};
  bool stopping = false;             // I/O thread only
  std::set<Connection*> connections;  // I/O thread only
  std::string date;
  int64_t date_second = -1;

  const std::string& Date() {
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (now != date_second) {
      date_second = now;
      date = FormatHttpDate(now);
    }
    return date;
  }

  awaitable<void> Accept() {
    for (;;) {
      error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(use_awaitable, ec));
      if (stopping || ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // EMFILE and friends: back off instead of spinning.
        std::fprintf(stderr, "kiln: accept: %s\n", ec.message().c_str());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      asio::co_spawn(io, Serve(std::move(socket)), asio::detached);
    }
  }

  // Waits for a deferred handler's answer without blocking the I/O thread.
  awaitable<HttpResponse> AwaitDeferred(
      std::function<void(std::function<void(HttpResponse)>)> job) {
    auto initiation = [this](auto completion,
                             std::function<void(std::function<void(HttpResponse)>)> job) {
      auto shared = std::make_shared<decltype(completion)>(std::move(completion));
      auto guard = std::make_shared<asio::executor_work_guard<asio::io_context::executor_type>>(
          io.get_executor());
      job([this, shared, guard](HttpResponse response) {
        asio::post(io, [shared, response = std::move(response)]() mutable {
          (*shared)(std::move(response));
        });
        guard->reset();
      });
    };
    return asio::async_initiate<const asio::use_awaitable_t<>&, void(HttpResponse)>(
        initiation, use_awaitable, std::move(job));
  }

  awaitable<void> Write(Connection& conn, const HttpResponse& r, unsigned version,
                        bool keep_alive, error_code& ec) {
    http::response<http::span_body<const char>> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "kiln");
    res.set(http::field::date, Date());
    for (const auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(keep_alive);
    if (BodyAllowed(r.status)) {
      res.content_length(r.body->size());
      if (!r.omit_body) res.body() = {r.body->data(), r.body->size()};
    }
    conn.last_active = NowSeconds();
    co_await http::async_write(conn.stream, res, asio::redirect_error(use_awaitable, ec));
  }

  // An SSE stream: headers, then events until the client leaves or we stop.
  // Close-delimited (no length, no chunking); a ping every 25 s finds
  // clients that went away.
  awaitable<void> StreamEvents(Connection& conn, const HttpResponse& r, unsigned version) {
    error_code ec;
    http::response<http::empty_body> res{http::status::ok, version};
    res.set(http::field::server, "kiln");
    for (const auto& [name, value] : r.headers) res.insert(name, value);
    res.keep_alive(false);
    conn.event_stream = true;
    if (!r.body->empty()) conn.events.push_front(*r.body);
    conn.last_active = NowSeconds();
    co_await http::async_write(conn.stream, res, asio::redirect_error(use_awaitable, ec));
    while (!ec && !stopping) {
      if (conn.events.empty()) {
        conn.wake.expires_after(std::chrono::seconds(25));
        co_await conn.wake.async_wait(asio::redirect_error(use_awaitable, ec));
        if (stopping) break;
        if (conn.events.empty()) conn.events.push_back(": ping\n\n");
      }
      std::string batch;
      for (const std::string& e : conn.events) batch += e;
      conn.events.clear();
      conn.last_active = NowSeconds();
      co_await asio::async_write(conn.stream, asio::buffer(batch),
                                 asio::redirect_error(use_awaitable, ec));
    }
  }

  // Sends a final error answer and closes gently: shutting down our side
  // first lets the client read the answer instead of a reset.
  awaitable<void> Refuse(Connection& conn, int status, std::string_view message) {
    error_code ec;
    HttpResponse r = TextResponse(status, message);
    co_await Write(conn, r, 11, false, ec);
    conn.stream.shutdown(tcp::socket::shutdown_send, ec);
  }

  awaitable<void> Serve(tcp::socket socket) {
    error_code ec;
    std::string client = socket.remote_endpoint(ec).address().to_string();
    Connection conn(std::move(socket));
    connections.insert(&conn);
    ++count;
    try {
      co_await ServeRequests(conn, client);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kiln: connection from %s: %s\n", client.c_str(), e.what());
    }
    conn.stream.shutdown(tcp::socket::shutdown_both, ec);
    connections.erase(&conn);
    --count;
  }

  awaitable<void> ServeRequests(Connection& conn, const std::string& client) {
    beast::flat_buffer buffer;
    while (!stopping) {
      error_code ec;
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.max_body_bytes);
      conn.idle = true;
      conn.last_active = NowSeconds();
      co_await http::async_read_header(conn.stream, buffer, parser,
                                       asio::redirect_error(use_awaitable, ec));
      conn.idle = false;
      if (ec == http::error::body_limit) {
        co_await Refuse(conn, 413, "request body too large");
        co_return;
      }
      if (ec && ec.category() == error_code(http::error::bad_target).category() &&
          ec != http::error::end_of_stream && ec != http::error::partial_message) {
        co_await Refuse(conn, 400, "malformed HTTP request");
        co_return;
      }
      if (ec) co_return;
      if (!parser.is_done()) {
        // curl and others send "Expect: 100-continue" before a body of
        // more than 1 KB and wait a second for this interim answer.
        if (beast::iequals(parser.get()[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on{http::status::continue_, parser.get().version()};
          co_await http::async_write(conn.stream, go_on, asio::redirect_error(use_awaitable, ec));
          if (ec) co_return;
        }
        conn.last_active = NowSeconds();
        co_await http::async_read(conn.stream, buffer, parser,
                                  asio::redirect_error(use_awaitable, ec));
        if (ec == http::error::body_limit) {
          co_await Refuse(conn, 413, "request body too large");
          co_return;
        }
        if (ec) co_return;
      }
      auto& message = parser.get();
      HttpRequest request;
      request.method = std::string(message.method_string());
      request.target = std::string(message.target());
      for (const auto& field : message) {
        request.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
      }
      request.body = std::move(message.body());
      request.client_addr = client;
      unsigned version = message.version();
      bool keep_alive = message.keep_alive();

      HandlerResult result = handler(request);
      // Plain statements around co_await: GCC 12 miscompiles co_await inside
      // a conditional expression.
      HttpResponse response;
      if (result.deferred) {
        response = co_await AwaitDeferred(std::move(result.deferred));
      } else {
        response = std::move(result.response);
      }
      if (response.event_stream) {
        co_await StreamEvents(conn, response, version);
        co_return;
      }
      keep_alive = keep_alive && !response.close && !stopping;
      co_await Write(conn, response, version, keep_alive, ec);
      if (ec || !keep_alive) co_return;
    }
  }

  // Closes connections silent for longer than their timeout: idle_timeout
  // while waiting for a request, 30 s inside one. Event streams are exempt
  // (their pings fail on a dead peer).
  awaitable<void> Sweep() {
    asio::steady_timer timer(io);
    while (!stopping) {
      timer.expires_after(std::chrono::seconds(1));
      error_code ec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
      int64_t now = NowSeconds();
      for (Connection* conn : connections) {
        if (conn->event_stream) continue;
        int64_t limit = conn->idle ? options.idle_timeout_seconds : 30;
        if (now - conn->last_active > limit) conn->stream.close(ec);
      }
    }
  }

  void StopOnIoThread() {
    stopping = true;
    error_code ec, ignored;
    acceptor.close(ec);
    for (Connection* conn : connections) {
      if (conn->event_stream) {
        conn->wake.cancel();
        conn->stream.cancel(ignored);
      } else if (conn->idle) {
        conn->stream.cancel(ignored);
      }
    }
  }
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;

Status HttpServer::Listen() {
  std::string where = impl_->options.host + ":" + std::to_string(impl_->options.port);
  error_code ec;
  tcp::resolver resolver(impl_->io);
  auto endpoints = resolver.resolve(impl_->options.host, std::to_string(impl_->options.port),
                                    tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return Status::Invalid("cannot listen on " + where + ": bad host address");
  }
  tcp::endpoint endpoint = endpoints.begin()->endpoint();
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return Status::Io("cannot listen on " + where + ": " + ec.message());
  impl_->port = acceptor.local_endpoint(ec).port();
  asio::co_spawn(impl_->io, impl_->Accept(), asio::detached);
  asio::co_spawn(impl_->io, impl_->Sweep(), asio::detached);
  return Status::Ok();
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Run() { impl_->io.run(); }

void HttpServer::Stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->StopOnIoThread(); });
}

void HttpServer::Broadcast(std::string event) {
  asio::post(impl_->io, [impl = impl_.get(), event = std::move(event)] {
    for (Connection* conn : impl->connections) {
      if (!conn->event_stream) continue;
      conn->events.push_back(event);
      conn->wake.cancel();
    }
  });
}

size_t HttpServer::connection_count() const { return impl_->count; }

}  // namespace kiln
