// The only file that includes Boost.Beast (it compiles slowly; server.h stays Beast-free).
//
// Threads: `io_threads` run the io_context; every connection has its own strand, so a connection's
// state is only touched by one thread at a time. Handlers run on a thread_pool of
// `worker_threads`; their answers are posted back to the connection's strand to be written.
#include "http/server.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <exception>
#include <future>
#include <mutex>
#include <random>
#include <thread>
#include <unordered_map>
#include <vector>

namespace tendon::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kHeaderLimit = 8 * 1024;
constexpr std::size_t kIdleReadSize = 4 * 1024;
// After an error answer the client may still be sending a body we refused. Closing with unread
// data makes the kernel send a reset, which can destroy our answer before the client reads it;
// so we stop sending and discard what arrives for a short while ("lingering close").
constexpr std::size_t kLingerBytes = 256 * 1024;
constexpr std::chrono::milliseconds kLingerTime{500};
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::chrono::milliseconds kShutdownPoll{5};
constexpr std::chrono::milliseconds kDefaultGrace{10'000};
constexpr std::chrono::milliseconds kForceCloseWait{200};
constexpr int kMaxPort = 65535;
constexpr int kMinStatus = 200;  // A handler's answer is final: no 1xx.
constexpr int kMaxStatus = 599;

void LogError(const std::string& message) {
  std::fprintf(stderr, "tendon http: %s\n", message.c_str());
}

std::string ToStd(beast::string_view text) { return std::string(text.data(), text.size()); }

StatusOr<tcp::endpoint> ParseListen(const std::string& listen) {
  const Status malformed = InvalidArgumentError(
      "\"" + listen + "\" is not host:port (IPv4, or [IPv6] in brackets)", "listen");
  std::string host;
  std::string port;
  if (!listen.empty() && listen.front() == '[') {
    const std::size_t close = listen.find("]:");
    if (close == std::string::npos) return malformed;
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    const std::size_t colon = listen.rfind(':');
    if (colon == std::string::npos) return malformed;
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    if (host.find(':') != std::string::npos) return malformed;  // IPv6 needs brackets.
  }
  if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos)
    return malformed;
  const int port_number = std::stoi(port);
  if (port_number > kMaxPort) return malformed;
  if (host == "localhost") host = "127.0.0.1";
  boost::system::error_code ec;
  const asio::ip::address address = asio::ip::make_address(host, ec);
  if (ec) return malformed;
  return tcp::endpoint(address, static_cast<unsigned short>(port_number));
}

// 16 hex digits from a per-thread generator, so ids cost no lock.
std::string NewRequestId() {
  thread_local std::mt19937_64 rng = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t value = rng();
  std::string id(16, '0');
  for (char& digit : id) {
    digit = kHex[value & 0xf];
    value >>= 4;
  }
  return id;
}

Method FromVerb(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get:
      return Method::kGet;
    case bhttp::verb::head:
      return Method::kHead;
    case bhttp::verb::post:
      return Method::kPost;
    case bhttp::verb::put:
      return Method::kPut;
    case bhttp::verb::patch:
      return Method::kPatch;
    case bhttp::verb::delete_:
      return Method::kDelete;
    case bhttp::verb::options:
      return Method::kOptions;
    default:
      return Method::kOther;
  }
}

// The status the server answers a failed read with, or nullopt when it just closes (the peer
// went away or timed out).
std::optional<int> StatusForReadError(const beast::error_code& ec) {
  if (ec == bhttp::error::body_limit) return 413;
  if (ec == bhttp::error::header_limit) return 431;
  if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message) return std::nullopt;
  if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()) return 400;
  return std::nullopt;
}

// Fills target, path, query, headers and body from `message`; false when the target is not a
// path or the path does not decode (malformed escape, or an escaped NUL).
bool FillRequest(bhttp::request<bhttp::string_body>&& message, Request& request) {
  request.method = FromVerb(message.method());
  request.target = ToStd(message.target());
  const std::string_view target = request.target;
  const std::size_t question = target.find('?');
  const std::string_view raw_path = target.substr(0, question);
  if (raw_path.empty() || raw_path.front() != '/') return false;
  std::optional<std::string> path = PercentDecode(raw_path, /*plus_is_space=*/false);
  if (!path || path->find('\0') != std::string::npos) return false;
  request.path = std::move(*path);
  if (question != std::string_view::npos) request.query = ParseForm(target.substr(question + 1));
  for (const auto& field : message) {
    auto [it, inserted] = request.headers.emplace(ToStd(field.name_string()), ToStd(field.value()));
    if (inserted) continue;
    it->second += field.name() == bhttp::field::cookie ? "; " : ", ";
    it->second += ToStd(field.value());
  }
  request.body = std::move(message.body());
  return true;
}

