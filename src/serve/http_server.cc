// Implementation notes.
//  - One io_context, run by one thread. Each connection is a coroutine
//    (Serve); its state lives in the coroutine frame, and `connections`
//    lists them so that Stop() and Broadcast() can reach them. Only the I/O
//    thread touches that set, `stopping` and every socket; other threads
//    post to the I/O thread.
//  - A deferred handler holds a work guard so that Run() does not return
//    while a comment is waiting for its rebuild on another thread.
//  - The hot path (a cached file, docs/server.md "Performance"): the request
//    is parsed by Beast's parser fed by hand (one non-blocking read, then
//    async_wait only when the socket is empty), and the answer is the
//    file's prebuilt header block (HttpResponse::head), the Date and
//    Connection lines and the shared body, sent by one non-blocking gather
//    write (writev); only what the kernel does not take at once goes through
//    async_write. Other answers are serialized by Beast (http::async_write).
//    Bodies are never copied. Beast's file_body reads through a 4 KB buffer
//    and measured 2-7x slower than serving from memory
//    (../shared/notes/http-servers.md).
//  - TCP_NODELAY is set on the listening socket, and Linux copies it to
//    every accepted one (one setsockopt less per connection); without it a
//    small response waits for the peer's delayed ACK (44 ms measured with
//    cpp-httplib and evhttp).
//  - The io_context is created with BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO:
//    only the I/O thread touches sockets, so the reactor's per-descriptor
//    locks are dropped; other threads still post() to it safely.
#include <utility>  // Boost 1.74's Beast misses this include with GCC 12.

#include "serve/http_server.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>
#include <set>
#include <unordered_map>

#include <array>

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
#include <boost/beast/core/buffers_suffix.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http.hpp>
#include <sys/sendfile.h>

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
// Where a request's parser keeps its header fields: a bump allocator over a
// block of the connection, so that parsing a request allocates nothing.
// Everything a parser allocates is freed with it, and the block is reused
// once nothing in it is live; what does not fit goes to operator new.
struct Arena {
  alignas(std::max_align_t) char block[4096];
  size_t used = 0;
  int live = 0;
};

template <class T>
struct ArenaAllocator {
  using value_type = T;
  Arena* arena;
  explicit ArenaAllocator(Arena* a) noexcept : arena(a) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept : arena(other.arena) {}

  T* allocate(size_t n) {
    constexpr size_t kAlign = alignof(std::max_align_t);
    size_t bytes = n * sizeof(T);
    size_t start = (arena->used + kAlign - 1) & ~(kAlign - 1);
    if (start + bytes <= sizeof arena->block) {
      arena->used = start + bytes;
      ++arena->live;
      return reinterpret_cast<T*>(arena->block + start);
    }
    return static_cast<T*>(::operator new(bytes));
  }
  void deallocate(T* p, size_t) noexcept {
    char* c = reinterpret_cast<char*>(p);
    if (c >= arena->block && c < arena->block + sizeof arena->block) {
      if (--arena->live == 0) arena->used = 0;
      return;
    }
    ::operator delete(p);
  }
  template <class U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena == other.arena;
  }
};

using RequestParser = http::request_parser<http::string_body, ArenaAllocator<char>>;

// "127.0.0.1" without inet_ntop's sprintf (IPv6 takes the library's way).
std::string AddressString(const asio::ip::address& address) {
  if (!address.is_v4()) return address.to_string();
  auto bytes = address.to_v4().to_bytes();
  char text[16];
  char* p = text;
  for (size_t i = 0; i < 4; ++i) {
    unsigned b = bytes[i];
    if (b >= 100) *p++ = static_cast<char>('0' + b / 100);
    if (b >= 10) *p++ = static_cast<char>('0' + b / 10 % 10);
    *p++ = static_cast<char>('0' + b % 10);
    if (i < 3) *p++ = '.';
  }
  return std::string(text, p);
}

