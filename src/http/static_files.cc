#include "http/static_files.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <fstream>
#include <iterator>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

namespace tendon::http {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kCacheControl = "public, max-age=3600";

struct TypeByExtension {
  std::string_view extension;
  std::string_view content_type;
};

constexpr std::array<TypeByExtension, 13> kContentTypes = {{
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".json", "application/json"},
    {".map", "application/json"},
    {".html", "text/html; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
}};

Response NotFound() { return Response::Make(404, "text/plain; charset=utf-8", "Not found\n"); }

// The root, made absolute and canonical where it exists (and lexically normal where it does not,
// so that every request is then refused as missing).
fs::path ResolveRoot(const fs::path& root) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec);
  if (ec) return root.lexically_normal();
  fs::path canonical = fs::weakly_canonical(absolute, ec);
  return ec ? absolute.lexically_normal() : canonical;
}

// The relative path named by the part of the URL after the prefix, or nullopt when any segment
// could name something other than a file below the root: "..", ".", an empty segment ("//", which
// would make the rest absolute), a hidden name, a backslash or a NUL byte. The path arrives
// percent-decoded, so "%2e%2e" is already "..".
std::optional<fs::path> SafeRelativePath(std::string_view rest) {
  if (rest.empty()) return std::nullopt;
  if (rest.find('\0') != std::string_view::npos || rest.find('\\') != std::string_view::npos) {
    return std::nullopt;
  }
  fs::path relative;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty() || segment.front() == '.') return std::nullopt;
    relative /= fs::path(std::string(segment));
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return relative;
}

// True when `path` is `root` or below it, component by component (so "/web2" is not under "/web").
bool IsUnder(const fs::path& path, const fs::path& root) {
  auto [root_end, path_end] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  if (root_end == root.end()) return true;
  // A root given with a trailing slash ends in an empty component, which matches anything.
  return std::next(root_end) == root.end() && root_end->empty();
}

std::optional<std::string> ReadWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return std::nullopt;
  return body;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root, std::string prefix)
    : root_(ResolveRoot(root)), prefix_(std::move(prefix)) {}

bool StaticFiles::Handles(const Request& request) const {
  return request.path.starts_with(prefix_);
}

Response StaticFiles::Serve(const Request& request) const {
  if (request.method != Method::kGet && request.method != Method::kHead) {
    Response response =
        Response::Make(405, "text/plain; charset=utf-8", "Only GET and HEAD are allowed here\n");
    response.headers["Allow"] = "GET, HEAD";
    return response;
  }
  if (!Handles(request)) return NotFound();
  const auto relative = SafeRelativePath(std::string_view(request.path).substr(prefix_.size()));
  if (!relative) return NotFound();

  // Resolving symlinks and then checking the result is still below the root refuses a link that
  // points out of it, wherever in the path the link is.
  std::error_code ec;
  const fs::path file = fs::weakly_canonical(root_ / *relative, ec);
  if (ec || !IsUnder(file, root_)) return NotFound();
  if (!fs::is_regular_file(file, ec) || ec) return NotFound();

  auto body = ReadWholeFile(file);
  if (!body) return NotFound();
  Response response = Response::Make(200, ContentTypeFor(file), std::move(*body));
  response.headers["Cache-Control"] = std::string(kCacheControl);
  // A HEAD response keeps its body: the server sends Content-Length from it and leaves the body
  // out, so HEAD reports the same length as GET.
  return response;
}

std::string ContentTypeFor(const std::filesystem::path& file) {
  std::string extension = file.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& entry : kContentTypes) {
    if (entry.extension == extension) return std::string(entry.content_type);
  }
  return "application/octet-stream";
}

}  // namespace tendon::http
