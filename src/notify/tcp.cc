#include "notify/tcp.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <memory>
#include <utility>

namespace tendon::notify {
namespace {

constexpr std::size_t kChunk = 4096;

std::string ErrnoText(int error) { return std::strerror(error); }

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

StatusOr<TcpConnection> TcpConnection::Connect(const std::string& host, int port,
                                               std::chrono::milliseconds timeout) {
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
    if (last.ok()) return TcpConnection(fd, deadline);
    ::close(fd);
  }
  return UnavailableError(host + ":" + service + ": " + last.message());
}

TcpConnection::TcpConnection(TcpConnection&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      deadline_(other.deadline_),
      buffer_(std::move(other.buffer_)) {}

TcpConnection& TcpConnection::operator=(TcpConnection&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    deadline_ = other.deadline_;
    buffer_ = std::move(other.buffer_);
  }
  return *this;
}

TcpConnection::~TcpConnection() {
  if (fd_ >= 0) ::close(fd_);
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
  for (;;) {
    RETURN_IF_ERROR(Wait(POLLIN));
    char chunk[kChunk];
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