struct Connection {
  Connection(tcp::socket socket, std::string peer)
      : stream(std::move(socket)), client(std::move(peer)), wake(stream.get_executor()) {}
  tcp::socket stream;
  std::string client;         // the peer's address, e.g. "127.0.0.1"
  int64_t last_active = 0;    // steady seconds of the last read or write
  bool idle = true;           // waiting for the first byte of a request
  // An answer went out before the request was read whole: close by
  // lingering (Impl::Linger), not at once.
  bool linger = false;
  bool lingering = false;     // in Impl::Linger, since `linger_since`
  int64_t linger_since = 0;
  int linger_seconds = 0;     // the longest it may linger
  bool event_stream = false;  // an SSE stream: Broadcast() feeds `events`
  std::vector<std::string> events;  // not a deque: that allocates when made
  asio::steady_timer wake;    // cancelled when `events` gets one
  Arena arena;                // for the request parser's fields
  // The Date and Connection lines and the blank line of the response being
  // sent on the fast path; here because a write may outlive the second.
  char tail[96];
  size_t tail_size = 0;
};

int64_t SteadySeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool BodyAllowed(int status) { return status >= 200 && status != 204 && status != 304; }

// Request limits (RFC 9112 section 2.3 leaves them to the server). nginx's
// defaults: a header line up to 8 KB (else 414 for the request line, 400
// for a field; we answer 431, RFC 6585), and no count of fields; Apache
// allows 100 fields, which we follow (3,000 tiny fields were accepted).
constexpr size_t kHeaderLimit = 8192;
constexpr size_t kMaxHeaderFields = 100;

// Lingering close, as nginx's lingering_close: after an answer sent before
// the request's body was read (413, 400), the rest of the body is read and
// discarded before closing, for at most kLingerSeconds in all and
// kLingerIdleSeconds between reads (nginx: lingering_time 30 s,
// lingering_timeout 5 s), and at most kLingerMaxBytes. Closing with unread
// bytes makes the kernel send a reset, and the client's still-unread answer
// is lost with it: a 2 MB comment got its 413 in 10 of 200 tries before.
constexpr int kLingerSeconds = 30;
constexpr int kLingerIdleSeconds = 5;
constexpr size_t kLingerMaxBytes = 64 << 20;
// A connection over the per-address cap lingers only this long: it must not
// hold a descriptor for long.
constexpr int kOverflowLingerSeconds = 2;
// Retry-After of a 503 whose handler gave none (every 503 carries one).
constexpr const char* kDefaultRetryAfter = "5";

// The status for a request whose header failed to parse, 0 for a
// connection that only ended. Over the header limit before the request line
// was parsed (Beast fills the target in once it is), it was the request
// line that was too long.
int HeaderErrorStatus(const error_code& ec, bool request_line_parsed) {
  if (ec == http::error::body_limit) return 413;
  if (ec == http::error::header_limit) return request_line_parsed ? 431 : 414;
  if (ec.category() != error_code(http::error::bad_target).category()) return 0;
  if (ec == http::error::end_of_stream || ec == http::error::partial_message) return 0;
  return 400;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// RFC 9112 section 6.1 and 6.3: the transfer codings of a request, all its
// Transfer-Encoding lines together. Chunked must be the last and appear once,
// else the body's length is unknown (400, and the connection is closed); any
// other coding is one we do not implement (501, as nginx answers). An
// HTTP/1.0 request with Transfer-Encoding has faulty framing (400). Beast
// alone would take "gzip" as no body and run the body as a next request.
int TransferEncodingStatus(std::string_view codings, unsigned version) {
  if (version < 11) return 400;
  int chunked = 0;
  bool other = false, chunked_last = false;
  while (!codings.empty()) {
    size_t comma = codings.find(',');
    std::string_view coding = TrimOws(codings.substr(0, comma));
    codings = comma == std::string_view::npos ? std::string_view() : codings.substr(comma + 1);
    if (coding.empty()) continue;
    chunked_last = beast::iequals(beast::string_view(coding.data(), coding.size()), "chunked");
    if (chunked_last) {
      ++chunked;
    } else {
      other = true;
    }
  }
  if (!chunked_last || chunked != 1) return 400;
  return other ? 501 : 0;
}

// What a request's header says about its framing, checked before its body
// is read: 0 when it may be served, else the status of the answer, after
// which the connection is closed.
struct FramingCheck {
  int status = 0;
  std::string_view message;
};

}  // namespace