Response PlainError(int status) {
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  return Response::Make(status, "text/plain; charset=utf-8",
                        std::to_string(status) + " " + ToStd(reason) + "\n");
}

// Framing headers are the server's business; a handler's copy would contradict ours.
bool IsFramingHeader(const std::string& name) {
  static const std::array<std::string, 3> kFraming = {"Content-Length", "Transfer-Encoding",
                                                      "Connection"};
  for (const std::string& framing : kFraming) {
    if (!HeaderLess()(name, framing) && !HeaderLess()(framing, name)) return true;
  }
  return false;
}

// A handler-made header with CR, LF or NUL would let it split the response: refused with 500.
bool HeadersAreSafe(const Headers& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || name.find_first_of(std::string_view("\r\n\0:", 4)) != std::string::npos)
      return false;
    if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos) return false;
  }
  return true;
}

bool StatusHasNoBody(int status) { return status < 200 || status == 204 || status == 304; }

class Connection;

}  // namespace

class Server::Impl {
 public:
  Impl(const ServerOptions& options, Handler handler);
  ~Impl();

  Status Listen(const tcp::endpoint& endpoint);
  void Run();
  void Shutdown(std::chrono::milliseconds grace);
  void RunUntilSignalled();

  int port() const { return port_; }
  std::int64_t open_connections() const { return open_connections_.load(); }
  std::int64_t requests_in_flight() const { return in_flight_.load(); }

  // For connections.
  const ServerOptions& options() const { return options_; }
  bool stopping() const { return stopping_.load(); }
  asio::thread_pool& workers() { return workers_; }
  void RequestStarted() { ++in_flight_; }
  void RequestFinished() { --in_flight_; }
  void ConnectionClosed(Connection* connection);
  // Runs the handler and route_of; never throws.
  Response CallHandler(Request& request, std::string& route);
  bool RunsInline(const Request& request) const {
    return options_.run_inline && options_.run_inline(request);
  }

 private:
  void Accept();
  void OnAccept(const beast::error_code& ec, tcp::socket socket);
  void StopAccepting();
  void CloseConnections(bool idle_only);
  bool WaitForConnections(Clock::time_point deadline);
  void Wake();

  ServerOptions options_;
  Handler handler_;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::int64_t> in_flight_{0};
  std::mutex connections_mu_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
  std::mutex shutdown_mu_;
  bool running_ = false;
  std::mutex wake_mu_;
  std::condition_variable wake_cv_;
  bool woken_ = false;
  // Declared after everything a connection touches when it is destroyed, which may be during
  // ioc_'s destruction (handlers still queued hold connections).
  asio::io_context ioc_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  tcp::acceptor acceptor_;
  asio::steady_timer accept_retry_;
  std::unique_ptr<asio::signal_set> signals_;
  // Before ioc_ in destruction: queued tasks hold connections whose sockets need ioc_.
  asio::thread_pool workers_;
  std::vector<std::thread> io_threads_;
};

namespace {

// One client connection. Everything but the constructor and destructor runs on its strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server::Impl& server, tcp::socket socket)
      : server_(server), executor_(socket.get_executor()), stream_(std::move(socket)) {
    beast::error_code ec;
    const tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = peer.address().to_string();
  }
  ~Connection() { server_.ConnectionClosed(this); }

  void Start() {
    asio::dispatch(executor_, [self = shared_from_this()] { self->AwaitRequest(); });
  }
  // Shutdown: closes the connection unless a request is in flight.
  void CloseIfIdle() {
    asio::dispatch(executor_, [self = shared_from_this()] {
      if (self->state_ == State::kIdle || self->state_ == State::kReadingHeader) self->Close();
    });
  }
  void ForceClose() {
    asio::dispatch(executor_, [self = shared_from_this()] { self->Close(); });
  }

 private:
  enum class State {
    kIdle,           // Keep-alive, between requests.
    kReadingHeader,  // No request in flight yet.
    kReadingBody,
    kHandling,
    kWriting,
    kLingering,
    kClosed,
  };

  const ServerOptions& options() const { return server_.options(); }

