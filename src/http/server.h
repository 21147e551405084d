// The HTTP/1.1 server: Boost.Beast on Asio, event-driven (DESIGN.md; the server issue). Only
// server.cc includes Beast, so this header is cheap to include.
//
// Per connection: the request header must arrive within `header_timeout`; a body larger than
// `body_limit` is refused with 413 before it is read (from Content-Length where there is one, and
// while reading otherwise); an idle keep-alive connection is closed after `idle_timeout`. Every
// request gets a request id (X-Request-Id), and an access-log line with method, route, status and
// latency, never a patient identifier. Handlers run on a worker pool, never on the I/O threads, so
// a slow handler (a durable write) never stalls other connections.
//
// What the server answers by itself (each response still passes through `decorate` and carries
// X-Request-Id; after a 400, 413 or 431 the connection is closed):
//   400  a malformed request line or header; a target that is not a path ("/..."); a path with a
//        malformed percent-escape or an escaped NUL ("%00"); a body that is not valid chunked
//        encoding.
//   413  a body over `body_limit`: at once from Content-Length, without reading the body; while
//        reading for chunked bodies.
//   431  a header over the parser's header limit (8 KiB).
//   500  a handler that threw, returned a status outside 200-599, or set a header whose name or
//        value holds CR, LF or NUL (which would split the response).
// A handler's Content-Length, Transfer-Encoding and Connection headers are ignored: framing is the
// server's business.
// A connection whose header does not arrive within `header_timeout` (nothing sent, or half a
// header) is closed without an answer: the stream's timer has closed the socket by then, and a
// client that slow is not worth a 408. HTTP/1.1 keeps connections alive unless the client sends
// "Connection: close"; HTTP/1.0 only with "Connection: keep-alive". HEAD responses carry the
// Content-Length a GET would have but no body. "Expect: 100-continue" is answered with 100
// Continue once the header has passed the body limit.
#ifndef TENDON_HTTP_SERVER_H_
#define TENDON_HTTP_SERVER_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace tendon::http {

// Handles one request. Called on a worker thread; must be thread-safe. Must not throw (a throw is
// answered 500 and logged).
using Handler = std::function<Response(Request&)>;

// What the access log is told about a finished request.
struct AccessRecord {
  std::string request_id;
  Method method = Method::kGet;
  std::string route;  // The route pattern that matched ("/referrals/{id}"), never the raw target.
  int status = 0;     // The status sent; 0 when the connection closed before an answer.
  double latency_ms = 0;  // From the end of the request header to the answer written.
};

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port.
  int io_threads = 2;
  // Handlers mostly wait for the store's writer to commit and sync; each waiting one holds a
  // worker, so there are enough for the writer's groups to fill (bench/RESULTS.md, booking).
  int worker_threads = 32;
  std::size_t body_limit = 1 << 20;  // Bytes.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  // Reading the whole body once the header is in; also writing each answer.
  std::chrono::milliseconds request_timeout{30'000};
  // Called once for each finished request (server-made errors included), after its answer is
  // written, on an I/O thread: it must be quick and never block (a blocked call stalls every
  // connection on that thread). May be empty.
  std::function<void(const AccessRecord&)> access_log;
  // Maps a request to the route pattern for the access log; may be empty (then "-"). Called on a
  // worker thread after the handler. Responses the server makes without a request (400, 413, ...)
  // are logged with route "-".
  std::function<std::string(const Request&)> route_of;
  // Called on every response just before it is written, on an I/O thread: handler responses and
  // the server's own errors (400, 413, 431, 500) alike, so the app can add its security headers
  // to all of them. X-Request-Id is already set; Content-Length and Connection are set after, by
  // the server. May be empty. Must not throw.
  std::function<void(Response&)> decorate;
  // Requests for which this returns true are handled on the I/O thread instead of the worker pool,
  // saving two thread hand-offs. Only for handlers that are quick and never block (health probes,
  // static files). May be empty (every request goes to the workers). Must not throw.
  std::function<bool(const Request&)> run_inline;
};

class Server {
 public:
  // Binds and starts serving. `listen` is "host:port" with an IPv4 address or a bracketed IPv6
  // one ("[::1]:8080"); "localhost" is accepted as 127.0.0.1. InvalidArgument naming "listen"
  // when it is malformed (or io_threads/worker_threads is not positive); Unavailable naming the
  // address when it cannot be bound.
  static StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  // Stops (as Shutdown) if still running.
  ~Server();

  // The port actually bound (useful with port 0).
  int port() const;
  // Stops accepting (new connections are refused), closes connections that have no request in
  // flight (idle keep-alive ones, and ones still waiting for a header), lets requests in flight
  // finish and be answered with "Connection: close" (up to `grace`), then closes what is left and
  // joins the threads. A handler still running after `grace` is waited for (threads cannot be
  // killed) but its answer is dropped. No callback (handler, access_log, route_of, decorate) runs
  // after it returns. Safe to call more than once and from several threads; never from a handler
  // or a callback (it would wait for itself).
  void Shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));
  // Blocks until SIGTERM or SIGINT (or until Shutdown is called from another thread), then shuts
  // down gracefully with the default grace.
  void RunUntilSignalled();

  // Connections open now, and requests being handled now (for /metrics).
  std::int64_t open_connections() const;
  std::int64_t requests_in_flight() const;

  class Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_SERVER_H_
