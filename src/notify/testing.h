// A loopback TCP server for the notify tests: accepts connections on 127.0.0.1 (under TLS when
// given a context) and hands each to a handler on its own thread, which talks to the client over
// the socket's line-oriented helpers; and self-signed certificates for the TLS tests.
// Test-only; header-only.
#ifndef TENDON_NOTIFY_TESTING_H_
#define TENDON_NOTIFY_TESTING_H_

#include <netinet/in.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tendon::notify::testing {

// One accepted connection, from the server's side.
class Peer {
 public:
  explicit Peer(int fd, SSL* ssl = nullptr) : fd_(fd), ssl_(ssl) {}
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;
  ~Peer() {
    if (owned_ssl_) ::SSL_free(ssl_);
  }
  // Moves the connection to TLS as a server (STARTTLS); false when the handshake fails.
  bool StartTls(SSL_CTX* tls) {
    ssl_ = ::SSL_new(tls);
    owned_ssl_ = true;
    ::SSL_set_fd(ssl_, fd_);
    return ::SSL_accept(ssl_) == 1;
  }
  bool tls() const { return ssl_ != nullptr; }
  // Sends `text` as is.
  void Write(const std::string& text) {
    if (ssl_ != nullptr) {
      (void)::SSL_write(ssl_, text.data(), static_cast<int>(text.size()));
    } else {
      (void)::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
    }
  }
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
    const ssize_t got = ssl_ != nullptr ? ::SSL_read(ssl_, chunk, sizeof chunk)
                                        : ::recv(fd_, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer_.append(chunk, static_cast<std::size_t>(got));
    return true;
  }
  int fd_;
  SSL* ssl_;
  bool owned_ssl_ = false;
  std::string buffer_;
};

class LoopbackServer {
 public:
  // Serves `connections` connections, one after another, each with `handler`; with `tls`, each
  // after a TLS handshake, and one whose handshake fails is counted and closed unhandled.
  LoopbackServer(int connections, std::function<void(Peer&)> handler, SSL_CTX* tls = nullptr) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, connections);
    socklen_t size = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &size);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, connections, handler = std::move(handler), tls] {
      for (int i = 0; i < connections; ++i) {
        const int fd = ::accept(listener_, nullptr, nullptr);
        if (fd < 0) return;
        SSL* ssl = nullptr;
        if (tls != nullptr) {
          ssl = ::SSL_new(tls);
          ::SSL_set_fd(ssl, fd);
          if (::SSL_accept(ssl) != 1) {
            ++failed_handshakes_;
            ::SSL_free(ssl);
            ::close(fd);
            continue;
          }
        }
        Peer peer(fd, ssl);
        handler(peer);
        if (ssl != nullptr) {
          ::SSL_shutdown(ssl);
          ::SSL_free(ssl);
        }
        ::close(fd);
      }
    });
  }
  ~LoopbackServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  // Waits until every connection has been served.
  void Join() { thread_.join(); }
  // Handshakes that failed; read after Join.
  int failed_handshakes() const { return failed_handshakes_; }

 private:
  std::atomic<int> failed_handshakes_{0};
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// A self-signed certificate (P-256, valid from an hour ago for a day) naming `alt_names`, in
// OpenSSL's subjectAltName syntax ("IP:127.0.0.1,DNS:localhost"), with a server context that
// presents it.
class TestCertificate {
 public:
  explicit TestCertificate(const std::string& alt_names)
      : key_(EVP_EC_gen("P-256")), cert_(::X509_new()) {
    ::X509_set_version(cert_, 2);
    ::ASN1_INTEGER_set(::X509_get_serialNumber(cert_), 1);
    ::X509_gmtime_adj(::X509_getm_notBefore(cert_), -3600);
    ::X509_gmtime_adj(::X509_getm_notAfter(cert_), 86400);
    ::X509_set_pubkey(cert_, key_);
    X509_NAME* name = ::X509_get_subject_name(cert_);
    ::X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(alt_names.c_str()), -1, -1,
                                 0);
    ::X509_set_issuer_name(cert_, name);
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    ::X509V3_set_ctx(&ctx, cert_, cert_, nullptr, nullptr, 0);
    for (const auto& [nid, value] : {std::pair<int, std::string>{NID_basic_constraints, "CA:TRUE"},
                                     {NID_subject_alt_name, alt_names}}) {
      X509_EXTENSION* extension = ::X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
      ::X509_add_ext(cert_, extension, -1);
      ::X509_EXTENSION_free(extension);
    }
    ::X509_sign(cert_, key_, ::EVP_sha256());
    server_ = ::SSL_CTX_new(::TLS_server_method());
    ::SSL_CTX_use_certificate(server_, cert_);
    ::SSL_CTX_use_PrivateKey(server_, key_);
  }
  TestCertificate(const TestCertificate&) = delete;
  TestCertificate& operator=(const TestCertificate&) = delete;
  ~TestCertificate() {
    ::SSL_CTX_free(server_);
    ::X509_free(cert_);
    ::EVP_PKEY_free(key_);
  }

  // Writes the certificate as PEM to a file of this process's own in the temporary folder (tests
  // run in parallel processes), for a client to trust, and returns its path.
  std::string WritePem(const std::string& name) const {
    const std::string path = (std::filesystem::temp_directory_path() /
                              (name + "-" + std::to_string(::getpid()) + ".pem"))
                                 .string();
    std::FILE* file = std::fopen(path.c_str(), "w");
    ::PEM_write_X509(file, cert_);
    std::fclose(file);
    return path;
  }
  SSL_CTX* server() const { return server_; }

 private:
  EVP_PKEY* key_;
  X509* cert_;
  SSL_CTX* server_ = nullptr;
};

}  // namespace tendon::notify::testing

#endif  // TENDON_NOTIFY_TESTING_H_
