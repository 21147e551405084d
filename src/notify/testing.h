// A loopback TCP server for the notify tests: accepts connections on 127.0.0.1 and hands each to
// a handler on its own thread, which talks to the client over the socket's line-oriented helpers.
// Test-only; header-only.
#ifndef TENDON_NOTIFY_TESTING_H_
#define TENDON_NOTIFY_TESTING_H_

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tendon::notify::testing {

// One accepted connection, from the server's side.
class Peer {
 public:
  explicit Peer(int fd) : fd_(fd) {}
  // Sends `text` as is.
  void Write(const std::string& text) { (void)::send(fd_, text.data(), text.size(), MSG_NOSIGNAL); }
  // The next line without its CRLF; false when the client closed first.
  bool ReadLine(std::string& line) {
    for (;;) {
      const auto end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return true;
      }
      if (!Fill()) return false;
    }
  }
  // Exactly `n` more bytes; false when the client closed first.
  bool Read(std::size_t n, std::string& out) {
    while (buffer_.size() < n) {
      if (!Fill()) return false;
    }
    out = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return true;
  }

 private:
  bool Fill() {
    char chunk[4096];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }
  int fd_;
  std::string buffer_;
};

class LoopbackServer {
 public:
  // Serves `connections` connections, one after another, each with `handler`.
  LoopbackServer(int connections, std::function<void(Peer&)> handler) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, connections);
    socklen_t size = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, connections, handler = std::move(handler)] {
      for (int i = 0; i < connections; ++i) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        Peer peer(fd);
        handler(peer);
        ::close(fd);
      }
    });
  }
  ~LoopbackServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace tendon::notify::testing

#endif  // TENDON_NOTIFY_TESTING_H_
