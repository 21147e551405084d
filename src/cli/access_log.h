// The access log of `tendon serve`: one line per request on stderr with the request id, method,
// route pattern, status and latency; never the raw target, which could carry personal data.
//
// Lines are handed to a writer thread, so that a slow stderr never stalls the server's I/O
// threads and a busy server writes many lines per system call. Destruction writes what is pending.
#ifndef TENDON_CLI_ACCESS_LOG_H_
#define TENDON_CLI_ACCESS_LOG_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "http/server.h"

namespace tendon::cli {

class AccessLog {
 public:
  explicit AccessLog(int fd);
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;
  ~AccessLog();

  // Thread-safe; never blocks on the file.
  void Record(const http::AccessRecord& record);

 private:
  void Run();

  const int fd_;
  std::mutex mu_;
  std::condition_variable wake_;
  std::string pending_;    // Guarded by mu_.
  bool stopping_ = false;  // Guarded by mu_.
  std::thread writer_;
};

}  // namespace tendon::cli

#endif  // TENDON_CLI_ACCESS_LOG_H_