struct HttpServer::Impl {
  Impl(HttpServerOptions o, Handler h) : options(std::move(o)), handler(std::move(h)) {}

  HttpServerOptions options;
  Handler handler;
  asio::io_context io{BOOST_ASIO_CONCURRENCY_HINT_UNSAFE_IO};
  tcp::acceptor acceptor{io};
  std::atomic<int> port{0};
  std::atomic<size_t> count{0};
  bool stopping = false;             // I/O thread only
  std::set<Connection*> connections;  // I/O thread only
  // Open connections per peer address, those over the cap not counted
  // (I/O thread only). Entries go when their count reaches 0.
  std::unordered_map<std::string, int> per_address;
  std::string date;
  int64_t date_second = -1;
  // Steady seconds, refreshed by Sweep() once a second: the connections'
  // `last_active`, for timeouts of 30 s and more, need no clock read per
  // request.
  int64_t clock_seconds = SteadySeconds();

  const std::string& Date() {
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (now != date_second) {
      date_second = now;
      date = FormatHttpDate(now);
    }
    return date;
  }

  // Fills conn.tail with "Date: …\r\n", the Connection line the version and
  // keep-alive call for, and the blank line ending the header.
  void FillTail(Connection& conn, unsigned version, bool keep_alive) {
    const std::string& date_value = Date();
    std::string_view connection = !keep_alive     ? "Connection: close\r\n"
                                  : version < 11 ? "Connection: keep-alive\r\n"
                                                 : "";
    char* p = conn.tail;
    std::memcpy(p, "Date: ", 6);
    p += 6;
    std::memcpy(p, date_value.data(), date_value.size());
    p += date_value.size();
    std::memcpy(p, "\r\n", 2);
    p += 2;
    std::memcpy(p, connection.data(), connection.size());
    p += connection.size();
    std::memcpy(p, "\r\n", 2);
    p += 2;
    conn.tail_size = static_cast<size_t>(p - conn.tail);
  }

  awaitable<void> Accept() {
    for (;;) {
      error_code ec;
      // The peer's address comes with accept(): no getpeername() per
      // connection.
      tcp::endpoint peer;
      tcp::socket socket =
          co_await acceptor.async_accept(peer, asio::redirect_error(use_awaitable, ec));
      if (stopping || ec == asio::error::operation_aborted) co_return;
      if (ec) {
        // EMFILE and friends: back off instead of spinning.
        std::fprintf(stderr, "kiln: accept: %s\n", ec.message().c_str());
        asio::steady_timer pause(io, std::chrono::milliseconds(50));
        co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
        continue;
      }
      std::string address = AddressString(peer.address());
      int& open = per_address[address];
      if (open >= options.connections_per_address) {
        asio::co_spawn(io, Overflow(std::move(socket), std::move(address)), asio::detached);
        continue;
      }
      ++open;
      asio::co_spawn(io, Serve(std::move(socket), std::move(address)), asio::detached);
    }
  }

  // A connection over its address's cap: a 503 right away (never a silent
  // wait), then a short lingering close so the client reads it.
  awaitable<void> Overflow(tcp::socket socket, std::string client) {
    error_code ec;
    Connection conn(std::move(socket), std::move(client));
    conn.stream.non_blocking(true, ec);
    connections.insert(&conn);
    ++count;
    static constexpr std::string_view kBody =
        "503 Service Unavailable: too many connections from your address\n";
    std::string answer = "HTTP/1.1 503 Service Unavailable\r\nServer: kiln\r\nDate: " + Date() +
                         "\r\nRetry-After: " + kDefaultRetryAfter +
                         "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: " +
                         std::to_string(kBody.size()) + "\r\nConnection: close\r\n\r\n";
    answer += kBody;
    // A fresh socket takes a few hundred bytes at once; what it does not
    // take is dropped with the connection.
    conn.stream.write_some(asio::buffer(answer), ec);
    try {
      if (!ec) co_await Linger(conn, kOverflowLingerSeconds);
    } catch (const std::exception&) {
    }
    connections.erase(&conn);
    --count;
  }

