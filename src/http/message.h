// tendon's own HTTP request and response types. The server (server.cc, the only file that includes
// Boost.Beast) converts to and from them, so routing, handlers and their tests never see Beast.
#ifndef TENDON_HTTP_MESSAGE_H_
#define TENDON_HTTP_MESSAGE_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tendon::http {

enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view ToString(Method method);

// Header names compare without regard to case (ASCII), as HTTP requires. Transparent, so Headers
// can be searched with a string_view.
struct HeaderLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const;
};
using Headers = std::map<std::string, std::string, HeaderLess>;

struct Request {
  Method method = Method::kGet;
  std::string target;                        // As received: path and query, "/audit?actor=u1".
  std::string path;                          // Percent-decoded path without the query, "/audit".
  std::map<std::string, std::string> query;  // Decoded query parameters (last value wins).
  Headers headers;
  std::string body;
  std::string remote_address;  // The peer's IP address, for throttling (never logged with people).
  std::string request_id;      // Assigned by the server; echoed in X-Request-Id.

  // The header's value (name matched without regard to case), or empty. The server joins repeated
  // header lines with ", " (Cookie lines with "; ").
  std::string_view Header(std::string_view name) const;
  // The value of cookie `name` from the Cookie header (RFC 6265 section 5.4: "name=value" pairs
  // separated by ";", whitespace around them ignored, one pair of surrounding double quotes
  // removed), if present. The first pair with that exact (case-sensitive) name wins. The value is
  // returned as sent: cookies are not percent-decoded.
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  // A response with `status`, Content-Type `content_type` and `body`.
  static Response Make(int status, std::string content_type, std::string body);
  // Content-Type "text/html; charset=utf-8".
  static Response Html(int status, std::string body);
  // Content-Type "application/json".
  static Response Json(int status, std::string body);
  // 303 See Other to `location` (the redirect after a successful form post), with an empty body.
  static Response Redirect(std::string location);
};

// Parses an application/x-www-form-urlencoded body (or a URL query) into decoded name/value pairs
// (last value wins; "+" is a space). Empty pieces ("a=1&&b=2") and pairs whose name or value has a
// malformed escape are skipped; "a" alone is the pair ("a", "").
std::map<std::string, std::string> ParseForm(std::string_view body);

// Encodes `form` as an application/x-www-form-urlencoded body, the inverse of ParseForm: pairs in
// name order joined by "&", each name and value percent-encoded (uppercase hex) except for ASCII
// letters, digits and "-._~", with a space as "+". ParseForm(FormEncode(form)) == form.
std::string FormEncode(const std::map<std::string, std::string>& form);

// Percent-decodes `text` ("+" as space when `plus_is_space`); nullopt when an escape is malformed
// ("%" not followed by two hex digits). The result may contain any byte, NUL included: a caller
// that cannot accept that must check.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

}  // namespace tendon::http

#endif  // TENDON_HTTP_MESSAGE_H_
