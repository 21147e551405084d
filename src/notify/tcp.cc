#include "notify/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

namespace tendon::notify {
namespace {

constexpr std::size_t kChunk = 4096;

std::string ErrnoText(int error) { return std::strerror(error); }

// The first error OpenSSL queued on this thread, as text; the queue is left empty.
std::string TlsErrorText() {
  const unsigned long code = ::ERR_get_error();
  ::ERR_clear_error();
  if (code == 0) return "no detail";
  char text[256];
  ::ERR_error_string_n(code, text, sizeof text);
  return text;
}

bool IsIpAddress(const std::string& host) {
  unsigned char address[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), address) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), address) == 1;
}

// Blocks SIGPIPE in this thread while it lives, and discards one raised meanwhile. OpenSSL writes
// to the socket with write(), which raises SIGPIPE when the server has hung up (and fails with
// EPIPE, which is reported); the process must not die of it.
class SigpipeBlocked {
 public:
  SigpipeBlocked() {
    ::sigemptyset(&pipe_);
    ::sigaddset(&pipe_, SIGPIPE);
    sigset_t pending;
    ::sigpending(&pending);
    was_pending_ = ::sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipe_, &before_);
  }
  SigpipeBlocked(const SigpipeBlocked&) = delete;
  SigpipeBlocked& operator=(const SigpipeBlocked&) = delete;
  ~SigpipeBlocked() {
    sigset_t pending;
    ::sigpending(&pending);
    if (!was_pending_ && ::sigismember(&pending, SIGPIPE) == 1) {
      const timespec now{};
      ::sigtimedwait(&pipe_, nullptr, &now);
    }
    ::pthread_sigmask(SIG_SETMASK, &before_, nullptr);
  }

 private:
  sigset_t pipe_;
  sigset_t before_;
  bool was_pending_ = false;
};

struct AddrInfoFree {
  void operator()(addrinfo* info) const { ::freeaddrinfo(info); }
};

using Deadline = std::chrono::steady_clock::time_point;

// Milliseconds left until `deadline`, at least 0, for poll.
int MillisLeft(Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(0, left.count()));
}

// Connects `fd` (non-blocking) to `addr` before `deadline`.
Status ConnectWithin(int fd, const addrinfo& addr, Deadline deadline) {
  if (::connect(fd, addr.ai_addr, addr.ai_addrlen) == 0) return OkStatus();
  if (errno != EINPROGRESS) return UnavailableError("cannot connect: " + ErrnoText(errno));
  pollfd p{fd, POLLOUT, 0};
  const int ready = ::poll(&p, 1, MillisLeft(deadline));
  if (ready == 0) return UnavailableError("timed out connecting");
  if (ready < 0) return UnavailableError("cannot connect: " + ErrnoText(errno));
  int error = 0;
  socklen_t size = sizeof error;
  ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
  if (error != 0) return UnavailableError("cannot connect: " + ErrnoText(error));
  return OkStatus();
}

}  // namespace

StatusOr<TlsContext> TlsContext::Create(const std::string& ca_file) {
  std::shared_ptr<ssl_ctx_st> ctx(::SSL_CTX_new(::TLS_client_method()), ::SSL_CTX_free);
  if (!ctx) return InternalError("cannot set up TLS: " + TlsErrorText());
  ::SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  ::SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  // A server that closes without TLS's close_notify ends the stream as a clean close does: the
  // HTTP answer's own length still shows a cut.
  ::SSL_CTX_set_options(ctx.get(), SSL_OP_IGNORE_UNEXPECTED_EOF);
  ::SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE);
  if (ca_file.empty()) {
    if (::SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
      return InternalError("cannot load the system's trusted authorities: " + TlsErrorText());
    }
  } else if (::SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr) != 1) {
    return InvalidArgumentError("cannot be read as PEM certificates: " + TlsErrorText(), "ca_file");
  }
  return TlsContext(std::move(ctx));
}

StatusOr<TcpConnection> TcpConnection::Connect(const std::string& host, int port,
                                               std::chrono::milliseconds timeout,
                                               const TlsContext* tls) {
  const Deadline deadline = std::chrono::steady_clock::now() + timeout;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (int error = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); error != 0) {
    return UnavailableError("cannot resolve " + host + ": " + ::gai_strerror(error));
  }
  std::unique_ptr<addrinfo, AddrInfoFree> addresses(found);
  Status last = UnavailableError("no address for " + host);
  for (const addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    const int fd =
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last = UnavailableError("cannot open a socket: " + ErrnoText(errno));
      continue;
    }
    last = ConnectWithin(fd, *a, deadline);
    if (!last.ok()) {
      ::close(fd);
      continue;
    }
    TcpConnection conn(fd, deadline);
    if (tls == nullptr) return conn;
    last = conn.Handshake(*tls, host);
    if (last.ok()) return conn;
  }
  return UnavailableError(host + ":" + service + ": " + last.message());
}