  void AwaitRequest() {
    // Shutdown's CloseIfIdle may have passed this connection by while it was writing.
    if (server_.stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(static_cast<std::uint64_t>(options().body_limit));
    if (requests_served_ > 0 && buffer_.size() == 0) return WaitIdle();
    ReadHeader();
  }

  // Between keep-alive requests the idle timeout applies until the first byte of the next one.
  void WaitIdle() {
    state_ = State::kIdle;
    stream_.expires_after(options().idle_timeout);
    stream_.async_read_some(
        buffer_.prepare(kIdleReadSize),
        [self = shared_from_this()](const beast::error_code& ec, std::size_t bytes) {
          if (self->state_ == State::kClosed) return;
          if (ec) return self->Close();
          self->buffer_.commit(bytes);
          self->ReadHeader();
        });
  }

  void ReadHeader() {
    state_ = State::kReadingHeader;
    stream_.expires_after(options().header_timeout);
    bhttp::async_read_header(stream_, buffer_, *parser_,
                             [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                               self->OnHeader(ec);
                             });
  }

  void OnHeader(const beast::error_code& ec) {
    if (state_ == State::kClosed) return;
    if (ec) return FailRead(ec);
    BeginRequest();
    const auto& header = parser_->get();
    method_ = FromVerb(header.method());
    version_ = header.version();
    keep_alive_ = header.keep_alive();
    const auto content_length = parser_->content_length();
    if (content_length && *content_length > options().body_limit) return SendError(413);
    if (parser_->is_done()) return OnBody({});
    if (beast::iequals(header[bhttp::field::expect], "100-continue")) return SendContinue();
    ReadBody();
  }

  void SendContinue() {
    auto reply =
        std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, version_);
    stream_.expires_after(options().request_timeout);
    bhttp::async_write(
        stream_, *reply,
        [self = shared_from_this(), reply](const beast::error_code& ec, std::size_t) {
          if (self->state_ == State::kClosed) return;
          if (ec) return self->Close();
          self->ReadBody();
        });
  }

