// The HTTP/1.1 server: Boost.Beast on Asio, event-driven (DESIGN.md; the server issue). Only
// server.cc includes Beast, so this header is cheap to include.
//
// Per connection: the request header must arrive within `header_timeout`; a body larger than
// `body_limit` is refused with 413 before it is read (from Content-Length where there is one, and
// while reading otherwise); an idle keep-alive connection is closed after `idle_timeout`. Every
// request gets a request id (X-Request-Id), and an access-log line with method, route, status and
// latency, never a patient identifier. Handlers run on a worker pool, never on the I/O threads, so a
// slow handler (a durable write) never stalls other connections.
#ifndef TENDON_HTTP_SERVER_H_
#define TENDON_HTTP_SERVER_H_

#include <chrono>
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
  int status = 0;
  double latency_ms = 0;
};

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";  // host:port; port 0 picks a free port.
  int io_threads = 2;
  int worker_threads = 8;
  std::size_t body_limit = 1 << 20;  // Bytes.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds request_timeout{30'000};  // Whole request read, once the header is in.
  // Called for each finished request, from any thread; may be empty.
  std::function<void(const AccessRecord&)> access_log;
  // Maps a request to the route pattern for the access log; may be empty (then "-").
  std::function<std::string(const Request&)> route_of;
};

class Server {
 public:
  // Binds and starts serving. Unavailable when the address cannot be bound; InvalidArgument
  // naming "listen" when it is malformed.
  static StatusOr<std::unique_ptr<Server>> Start(const ServerOptions& options, Handler handler);
  // Stops (as Shutdown) if still running.
  ~Server();

  // The port actually bound (useful with port 0).
  int port() const;
  // Stops accepting, lets requests in flight finish and be answered (up to `grace`), closes idle
  // connections, and joins the threads. Safe to call more than once.
  void Shutdown(std::chrono::milliseconds grace = std::chrono::milliseconds(10'000));
  // Blocks until SIGTERM or SIGINT, then shuts down gracefully.
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