TcpConnection::TcpConnection(TcpConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      ssl_(std::exchange(other.ssl_, nullptr)),
      deadline_(other.deadline_),
      buffer_(std::move(other.buffer_)) {}

TcpConnection& TcpConnection::operator=(TcpConnection&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = std::exchange(other.fd_, -1);
    ssl_ = std::exchange(other.ssl_, nullptr);
    deadline_ = other.deadline_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

TcpConnection::~TcpConnection() { Close(); }

void TcpConnection::Close() {
  if (ssl_ != nullptr) ::SSL_free(ssl_);
  ssl_ = nullptr;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Status TcpConnection::StartTls(const TlsContext& tls, const std::string& host) {
  if (!buffer_.empty()) return UnavailableError("the server sent more before TLS began");
  return Handshake(tls, host);
}

// The server's name is checked as well as its chain: a certificate another site holds is refused.
Status TcpConnection::Handshake(const TlsContext& tls, const std::string& host) {
  ssl_ = ::SSL_new(tls.ctx_.get());
  if (ssl_ == nullptr || ::SSL_set_fd(ssl_, fd_) != 1) {
    return UnavailableError("cannot set up TLS: " + TlsErrorText());
  }
  const bool named =
      IsIpAddress(host) ? ::X509_VERIFY_PARAM_set1_ip_asc(::SSL_get0_param(ssl_), host.c_str()) == 1
                        : ::SSL_set1_host(ssl_, host.c_str()) == 1 &&
                              ::SSL_set_tlsext_host_name(ssl_, host.c_str()) == 1;
  if (!named) return UnavailableError("cannot set up TLS for " + host + ": " + TlsErrorText());
  const SigpipeBlocked no_sigpipe;
  for (;;) {
    ::ERR_clear_error();
    const int result = ::SSL_connect(ssl_);
    if (result == 1) return OkStatus();
    if (const long verified = ::SSL_get_verify_result(ssl_); verified != X509_V_OK) {
      ::ERR_clear_error();
      return UnavailableError(std::string("the server's certificate is refused: ") +
                              ::X509_verify_cert_error_string(verified));
    }
    ASSIGN_OR_RETURN(bool again, AfterTls(result, "the TLS handshake"));
    if (!again) return UnavailableError("the server closed the connection in the TLS handshake");
  }
}

StatusOr<bool> TcpConnection::AfterTls(int result, const char* doing) {
  switch (::SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      RETURN_IF_ERROR(Wait(POLLIN));
      return true;
    case SSL_ERROR_WANT_WRITE:
      RETURN_IF_ERROR(Wait(POLLOUT));
      return true;
    case SSL_ERROR_ZERO_RETURN:
      ::ERR_clear_error();
      return false;
    case SSL_ERROR_SYSCALL: {
      const int error = errno;
      ::ERR_clear_error();
      if (error == EINTR || error == EAGAIN) return true;
      return UnavailableError(std::string(doing) + " failed: " +
                              (error != 0 ? ErrnoText(error) : "the connection was cut"));
    }
    default:
      return UnavailableError(std::string(doing) + " failed: " + TlsErrorText());
  }
}

Status TcpConnection::Wait(short events) {
  pollfd p{fd_, events, 0};
  for (;;) {
    const int ready = ::poll(&p, 1, MillisLeft(deadline_));
    if (ready > 0) return OkStatus();
    if (ready == 0) return UnavailableError("timed out waiting for the server");
    if (errno != EINTR) return UnavailableError("poll failed: " + ErrnoText(errno));
  }
}

Status TcpConnection::WriteAll(std::string_view data) {
  while (!data.empty()) {
    if (ssl_ != nullptr) {
      const SigpipeBlocked no_sigpipe;
      ::ERR_clear_error();
      const int sent = ::SSL_write(ssl_, data.data(),
                                   static_cast<int>(std::min<std::size_t>(data.size(), INT_MAX)));
      if (sent > 0) {
        data.remove_prefix(static_cast<std::size_t>(sent));
        continue;
      }
      ASSIGN_OR_RETURN(bool again, AfterTls(sent, "sending"));
      if (!again) return UnavailableError("the server closed the connection");
      continue;
    }
    RETURN_IF_ERROR(Wait(POLLOUT));
    const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return UnavailableError("cannot send: " + ErrnoText(errno));
    }
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return OkStatus();
}

StatusOr<bool> TcpConnection::Fill() {
  char chunk[kChunk];
  for (;;) {
    if (ssl_ != nullptr) {  // Read first: TLS may hold bytes the socket no longer shows.
      const SigpipeBlocked no_sigpipe;  // Reading may write (an alert, a key update).
      ::ERR_clear_error();
      const int got = ::SSL_read(ssl_, chunk, sizeof chunk);
      if (got > 0) {
        buffer_.append(chunk, static_cast<std::size_t>(got));
        return true;
      }
      ASSIGN_OR_RETURN(bool again, AfterTls(got, "receiving"));
      if (!again) return false;
      continue;
    }
    RETURN_IF_ERROR(Wait(POLLIN));
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got > 0) {
      buffer_.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    if (got == 0) return false;
    if (errno != EAGAIN && errno != EINTR) {
      return UnavailableError("cannot receive: " + ErrnoText(errno));
    }
  }
}

StatusOr<std::string> TcpConnection::ReadLine(std::size_t max_bytes) {
  for (;;) {
    const auto end = buffer_.find('\n');
    if (end != std::string::npos) {
      std::string line = buffer_.substr(0, end);
      buffer_.erase(0, end + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    if (buffer_.size() > max_bytes) return UnavailableError("the server sent an overlong line");
    ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return UnavailableError("the server closed the connection");
  }
}

StatusOr<std::string> TcpConnection::ReadToEnd(std::size_t max_bytes) {
  for (;;) {
    if (buffer_.size() > max_bytes) return UnavailableError("the server sent too much");
    ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) return std::exchange(buffer_, {});
  }
}

}  // namespace tendon::notify
