// A blocking TCP connection with one time limit for the whole exchange, for the SMTP and GOV.UK
// Notify clients: POSIX sockets, no library. Internal to the notify module.
//
// A TcpConnection is used by one thread at a time; it closes its socket when destroyed.
#ifndef TENDON_NOTIFY_TCP_H_
#define TENDON_NOTIFY_TCP_H_

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon::notify {

class TcpConnection {
 public:
  // Connects to `host` (a name or an address) on `port`. Connecting and every later read and
  // write must all end within `timeout` from now, so that a send's length is bounded whatever
  // the server does. Unavailable, saying why, when it cannot.
  static StatusOr<TcpConnection> Connect(const std::string& host, int port,
                                         std::chrono::milliseconds timeout);

  TcpConnection(TcpConnection&& other) noexcept;
  TcpConnection& operator=(TcpConnection&& other) noexcept;
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;
  ~TcpConnection();

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
  // Waits for the socket to be readable (or writable), then reads more into buffer_; false at
  // the end of the stream.
  StatusOr<bool> Fill();
  Status Wait(short events);

  int fd_ = -1;
  Deadline deadline_;
  std::string buffer_;  // Read but not yet consumed.
};

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_TCP_H_