  void ReadBody() {
    state_ = State::kReadingBody;
    stream_.expires_after(options().request_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](const beast::error_code& ec, std::size_t) {
                        self->OnBody(ec);
                      });
  }

  void OnBody(const beast::error_code& ec) {
    if (state_ == State::kClosed) return;
    if (ec) return FailRead(ec);
    Request request;
    if (!FillRequest(parser_->release(), request)) return SendError(400);
    request.remote_address = remote_address_;
    request.request_id = request_id_;
    Handle(std::move(request));
  }

  void FailRead(const beast::error_code& ec) {
    const std::optional<int> status = StatusForReadError(ec);
    if (!status) return Close();
    BeginRequest();
    SendError(*status);
  }

  void Handle(Request request) {
    state_ = State::kHandling;
    if (server_.RunsInline(request)) {
      std::string route;
      Response response = server_.CallHandler(request, route);
      route_ = std::move(route);
      Send(std::move(response));
      return;
    }
    asio::post(
        server_.workers(), [self = shared_from_this(), request = std::move(request)]() mutable {
          std::string route;
          Response response = self->server_.CallHandler(request, route);
          asio::post(self->executor_,
                     [self, response = std::move(response), route = std::move(route)]() mutable {
                       self->route_ = std::move(route);
                       self->Send(std::move(response));
                     });
        });
  }

  void BeginRequest() {
    if (counted_) return;
    counted_ = true;
    server_.RequestStarted();
    request_id_ = NewRequestId();
    started_ = Clock::now();
    method_ = Method::kOther;
    route_ = "-";
    status_ = 0;
  }

  void EndRequest() {
    if (!counted_) return;
    counted_ = false;
    server_.RequestFinished();
    if (!options().access_log) return;
    AccessRecord record;
    record.request_id = request_id_;
    record.method = method_;
    record.route = route_;
    record.status = status_;
    record.latency_ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    options().access_log(record);
  }

  // Answers `status` with a short text body and closes the connection afterwards.
  void SendError(int status) {
    keep_alive_ = false;
    linger_ = true;
    Send(PlainError(status));
  }

  void Decorate(Response& response) {
    if (!HeadersAreSafe(response.headers)) {
      LogError("request " + request_id_ + ": handler set a header with CR, LF or NUL; sent 500");
      response = PlainError(500);
    }
    response.headers["X-Request-Id"] = request_id_;
    if (!options().decorate) return;
    try {
      options().decorate(response);
    } catch (const std::exception& e) {
      LogError("request " + request_id_ + ": decorate threw: " + e.what());
    }
  }

  void Send(Response response) {
    if (state_ == State::kClosed) return;
    if (response.status < kMinStatus || response.status > kMaxStatus) {
      LogError("request " + request_id_ + ": handler returned status " +
               std::to_string(response.status) + "; sent 500");
      response = PlainError(500);
    }
    Decorate(response);
    const bool keep_alive = keep_alive_ && !server_.stopping();
    auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
    message->version(version_);
    message->result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers) {
      if (!IsFramingHeader(name)) message->set(name, value);
    }
    message->keep_alive(keep_alive);
    if (!StatusHasNoBody(response.status)) {
      message->content_length(response.body.size());
      if (method_ != Method::kHead) message->body() = std::move(response.body);
    }
    Write(std::move(message), keep_alive, response.status);
  }

  void Write(std::shared_ptr<bhttp::response<bhttp::string_body>> message, bool keep_alive,
             int status) {
    state_ = State::kWriting;
    status_ = status;
    stream_.expires_after(options().request_timeout);
    bhttp::async_write(
        stream_, *message,
        [self = shared_from_this(), message, keep_alive](const beast::error_code& ec, std::size_t) {
          if (ec) self->status_ = 0;
          self->EndRequest();
          if (self->state_ == State::kClosed) return;
          if (ec) return self->Close();
          if (!keep_alive) return self->linger_ ? self->Linger() : self->Close();
          ++self->requests_served_;
          self->AwaitRequest();
        });
  }

  void Linger() {
    state_ = State::kLingering;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    linger_buffer_.resize(kIdleReadSize);
    DiscardInput();
  }

  void DiscardInput() {
    stream_.async_read_some(
        asio::buffer(linger_buffer_),
        [self = shared_from_this()](const beast::error_code& ec, std::size_t bytes) {
          self->lingered_ += bytes;
          if (ec || self->lingered_ >= kLingerBytes) return self->Close();
          self->DiscardInput();
        });
  }

  void Close() {
    if (state_ == State::kClosed) return;
    state_ = State::kClosed;
    EndRequest();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  Server::Impl& server_;
  asio::any_io_executor executor_;  // The connection's strand.
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_address_;
  State state_ = State::kReadingHeader;
  int requests_served_ = 0;
  std::string linger_buffer_;
  std::size_t lingered_ = 0;
  bool linger_ = false;
  // The request in flight.
  bool counted_ = false;
  std::string request_id_;
  Clock::time_point started_;
  Method method_ = Method::kOther;
  unsigned version_ = 11;
  bool keep_alive_ = false;
  std::string route_ = "-";
  int status_ = 0;
};

}  // namespace

Server::Impl::Impl(const ServerOptions& options, Handler handler)
    : options_(options),
      handler_(std::move(handler)),
      ioc_(options.io_threads),
      work_(asio::make_work_guard(ioc_)),
      acceptor_(asio::make_strand(ioc_)),
      accept_retry_(acceptor_.get_executor()),
      workers_(static_cast<std::size_t>(options.worker_threads)) {}

Server::Impl::~Impl() {
  Shutdown(kDefaultGrace);
  // Connections still held by queued handlers are destroyed with ioc_ and workers_.
}

Status Server::Impl::Listen(const tcp::endpoint& endpoint) {
  const auto unavailable = [&](const beast::error_code& ec) {
    return UnavailableError("cannot listen on " + options_.listen + ": " + ec.message());
  };
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return unavailable(ec);
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) return unavailable(ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return unavailable(ec);
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return unavailable(ec);
  port_ = acceptor_.local_endpoint().port();
  return OkStatus();
}

void Server::Impl::Run() {
  running_ = true;
  asio::post(acceptor_.get_executor(), [this] { Accept(); });
  for (int i = 0; i < options_.io_threads; ++i) io_threads_.emplace_back([this] { ioc_.run(); });
}

