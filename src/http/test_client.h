// A small blocking HTTP/1.1 client on POSIX sockets for tests of the real server over loopback
// (not Beast, so that tests do not compile Beast a second time). Test-only; header-only.
#ifndef TENDON_HTTP_TEST_CLIENT_H_
#define TENDON_HTTP_TEST_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace tendon::http::testing {

using namespace std::chrono_literals;

struct Reply {
  int status = 0;
  Headers headers;
  std::string body;

  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// One blocking client connection to 127.0.0.1.
class Client {
 public:
  explicit Client(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Client() {
    if (fd_ >= 0) ::close(fd_);
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  bool connected() const { return fd_ >= 0; }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t sent = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(sent));
    }
    return true;
  }

  // Reads one response (no body for a reply to HEAD); nullopt on timeout, close or garbage.
  std::optional<Reply> Read(bool head = false, std::chrono::milliseconds timeout = 2000ms) {
    const std::chrono::steady_clock::time_point deadline =
        std::chrono::steady_clock::now() + timeout;
    std::size_t end;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill(deadline)) return std::nullopt;
    }
    std::optional<Reply> reply = ParseHead(buffer_.substr(0, end + 2));
    if (!reply) return std::nullopt;
    buffer_.erase(0, end + 4);
    const auto length = reply->headers.find("Content-Length");
    const std::size_t body_size =
        (head || length == reply->headers.end()) ? 0 : std::stoul(length->second);
    while (buffer_.size() < body_size) {
      if (!Fill(deadline)) return std::nullopt;
    }
    reply->body = buffer_.substr(0, body_size);
    buffer_.erase(0, body_size);
    return reply;
  }

  // True when the server closes the connection within `timeout` (data before that is ignored).
  bool WaitClosed(std::chrono::milliseconds timeout) {
    const std::chrono::steady_clock::time_point deadline =
        std::chrono::steady_clock::now() + timeout;
    while (Fill(deadline)) {
    }
    return closed_;
  }

  std::size_t buffered() const { return buffer_.size(); }

 private:
  static std::optional<Reply> ParseHead(const std::string& head) {
    Reply reply;
    if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12) return std::nullopt;
    reply.status = std::stoi(head.substr(9, 3));
    std::size_t at = head.find("\r\n") + 2;
    while (at < head.size()) {
      const std::size_t eol = head.find("\r\n", at);
      const std::string line = head.substr(at, eol - at);
      const std::size_t colon = line.find(':');
      if (colon == std::string::npos) return std::nullopt;
      std::size_t value_at = colon + 1;
      while (value_at < line.size() && line[value_at] == ' ') ++value_at;
      reply.headers[line.substr(0, colon)] = line.substr(value_at);
      at = eol + 2;
    }
    return reply;
  }

  // Appends what arrives before `deadline`; false on timeout, close or error (closed_ set then).
  bool Fill(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= 0ms) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return false;
    char chunk[16 * 1024];
    const ssize_t got = ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) {
      closed_ = true;
      return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }

  int fd_ = -1;
  std::string buffer_;
  bool closed_ = false;
};

}  // namespace tendon::http::testing

#endif  // TENDON_HTTP_TEST_CLIENT_H_
