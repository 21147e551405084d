// Static files (CSS, JavaScript, fonts, images) served from a web root, with no way out of it.
#ifndef TENDON_HTTP_STATIC_FILES_H_
#define TENDON_HTTP_STATIC_FILES_H_

#include <filesystem>
#include <map>
#include <string>

#include "http/message.h"

namespace tendon::http {

class StaticFiles {
 public:
  // Serves files under `root` at URL prefix `prefix` ("/assets/"). The root is resolved once.
  StaticFiles(std::filesystem::path root, std::string prefix);

  bool Handles(const Request& request) const;
  // 200 with the file and its content type and a cache header; 404 for a missing file, a folder, or
  // any path that would leave the root (.., encoded dots or slashes, symlinks out, NUL bytes).
  // HEAD gets the same response; the server sends its headers only.
  Response Serve(const Request& request) const;

 private:
  std::filesystem::path root_;
  std::string prefix_;
};

// The Content-Type for a file name's extension ("text/css; charset=utf-8"); octet-stream otherwise.
std::string ContentTypeFor(const std::filesystem::path& file);

}  // namespace tendon::http

#endif  // TENDON_HTTP_STATIC_FILES_H_
