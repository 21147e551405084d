// A blocking TCP connection with one time limit for the whole exchange, for the SMTP and GOV.UK
// Notify clients: POSIX sockets, and OpenSSL for TLS. Internal to the notify module.
//
// A TcpConnection is used by one thread at a time; it closes its socket when destroyed. A
// TlsContext may be shared by any number of threads.
#ifndef TENDON_NOTIFY_TCP_H_
#define TENDON_NOTIFY_TCP_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

struct ssl_ctx_st;  // OpenSSL's SSL_CTX and SSL, kept out of this header.
struct ssl_st;

namespace tendon::notify {

// What a TLS connection trusts: TLS 1.2 or later, and a server certificate that chains to one of
// the authorities (the system's, or only those in a PEM file) and names the host connected to.
class TlsContext {
 public:
  // `ca_file` empty: the system's trusted authorities (Debian's ca-certificates). InvalidArgument
  // (field "ca_file") when the file holds no certificate that can be read.
  static StatusOr<TlsContext> Create(const std::string& ca_file);

 private:
  friend class TcpConnection;
  explicit TlsContext(std::shared_ptr<ssl_ctx_st> ctx) : ctx_(std::move(ctx)) {}
  std::shared_ptr<ssl_ctx_st> ctx_;
};

class TcpConnection {
 public:
  // Connects to `host` (a name or an address) on `port`. Connecting and every later read and
  // write must all end within `timeout` from now, so that a send's length is bounded whatever
  // the server does. With `tls`, the TLS handshake is done too, and refused unless the server's
  // certificate is trusted and names `host`, before anything is sent. Unavailable, saying why,
  // when it cannot.
  static StatusOr<TcpConnection> Connect(const std::string& host, int port,
                                         std::chrono::milliseconds timeout,
                                         const TlsContext* tls = nullptr);

  TcpConnection(TcpConnection&& other) noexcept;
  TcpConnection& operator=(TcpConnection&& other) noexcept;
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;
  ~TcpConnection();

  // Turns a plain connection into a TLS one where the protocol says so (SMTP's STARTTLS), checking
  // the server as Connect does. Unavailable if the server sent anything more before TLS began
  // (which could otherwise be read as if it came under TLS) or the handshake fails.
  Status StartTls(const TlsContext& tls, const std::string& host);
  // Sends all of `data`. Unavailable on a timeout or a closed connection (never SIGPIPE).
  Status WriteAll(std::string_view data);
  // The next line, without its "\r\n" or "\n". Unavailable on a timeout, on a connection closed
  // before the line ends, or on a line longer than `max_bytes`.
  StatusOr<std::string> ReadLine(std::size_t max_bytes);
  // Everything until the peer closes the connection. Unavailable on a timeout or when more than
  // `max_bytes` arrive.
  StatusOr<std::string> ReadToEnd(std::size_t max_bytes);

 private:
  using Deadline = std::chrono::steady_clock::time_point;
  TcpConnection(int fd, Deadline deadline) : fd_(fd), deadline_(deadline) {}
  Status Handshake(const TlsContext& tls, const std::string& host);
  // Reads more into buffer_, waiting for the socket as needed; false at the end of the stream.
  StatusOr<bool> Fill();
  Status Wait(short events);
  // After a TLS call returned `result` (not success): waits as OpenSSL asks and returns true to
  // call it again, false at a clean end of the stream, or the error (`doing` names the call).
  StatusOr<bool> AfterTls(int result, const char* doing);
  void Close();

  int fd_ = -1;
  ssl_st* ssl_ = nullptr;  // Set on a TLS connection.
  Deadline deadline_;
  std::string buffer_;  // Read but not yet consumed.
};

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_TCP_H_
