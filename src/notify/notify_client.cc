#include "notify/notify_client.h"

#include <arpa/inet.h>
#include <sodium.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "notify/base64.h"
#include "notify/tcp.h"

namespace tendon::notify {
namespace {

using nlohmann::json;

constexpr std::size_t kUuidLength = 36;
constexpr std::size_t kMaxResponse = 1 << 20;
constexpr int kHttpPort = 80;
constexpr int kHttpsPort = 443;
constexpr int kTooManyRequests = 429;
constexpr int kServerErrors = 500;
constexpr int kClientErrors = 400;
constexpr std::string_view kHttp = "http://";
constexpr std::string_view kHttps = "https://";

// "localhost", or an IPv4 address in 127.0.0.0/8.
bool IsLoopback(const std::string& host) {
  in_addr address{};
  return host == "localhost" || (::inet_pton(AF_INET, host.c_str(), &address) == 1 &&
                                 (ntohl(address.s_addr) >> 24) == 127);
}

bool IsUuid(std::string_view text) {
  if (text.size() != kUuidLength) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool hyphen = i == 8 || i == 13 || i == 18 || i == 23;
    if (hyphen != (text[i] == '-')) return false;
    if (!hyphen && !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    }
  }
  return out;
}

// The body of a chunked transfer: each chunk's size in hex on its own line, then its bytes.
StatusOr<std::string> Dechunk(std::string_view body) {
  std::string out;
  for (;;) {
    const auto line_end = body.find("\r\n");
    if (line_end == std::string_view::npos) return InternalError("a chunk has no size line");
    std::size_t size = 0;
    try {
      size = std::stoul(std::string(body.substr(0, line_end)), nullptr, 16);
    } catch (const std::exception&) {
      return InternalError("a chunk's size is not hexadecimal");
    }
    body.remove_prefix(line_end + 2);
    if (size == 0) return out;
    if (body.size() < size) return InternalError("a chunk is cut short");
    out.append(body.substr(0, size));
    body.remove_prefix(std::min(body.size(), size + 2));
  }
}

// Notify's errors as one line: "BadRequestError: phone_number Not a UK mobile number".
std::string ErrorsOf(const std::string& body) {
  const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  std::string text;
  if (parsed.is_object() && parsed.contains("errors") && parsed["errors"].is_array()) {
    for (const json& e : parsed["errors"]) {
      if (!e.is_object()) continue;
      text += (text.empty() ? "" : "; ") + e.value("error", std::string()) + ": " +
              e.value("message", std::string());
    }
  }
  return text.empty() ? body.substr(0, 200) : text;
}

// OK for 2xx; otherwise the error the status means to the worker.
Status Classify(const NotifyAnswer& answer) {
  if (answer.status / 100 == 2) return OkStatus();
  const std::string what =
      "Notify answered " + std::to_string(answer.status) + ": " + ErrorsOf(answer.body);
  const bool permanent = answer.status >= kClientErrors && answer.status < kServerErrors &&
                         answer.status != kTooManyRequests;
  return permanent ? FailedPreconditionError(what) : UnavailableError(what);
}

}  // namespace

StatusOr<NotifyKey> ParseNotifyKey(std::string_view api_key) {
  // The key name may hold hyphens itself: the two UUIDs are read from the end.
  const std::size_t both = 2 * kUuidLength + 1;
  if (api_key.size() < both + 2 || api_key[api_key.size() - both - 1] != '-') {
    return InvalidArgumentError("is not a Notify API key (name-service_id-secret)", "api_key");
  }
  NotifyKey key{std::string(api_key.substr(api_key.size() - both, kUuidLength)),
                std::string(api_key.substr(api_key.size() - kUuidLength))};
  if (!IsUuid(key.service_id) || !IsUuid(key.secret) ||
      api_key[api_key.size() - kUuidLength - 1] != '-') {
    return InvalidArgumentError("is not a Notify API key (name-service_id-secret)", "api_key");
  }
  return key;
}

std::string NotifyToken(const NotifyKey& key, Instant now) {
  const std::string header = Base64Url(R"({"alg":"HS256","typ":"JWT"})");
  const json claims{{"iss", key.service_id},
                    {"iat", date::floor<std::chrono::seconds>(now).time_since_epoch().count()}};
  const std::string signing_input = header + "." + Base64Url(claims.dump());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.secret.data()),
                              key.secret.size());
  crypto_auth_hmacsha256_update(
      &state, reinterpret_cast<const unsigned char*>(signing_input.data()), signing_input.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return signing_input + "." +
         Base64Url(std::string_view(reinterpret_cast<const char*>(mac), sizeof mac));
}

StatusOr<NotifyAnswer> ParseHttpResponse(std::string_view response) {
  const auto head_end = response.find("\r\n\r\n");
  if (head_end == std::string_view::npos) return InternalError("the HTTP answer has no headers");
  const std::string_view head = response.substr(0, head_end);
  std::string_view body = response.substr(head_end + 4);
  NotifyAnswer answer;
  if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
    return InternalError("the HTTP answer has no status line");
  }
  const auto space = head.find(' ');
  try {
    answer.status = std::stoi(std::string(head.substr(space + 1, 3)));
  } catch (const std::exception&) {
    return InternalError("the HTTP answer's status is not a number");
  }
  const std::string lower = Lower(std::string(head));
  if (lower.find("\r\ntransfer-encoding: chunked") != std::string::npos) {
    ASSIGN_OR_RETURN(answer.body, Dechunk(body));
    return answer;
  }
  if (const auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
    const std::size_t length = std::strtoul(lower.c_str() + at + 17, nullptr, 10);
    if (body.size() < length) return InternalError("the HTTP answer is cut short");
    body = body.substr(0, length);
  }
  answer.body = std::string(body);
  return answer;
}