  // Reads and discards what the client still sends, after shutting down our
  // side, until it closes or the limits near kLingerSeconds say to stop
  // (enforced by Sweep).
  awaitable<void> Linger(Connection& conn, int max_seconds) {
    error_code ec;
    conn.stream.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) co_return;
    conn.lingering = true;
    conn.linger_seconds = max_seconds;
    conn.linger_since = conn.last_active = clock_seconds;
    static char sink[16384];  // I/O thread only, and its bytes are dropped
    size_t discarded = 0;
    while (discarded < kLingerMaxBytes) {
      size_t n = conn.stream.read_some(asio::buffer(sink), ec);
      if (!ec) {
        discarded += n;
        conn.last_active = clock_seconds;
        continue;
      }
      if (ec != asio::error::would_block && ec != asio::error::try_again) break;
      co_await conn.stream.async_wait(tcp::socket::wait_read,
                                      asio::redirect_error(use_awaitable, ec));
      if (ec) break;
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

  using HeadBuffers = std::array<asio::const_buffer, 3>;

  // The fast path's write (HttpResponse::head): header block, Date and
  // Connection lines and body in one non-blocking writev, which the kernel
  // usually takes whole, with no trip through the scheduler. False when
  // some is left: `rest` then holds it, for async_write.
  bool WriteHead(Connection& conn, const HttpResponse& r, unsigned version, bool keep_alive,
                 beast::buffers_suffix<HeadBuffers>& rest, error_code& ec) {
    conn.last_active = clock_seconds;
    FillTail(conn, version, keep_alive);
    bool body = BodyAllowed(r.status) && !r.omit_body;
    HeadBuffers buffers = {asio::buffer(*r.head), asio::buffer(conn.tail, conn.tail_size),
                           body ? asio::buffer(*r.body) : asio::const_buffer()};
    size_t sent = conn.stream.write_some(buffers, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) {
      ec = {};
      sent = 0;
    }
    if (ec || sent == asio::buffer_size(buffers)) return true;
    rest = beast::buffers_suffix<HeadBuffers>(buffers);
    rest.consume(sent);
    return false;
  }

  // What WriteHead left, with every write that moves bytes counting as
  // activity: a slow client that keeps reading is never cut (Sweep).
  awaitable<void> WriteRest(Connection& conn, beast::buffers_suffix<HeadBuffers>& rest,
                            error_code& ec) {
    while (asio::buffer_size(rest) > 0) {
      size_t n = co_await conn.stream.async_write_some(rest, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
      rest.consume(n);
      conn.last_active = clock_seconds;
    }
  }

  // `length` bytes of `file` from `offset`, by sendfile(2): the kernel copies
  // from the page cache to the socket, nothing is read into memory, and
  // only what the socket takes is sent before waiting for it to drain.
  // After kSendfileSlice bytes without a wait, other connections get a turn.
  awaitable<void> SendFile(Connection& conn, const OpenFile& file, int64_t offset, int64_t length,
                           error_code& ec) {
    constexpr int64_t kSendfileSlice = 4 << 20;
    int64_t since_yield = 0;
    while (length > 0) {
      off_t at = static_cast<off_t>(offset);
      ssize_t n = ::sendfile(conn.stream.native_handle(), file.fd, &at,
                             static_cast<size_t>(std::min<int64_t>(length, kSendfileSlice)));
      if (n > 0) {
        offset += n;
        length -= n;
        since_yield += n;
        conn.last_active = clock_seconds;
        if (since_yield >= kSendfileSlice) {
          since_yield = 0;
          co_await asio::post(conn.stream.get_executor(), asio::redirect_error(use_awaitable, ec));
        }
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        since_yield = 0;
        co_await conn.stream.async_wait(tcp::socket::wait_write,
                                        asio::redirect_error(use_awaitable, ec));
        if (ec) co_return;
        continue;
      }
      // 0: the file is shorter than its header said (truncated in place);
      // the connection must end, its Content-Length cannot be kept.
      ec = n == 0 ? make_error_code(boost::system::errc::io_error)
                  : error_code(errno, boost::system::system_category());
      co_return;
    }
  }

  // Any other answer, serialized by Beast.
  awaitable<void> Write(Connection& conn, const HttpResponse& r, unsigned version,
                        bool keep_alive, error_code& ec) {
    conn.last_active = clock_seconds;
    http::response<http::span_body<const char>> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "kiln");
    res.set(http::field::date, Date());
    for (const auto& [name, value] : r.headers) res.insert(name, value);
    // Every 503 says when to come back (RFC 9110 section 10.2.3).
    if (r.status == 503 && res.find(http::field::retry_after) == res.end()) {
      res.set(http::field::retry_after, kDefaultRetryAfter);
    }
    res.keep_alive(keep_alive);
    if (BodyAllowed(r.status)) {
      res.content_length(r.body->size());
      if (!r.omit_body) res.body() = {r.body->data(), r.body->size()};
    }
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
    if (!r.body->empty()) conn.events.insert(conn.events.begin(), *r.body);
    conn.last_active = clock_seconds;
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
      conn.last_active = clock_seconds;
      co_await asio::async_write(conn.stream, asio::buffer(batch),
                                 asio::redirect_error(use_awaitable, ec));
    }
  }

