// Email over SMTP (RFC 5321): a plain-text message handed to the service's mail relay, one
// connection per message (EHLO, MAIL FROM, RCPT TO, DATA with dot-stuffing, QUIT), the whole
// exchange within one time limit. No authentication: the relay is the service's own, reached over
// loopback or a private network, and it does the onward delivery. With `starttls` the exchange
// moves to TLS after the first EHLO (RFC 3207), the relay's certificate checked as for Notify,
// and nothing is sent if the relay does not offer it.
//
// Thread safety: an SmtpClient holds only its settings and TLS context; Send may be called from
// several threads.
#ifndef TENDON_NOTIFY_SMTP_H_
#define TENDON_NOTIFY_SMTP_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "notify/tcp.h"

namespace tendon::notify {

struct SmtpSettings {
  std::string host = "127.0.0.1";
  int port = 25;
  std::string from;                // The sender's address: "no-reply@msk.example.nhs.uk".
  std::string from_name;           // Shown beside it: "Oxfordshire MSK service"; may be empty.
  std::string helo = "localhost";  // The name this client gives in EHLO and Message-IDs.
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};  // For a whole message.
  bool starttls = false;  // Require TLS (STARTTLS) before the message is sent.
  std::string ca_file;    // PEM authorities to trust for it; empty: the system's.
};

struct EmailMessage {
  std::string to;          // One address, checked when the message was queued.
  std::string subject;     // One line; line breaks are made spaces.
  std::string body;        // Plain text, "\n" line ends, no line over 998 bytes.
  std::string message_id;  // "<...@...>": the same for every attempt at the same message.
  Instant date{};          // The Date header.
};

// A server's reply: its code and the text of each line.
struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;
  std::string Text() const;  // "550 no such user" (the lines joined with spaces).
};

// Parses one reply from its lines ("250-first", ..., "250 last"). InvalidArgument when a line has
// no three-digit code, the codes differ, or a line before the last does not continue with "-".
StatusOr<SmtpReply> ParseReply(const std::vector<std::string>& lines);

// Whether a reply's line continues the reply ("250-...") and another line follows.
bool ContinuesReply(std::string_view line);

// The DATA of `message`: headers (From, To, Subject, Date, Message-ID, MIME as UTF-8 plain text)
// and body, with CRLF line ends, every line starting with "." doubled, and the final "." line.
// InvalidArgument (field "body") for a line over 998 bytes.
StatusOr<std::string> FormatData(const EmailMessage& message, const SmtpSettings& settings);

// "<tendon.42.1780000000000@helo>": a message's Message-ID from its outbox id and the millisecond
// it was queued, the same on every attempt, and unique across databases that reuse ids.
std::string MessageIdFor(std::int64_t outbox_id, Instant created_at, std::string_view helo);

class SmtpClient {
 public:
  // InvalidArgument (field "ca_file") when starttls is set and the authorities cannot be read.
  static StatusOr<SmtpClient> Create(SmtpSettings settings);

  // Hands `message` to the relay. OK when it answered 250 to the end of the data: the relay has
  // taken it. Unavailable (try again later) for a connection failure, a timeout or a 4xx reply;
  // FailedPrecondition (never worth retrying) for a 5xx reply; both carry the server's reply.
  Status Send(const EmailMessage& message) const;

  const SmtpSettings& settings() const { return settings_; }

 private:
  SmtpClient(SmtpSettings settings, std::optional<TlsContext> tls)
      : settings_(std::move(settings)), tls_(std::move(tls)) {}

  SmtpSettings settings_;
  std::optional<TlsContext> tls_;  // Set when settings_.starttls.
};

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_SMTP_H_