void Server::Impl::Accept() {
  acceptor_.async_accept(
      asio::make_strand(ioc_),
      [this](const beast::error_code& ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void Server::Impl::OnAccept(const beast::error_code& ec, tcp::socket socket) {
  if (stopping_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    // Out of file descriptors, typically: retrying at once would spin.
    LogError("accept failed: " + ec.message());
    accept_retry_.expires_after(kAcceptRetryDelay);
    accept_retry_.async_wait([this](const beast::error_code& wait_ec) {
      if (!wait_ec && !stopping_) Accept();
    });
    return;
  }
  auto connection = std::make_shared<Connection>(*this, std::move(socket));
  {
    std::lock_guard lock(connections_mu_);
    connections_.emplace(connection.get(), connection);
  }
  ++open_connections_;
  connection->Start();
  Accept();
}

void Server::Impl::ConnectionClosed(Connection* connection) {
  std::lock_guard lock(connections_mu_);
  if (connections_.erase(connection) > 0) --open_connections_;
}

Response Server::Impl::CallHandler(Request& request, std::string& route) {
  Response response;
  try {
    response = handler_(request);
  } catch (const std::exception& e) {
    LogError("request " + request.request_id + ": handler threw: " + e.what());
    response = PlainError(500);
  } catch (...) {
    LogError("request " + request.request_id + ": handler threw a non-exception");
    response = PlainError(500);
  }
  route = "-";
  if (!options_.route_of) return response;
  try {
    route = options_.route_of(request);
  } catch (const std::exception& e) {
    LogError("request " + request.request_id + ": route_of threw: " + e.what());
  }
  return response;
}

void Server::Impl::StopAccepting() {
  std::promise<void> done;
  asio::post(acceptor_.get_executor(), [this, &done] {
    beast::error_code ignored;
    acceptor_.close(ignored);
    accept_retry_.cancel();
    done.set_value();
  });
  done.get_future().wait();
}

void Server::Impl::CloseConnections(bool idle_only) {
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(connections_mu_);
    for (auto& [key, weak] : connections_) {
      if (auto connection = weak.lock()) open.push_back(std::move(connection));
    }
  }
  for (auto& connection : open) {
    if (idle_only) {
      connection->CloseIfIdle();
    } else {
      connection->ForceClose();
    }
  }
}

bool Server::Impl::WaitForConnections(Clock::time_point deadline) {
  while (open_connections_.load() > 0 || in_flight_.load() > 0) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kShutdownPoll);
  }
  return true;
}

void Server::Impl::Shutdown(std::chrono::milliseconds grace) {
  std::lock_guard lock(shutdown_mu_);
  if (!running_) return;
  const Clock::time_point deadline = Clock::now() + grace;
  stopping_ = true;
  Wake();
  StopAccepting();
  // A connection accepted after this copy, or busy writing now, sees stopping_ when it next waits
  // for a request, and closes itself.
  CloseConnections(/*idle_only=*/true);
  if (!WaitForConnections(deadline)) {
    CloseConnections(/*idle_only=*/false);
    WaitForConnections(Clock::now() + kForceCloseWait);
  }
  work_.reset();
  ioc_.stop();
  for (std::thread& thread : io_threads_) thread.join();
  io_threads_.clear();
  workers_.stop();
  workers_.join();
  if (signals_) {
    beast::error_code ignored;
    signals_->clear(ignored);
  }
  running_ = false;
}

void Server::Impl::Wake() {
  std::lock_guard lock(wake_mu_);
  woken_ = true;
  wake_cv_.notify_all();
}

void Server::Impl::RunUntilSignalled() {
  {
    std::lock_guard lock(shutdown_mu_);
    if (!running_) return;
    signals_ = std::make_unique<asio::signal_set>(ioc_, SIGTERM, SIGINT);
    signals_->async_wait([this](const beast::error_code& ec, int) {
      if (!ec) Wake();
    });
  }
  {
    std::unique_lock lock(wake_mu_);
    wake_cv_.wait(lock, [this] { return woken_; });
  }
  Shutdown(kDefaultGrace);
}

StatusOr<std::unique_ptr<Server>> Server::Start(const ServerOptions& options, Handler handler) {
  if (options.io_threads < 1 || options.worker_threads < 1)
    return InvalidArgumentError("io_threads and worker_threads must be positive", "listen");
  ASSIGN_OR_RETURN(const tcp::endpoint endpoint, ParseListen(options.listen));
  auto impl = std::make_unique<Impl>(options, std::move(handler));
  RETURN_IF_ERROR(impl->Listen(endpoint));
  impl->Run();
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() = default;

int Server::port() const { return impl_->port(); }
void Server::Shutdown(std::chrono::milliseconds grace) { impl_->Shutdown(grace); }
void Server::RunUntilSignalled() { impl_->RunUntilSignalled(); }
std::int64_t Server::open_connections() const { return impl_->open_connections(); }
std::int64_t Server::requests_in_flight() const { return impl_->requests_in_flight(); }

}  // namespace tendon::http