StatusOr<NotifyClient> NotifyClient::Create(NotifySettings settings) {
  std::string_view url = settings.base_url;
  const bool https = url.substr(0, kHttps.size()) == kHttps;
  if (!https && url.substr(0, kHttp.size()) != kHttp) {
    return InvalidArgumentError("must be an https:// address", "base_url");
  }
  url.remove_prefix(https ? kHttps.size() : kHttp.size());
  const auto slash = url.find('/');
  const std::string_view authority = url.substr(0, slash);
  std::string path = slash == std::string_view::npos ? "" : std::string(url.substr(slash));
  while (!path.empty() && path.back() == '/') path.pop_back();
  const auto colon = authority.rfind(':');
  std::string host(authority.substr(0, colon));
  int port = https ? kHttpsPort : kHttpPort;
  if (colon != std::string_view::npos) {
    const std::string digits(authority.substr(colon + 1));
    port = digits.empty() || digits.size() > 5 ? 0 : std::atoi(digits.c_str());
  }
  if (host.empty() || port <= 0 || port > 65535) {
    return InvalidArgumentError("has no valid host and port", "base_url");
  }
  if (!https && !IsLoopback(host)) {
    return InvalidArgumentError(
        "must be an https:// address: plain http:// is taken only on this host (a proxy on "
        "loopback), so that patients' details never cross the network unencrypted",
        "base_url");
  }
  std::optional<TlsContext> tls;
  if (https) {
    ASSIGN_OR_RETURN(TlsContext context, TlsContext::Create(settings.ca_file));
    tls = std::move(context);
  }
  ASSIGN_OR_RETURN(NotifyKey key, ParseNotifyKey(settings.api_key));
  if (!IsUuid(settings.sms_template_id)) {
    return InvalidArgumentError("must be a Notify template id (a UUID)", "sms_template_id");
  }
  if (!IsUuid(settings.email_template_id)) {
    return InvalidArgumentError("must be a Notify template id (a UUID)", "email_template_id");
  }
  return NotifyClient(std::move(settings), std::move(key), std::move(tls), std::move(host), port,
                      std::move(path));
}

StatusOr<NotifyAnswer> NotifyClient::Request(std::string_view method, const std::string& path,
                                             const std::string& body, Instant now) const {
  ASSIGN_OR_RETURN(TcpConnection conn, TcpConnection::Connect(host_, port_, settings_.timeout,
                                                              tls_ ? &*tls_ : nullptr));
  std::string request = std::string(method) + " " + path_prefix_ + path +
                        " HTTP/1.1\r\nHost: " + host_ + ":" + std::to_string(port_) +
                        "\r\nAuthorization: Bearer " + NotifyToken(key_, now) +
                        "\r\nUser-Agent: tendon\r\nAccept: application/json\r\n"
                        "Connection: close\r\n";
  if (!body.empty()) {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  RETURN_IF_ERROR(conn.WriteAll(request + "\r\n" + body));
  ASSIGN_OR_RETURN(std::string response, conn.ReadToEnd(kMaxResponse));
  StatusOr<NotifyAnswer> answer = ParseHttpResponse(response);
  // A connection cut mid-answer looks malformed: whether Notify took the message is unknown, and
  // the next attempt asks it by reference before sending again.
  if (!answer.ok())
    return UnavailableError("Notify's answer cannot be read: " + answer.status().message());
  return answer;
}

StatusOr<std::string> NotifyClient::Send(Channel channel, const std::string& recipient,
                                         const std::string& subject, const std::string& body,
                                         const std::string& reference, Instant now) const {
  json request{{"reference", reference}};
  std::string path;
  if (channel == Channel::kSms) {
    path = "/v2/notifications/sms";
    request["phone_number"] = recipient;
    request["template_id"] = settings_.sms_template_id;
    request["personalisation"] = {{"body", body}};
  } else {
    path = "/v2/notifications/email";
    request["email_address"] = recipient;
    request["template_id"] = settings_.email_template_id;
    request["personalisation"] = {{"subject", subject}, {"body", body}};
  }
  ASSIGN_OR_RETURN(NotifyAnswer answer, Request("POST", path, request.dump(), now));
  RETURN_IF_ERROR(Classify(answer));
  const json parsed = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("id") || !parsed["id"].is_string()) {
    return InternalError("Notify accepted the message but gave no id");
  }
  return parsed["id"].get<std::string>();
}

StatusOr<std::optional<std::string>> NotifyClient::FindByReference(const std::string& reference,
                                                                   Instant now) const {
  ASSIGN_OR_RETURN(
      NotifyAnswer answer,
      Request("GET", "/v2/notifications?reference=" + PercentEncode(reference), "", now));
  RETURN_IF_ERROR(Classify(answer));
  const json parsed = json::parse(answer.body, nullptr, /*allow_exceptions=*/false);
  if (!parsed.is_object() || !parsed.contains("notifications") ||
      !parsed["notifications"].is_array()) {
    return UnavailableError("Notify's list of messages cannot be read");
  }
  for (const json& n : parsed["notifications"]) {
    if (n.is_object() && n.value("reference", std::string()) == reference && n.contains("id") &&
        n["id"].is_string()) {
      return std::optional<std::string>(n["id"].get<std::string>());
    }
  }
  return std::optional<std::string>();
}

}  // namespace tendon::notify