  // Sends a final error answer to a request not read whole; the caller then
  // ends the connection, which lingers (see kLingerSeconds) so the client
  // reads this answer instead of a reset.
  awaitable<void> Refuse(Connection& conn, int status, std::string_view message) {
    error_code ec;
    HttpResponse r = TextResponse(status, message);
    co_await Write(conn, r, 11, false, ec);
    conn.linger = !ec;
  }

  // Refuse with the route's own 413 (a comment form gets its HTML page).
  awaitable<void> RefuseTooLarge(Connection& conn, const HttpRequest& request, size_t limit) {
    error_code ec;
    HttpResponse r = options.body_too_large
                         ? options.body_too_large(request, limit)
                         : TextResponse(413, "request body too large: at most " +
                                                 std::to_string(limit) + " bytes");
    co_await Write(conn, r, 11, false, ec);
    conn.linger = !ec;
  }

  awaitable<void> Serve(tcp::socket socket, std::string client) {
    error_code ec;
    Connection conn(std::move(socket), std::move(client));
    // Reads and the fast path's writes are tried directly first (see
    // ParseSome and WriteHead); async operations work as before.
    conn.stream.non_blocking(true, ec);
    connections.insert(&conn);
    ++count;
    try {
      co_await ServeRequests(conn);
      // After ServeRequests, whose buffer and parser are freed by now.
      if (conn.linger) co_await Linger(conn, kLingerSeconds);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "kiln: connection from %s: %s\n", conn.client.c_str(), e.what());
    }
    // No shutdown() before the close: it would only cost a syscall.
    connections.erase(&conn);
    --count;
    auto open = per_address.find(conn.client);
    if (--open->second == 0) per_address.erase(open);
  }

  // Feeds Beast's parser from `buffer` and the socket until the header (or,
  // with `whole`, the message) is complete, without blocking: true when it
  // is, or on an error (`ec`, as http::async_read gives them: end_of_stream
  // when the peer closed before a byte, partial_message when inside one);
  // false when the socket has nothing more for now, and the caller must
  // wait for it to become readable (the reactor is edge-triggered, so a
  // wait is right only after a read found the socket empty, as here).
  // Plain code, not a coroutine: no frame per request, and a request that
  // is already there is parsed with no trip through the scheduler.
  bool ParseSome(Connection& conn, beast::flat_buffer& buffer,
                 RequestParser& parser, bool whole, error_code& ec) {
    for (;;) {
      if (whole ? parser.is_done() : parser.is_header_done()) return true;
      if (buffer.size() > 0) {
        size_t used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (ec == http::error::need_more) {
          ec = {};
        } else if (ec) {
          return true;
        } else if (used > 0) {
          continue;
        }
      }
      size_t n = conn.stream.read_some(buffer.prepare(8192), ec);
      if (!ec) {
        buffer.commit(n);
        // A body that progresses lives on (nginx's client_body_timeout is
        // also between reads); a header must come whole within the idle
        // timeout, so one trickled a byte at a time cannot hold a slot.
        if (whole) conn.last_active = clock_seconds;
        continue;
      }
      if (ec == asio::error::would_block || ec == asio::error::try_again) {
        ec = {};
        return false;
      }
      if (ec == asio::error::eof) {
        ec = {};
        if (!parser.got_some()) {
          ec = http::error::end_of_stream;
        } else {
          parser.put_eof(ec);
          if (!ec && !(whole ? parser.is_done() : parser.is_header_done())) {
            ec = http::error::partial_message;
          }
        }
      }
      return true;
    }
  }

  // ParseSome until done, waiting for the socket in between.
  awaitable<void> Parse(Connection& conn, beast::flat_buffer& buffer,
                        RequestParser& parser, bool whole,
                        error_code& ec) {
    while (!ParseSome(conn, buffer, parser, whole, ec)) {
      co_await conn.stream.async_wait(tcp::socket::wait_read, asio::redirect_error(use_awaitable, ec));
      if (ec) co_return;
    }
  }

  // Copies the parsed header into `request` (reusing its strings) and checks
  // what RFC 9112 asks of it before a body is read: one Host line in an
  // HTTP/1.1 request, at most one in any (section 3.2), the transfer
  // codings (TransferEncodingStatus), and at most kMaxHeaderFields lines.
  FramingCheck CopyHeader(const RequestParser::value_type& message, HttpRequest& request) {
    request.method.assign(message.method_string().data(), message.method_string().size());
    request.target.assign(message.target().data(), message.target().size());
    size_t fields = 0, hosts = 0;
    bool transfer_encoding = false;
    for (const auto& field : message) {
      if (fields == kMaxHeaderFields) return {431, "too many header fields"};
      if (fields == request.headers.size()) request.headers.emplace_back();
      auto& [name, value] = request.headers[fields++];
      name.assign(field.name_string().data(), field.name_string().size());
      for (char& c : name) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      }
      value.assign(field.value().data(), field.value().size());
      if (field.name() == http::field::host) ++hosts;
      if (field.name() == http::field::transfer_encoding) transfer_encoding = true;
    }
    request.headers.resize(fields);
    if (hosts > 1) return {400, "more than one Host header"};
    if (hosts == 0 && message.version() >= 11) return {400, "an HTTP/1.1 request needs a Host header"};
    if (transfer_encoding) {
      std::string codings;
      for (const auto& [name, value] : request.headers) {
        if (name != "transfer-encoding") continue;
        if (!codings.empty()) codings += ',';
        codings += value;
      }
      int status = TransferEncodingStatus(codings, message.version());
      if (status == 400) return {400, "Transfer-Encoding must end in chunked, once"};
      if (status == 501) return {501, "the only transfer coding supported is chunked"};
    }
    return {};
  }

  awaitable<void> ServeRequests(Connection& conn) {
    beast::flat_buffer buffer;
    // Reused across the connection's requests: its strings and header list
    // keep their capacity, so a repeated request allocates nothing here.
    HttpRequest request;
    while (!stopping) {
      error_code ec;
      RequestParser parser(std::piecewise_construct, std::make_tuple(),
                           std::make_tuple(ArenaAllocator<char>(&conn.arena)));
      parser.header_limit(kHeaderLimit);
      // No limit while the header is read: the route's own is applied once
      // the header says the route, and its 413 is the route's own answer.
      parser.body_limit(std::numeric_limits<std::uint64_t>::max());
      conn.idle = true;
      conn.last_active = clock_seconds;
      // Inline rather than through Parse(): a coroutine call costs a frame.
      while (!ParseSome(conn, buffer, parser, false, ec)) {
        co_await conn.stream.async_wait(tcp::socket::wait_read,
                                        asio::redirect_error(use_awaitable, ec));
        if (ec) break;
      }
      conn.idle = false;
      if (ec) {
        int status = HeaderErrorStatus(ec, !parser.get().target().empty());
        if (status == 413) co_await Refuse(conn, 413, "request body too large");
        if (status == 414) co_await Refuse(conn, 414, "request line too long");
        if (status == 431) co_await Refuse(conn, 431, "request header too large");
        if (status == 400) co_await Refuse(conn, 400, "malformed HTTP request");
        co_return;
      }
      auto& message = parser.get();
      FramingCheck check = CopyHeader(message, request);
      if (check.status != 0) {
        co_await Refuse(conn, check.status, check.message);
        co_return;
      }
      if (!parser.is_done()) {
        // Checked before a byte of the body is read or buffered (Beast
        // reserves a declared length when the body starts).
        size_t limit = options.body_limit
                           ? std::min(options.body_limit(request), options.max_body_bytes)
                           : options.max_body_bytes;
        auto length = parser.content_length();
        if (length && *length > limit) {
          co_await RefuseTooLarge(conn, request, limit);
          co_return;
        }
        parser.body_limit(limit);  // a chunked body stops there
        // curl and others send "Expect: 100-continue" before a body of
        // more than 1 KB and wait a second for this interim answer.
        if (beast::iequals(message[http::field::expect], "100-continue")) {
          http::response<http::empty_body> go_on{http::status::continue_, message.version()};
          co_await http::async_write(conn.stream, go_on, asio::redirect_error(use_awaitable, ec));
          if (ec) co_return;
        }
        conn.last_active = clock_seconds;
        co_await Parse(conn, buffer, parser, true, ec);
        if (ec == http::error::body_limit) {
          co_await RefuseTooLarge(conn, request, limit);
          co_return;
        }
        if (HeaderErrorStatus(ec, true) == 400) {
          co_await Refuse(conn, 400, "malformed request body");
          co_return;
        }
        if (ec) co_return;
      }
      request.body = std::move(message.body());
      if (request.client_addr != conn.client) request.client_addr = conn.client;
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
      if (response.head) {
        beast::buffers_suffix<HeadBuffers> rest;
        if (!WriteHead(conn, response, version, keep_alive, rest, ec)) {
          co_await WriteRest(conn, rest, ec);
        }
        if (!ec && response.file && BodyAllowed(response.status) && !response.omit_body) {
          co_await SendFile(conn, *response.file, response.file_offset, response.file_length, ec);
        }
      } else {
        co_await Write(conn, response, version, keep_alive, ec);
      }
      if (ec) co_return;
      if (!keep_alive) {
        // Bytes the client sent after this request (pipelined) would turn
        // the close into a reset that can destroy the answer.
        conn.linger = buffer.size() > 0;
        co_return;
      }
    }
  }

  // Closes connections silent for longer than their timeout: idle_timeout
  // while waiting for a request, timeout_seconds inside one (every read and
  // write that moves bytes counts as activity), the lingering limits while
  // lingering. Event streams are exempt (their pings fail on a dead peer).
  awaitable<void> Sweep() {
    asio::steady_timer timer(io);
    while (!stopping) {
      timer.expires_after(std::chrono::seconds(1));
      error_code ec;
      co_await timer.async_wait(asio::redirect_error(use_awaitable, ec));
      int64_t now = clock_seconds = SteadySeconds();
      for (Connection* conn : connections) {
        if (conn->event_stream) continue;
        if (conn->lingering) {
          if (now - conn->last_active > kLingerIdleSeconds ||
              now - conn->linger_since > conn->linger_seconds) {
            conn->stream.close(ec);
          }
          continue;
        }
        int64_t limit = conn->idle ? options.idle_timeout_seconds : options.timeout_seconds;
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
      } else if (conn->idle || conn->lingering) {
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
  // Inherited by every accepted socket (Linux copies the listener's
  // TCP_NODELAY): see the notes at the top.
  if (!ec) acceptor.set_option(tcp::no_delay(true), ec);
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
