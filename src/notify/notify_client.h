// A client for the GOV.UK Notify HTTP API (v2): sending a text message or an email through a
// template, and finding a message already sent under a reference. Each request carries a fresh
// JSON Web Token (HS256, iss = the service id, iat = now) made from the API key, as Notify asks.
//
// Notify's templates are kept in Notify itself; tendon writes its own wording
// (notify/templates.h) and passes it as personalisation to one template per channel in Notify:
// an SMS template "((body))" and an email template with subject "((subject))" and body
// "((body))".
//
// Notify is reached over TLS (https://), its certificate checked against the system's trusted
// authorities or the PEM file the settings name. A plain http:// address is taken only on this
// host (a proxy or a test double on loopback): patients' details never cross the network
// unencrypted. Thread safety: a NotifyClient holds only its settings and TLS context; its methods
// may be called from several threads.
#ifndef TENDON_NOTIFY_NOTIFY_CLIENT_H_
#define TENDON_NOTIFY_NOTIFY_CLIENT_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/records.h"
#include "core/status.h"
#include "core/time.h"
#include "notify/tcp.h"

namespace tendon::notify {

// An API key, "{key_name}-{service_id}-{secret_key}", where both ids are UUIDs.
struct NotifyKey {
  std::string service_id;
  std::string secret;
};
// InvalidArgument (field "api_key") when the key does not end in two UUIDs. The message never
// repeats the key.
StatusOr<NotifyKey> ParseNotifyKey(std::string_view api_key);

// The bearer token for a request made at `now`: header {"alg":"HS256","typ":"JWT"}, claims
// {"iss": service_id, "iat": seconds since the epoch}, signed with HMAC-SHA256 under the secret.
std::string NotifyToken(const NotifyKey& key, Instant now);

struct NotifySettings {
  std::string base_url = "https://api.notifications.service.gov.uk";
  std::string ca_file;  // PEM authorities to trust for https; empty: the system's.
  std::string api_key;  // Read from the environment or a file, never from the repository.
  std::string sms_template_id;
  std::string email_template_id;
  // For each request, from connecting to the end of the answer. A retried send makes two.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
};

// What Notify answered, for the worker to classify.
struct NotifyAnswer {
  int status = 0;    // The HTTP status.
  std::string body;  // The JSON body.
};

class NotifyClient {
 public:
  // InvalidArgument naming the setting (base_url, ca_file, api_key, sms_template_id,
  // email_template_id) when one is malformed or missing.
  static StatusOr<NotifyClient> Create(NotifySettings settings);

  // Sends `text` (the SMS's body; or the email's subject and body) to `recipient` under
  // `reference`. Returns Notify's id for the message. Unavailable (try later) for a network
  // failure, a timeout, 429 or 5xx; FailedPrecondition (never worth retrying) for any other
  // 4xx, with Notify's errors; Internal for an answer that cannot be read.
  StatusOr<std::string> Send(Channel channel, const std::string& recipient,
                             const std::string& subject, const std::string& body,
                             const std::string& reference, Instant now) const;

  // The id of a message sent earlier under `reference`, if Notify has one (GET
  // /v2/notifications?reference=...). Errors as Send's.
  StatusOr<std::optional<std::string>> FindByReference(const std::string& reference,
                                                       Instant now) const;

 private:
  NotifyClient(NotifySettings settings, NotifyKey key, std::optional<TlsContext> tls,
               std::string host, int port, std::string path_prefix)
      : settings_(std::move(settings)),
        key_(std::move(key)),
        tls_(std::move(tls)),
        host_(std::move(host)),
        port_(port),
        path_prefix_(std::move(path_prefix)) {}
  StatusOr<NotifyAnswer> Request(std::string_view method, const std::string& path,
                                 const std::string& body, Instant now) const;

  NotifySettings settings_;
  NotifyKey key_;
  std::optional<TlsContext> tls_;  // Set for an https:// address.
  std::string host_;
  int port_ = 0;
  std::string path_prefix_;  // The base URL's path, without a trailing "/".
};

// Splits an HTTP/1.1 response (status line, headers, body; chunked or not) into its status and
// body. Internal when it is malformed.
StatusOr<NotifyAnswer> ParseHttpResponse(std::string_view response);

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_NOTIFY_CLIENT_H_
