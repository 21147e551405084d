#include "http/message.h"

#include <algorithm>
#include <cstddef>

namespace tendon::http {
namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// RFC 6265 allows only SP between cookie pairs, but browsers and proxies also send tabs.
std::string_view TrimSpace(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Splits `text` at the first `separator`: ("a=b", '=') -> ("a", "b"); no separator -> (text, "").
std::pair<std::string_view, std::string_view> SplitOnce(std::string_view text, char separator) {
  const std::size_t at = text.find(separator);
  if (at == std::string_view::npos) return {text, {}};
  return {text.substr(0, at), text.substr(at + 1)};
}

bool IsUnreserved(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Appends `text` to `out` as one name or value of a form body (see FormEncode).
void AppendFormEncoded(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      const auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
}

}  // namespace

std::string_view ToString(Method method) {
  switch (method) {
    case Method::kGet:
      return "GET";
    case Method::kHead:
      return "HEAD";
    case Method::kPost:
      return "POST";
    case Method::kPut:
      return "PUT";
    case Method::kPatch:
      return "PATCH";
    case Method::kDelete:
      return "DELETE";
    case Method::kOptions:
      return "OPTIONS";
    case Method::kOther:
      return "OTHER";
  }
  return "OTHER";
}

bool HeaderLess::operator()(std::string_view a, std::string_view b) const {
  return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(),
                                      [](char x, char y) { return AsciiLower(x) < AsciiLower(y); });
}

std::string_view Request::Header(std::string_view name) const {
  const auto it = headers.find(name);
  if (it == headers.end()) return {};
  return it->second;
}

std::optional<std::string> Request::Cookie(std::string_view name) const {
  std::string_view rest = Header("Cookie");
  while (!rest.empty()) {
    auto [pair, tail] = SplitOnce(rest, ';');
    rest = tail;
    if (pair.find('=') == std::string_view::npos) continue;  // Not a cookie-pair: ignored.
    auto [pair_name, value] = SplitOnce(pair, '=');
    if (TrimSpace(pair_name) != name) continue;
    value = TrimSpace(value);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return std::nullopt;
}

Response Response::Make(int status, std::string content_type, std::string body) {
  Response response;
  response.status = status;
  response.headers["Content-Type"] = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Response Response::Html(int status, std::string body) {
  return Make(status, "text/html; charset=utf-8", std::move(body));
}

Response Response::Json(int status, std::string body) {
  return Make(status, "application/json", std::move(body));
}

Response Response::Redirect(std::string location) {
  Response response;
  response.status = 303;
  response.headers["Location"] = std::move(location);
  return response;
}

std::map<std::string, std::string> ParseForm(std::string_view body) {
  std::map<std::string, std::string> form;
  std::string_view rest = body;
  while (!rest.empty()) {
    auto [piece, tail] = SplitOnce(rest, '&');
    rest = tail;
    if (piece.empty()) continue;
    auto [raw_name, raw_value] = SplitOnce(piece, '=');
    std::optional<std::string> name = PercentDecode(raw_name, /*plus_is_space=*/true);
    std::optional<std::string> value = PercentDecode(raw_value, /*plus_is_space=*/true);
    if (!name || !value) continue;
    form[std::move(*name)] = std::move(*value);
  }
  return form;
}

std::string FormEncode(const std::map<std::string, std::string>& form) {
  std::string out;
  for (const auto& [name, value] : form) {
    if (!out.empty()) out.push_back('&');
    AppendFormEncoded(name, out);
    out.push_back('=');
    AppendFormEncoded(value, out);
  }
  return out;
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out.push_back(' ');
      continue;
    }
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;  // Needs two more characters.
    const int high = HexValue(text[i + 1]);
    const int low = HexValue(text[i + 2]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<char>(high * 16 + low));
    i += 2;
  }
  return out;
}

}  // namespace tendon::http
