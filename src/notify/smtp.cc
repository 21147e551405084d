#include "notify/smtp.h"

#include <date/date.h>

#include <cctype>

#include "notify/base64.h"
#include "notify/tcp.h"

namespace tendon::notify {
namespace {

constexpr std::size_t kMaxLine = 998;  // RFC 5321 4.5.3.1.6, without the CRLF.
constexpr std::size_t kMaxReplyLine = 4096;
constexpr int kCodeDigits = 3;
constexpr int kPermanent = 500;

bool IsAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// A header value on one line, encoded as RFC 2047 when it is not plain ASCII.
std::string HeaderText(std::string_view text) {
  std::string line(text);
  for (char& c : line) c = c == '\r' || c == '\n' ? ' ' : c;
  if (IsAscii(line)) return line;
  return "=?UTF-8?B?" + Base64(line) + "?=";
}

std::string RfcDate(Instant t) {
  return date::format("%a, %d %b %Y %H:%M:%S +0000", date::floor<std::chrono::seconds>(t));
}

// The reply to a step, read line by line.
StatusOr<SmtpReply> ReadReply(TcpConnection& conn) {
  std::vector<std::string> lines;
  for (;;) {
    ASSIGN_OR_RETURN(std::string line, conn.ReadLine(kMaxReplyLine));
    lines.push_back(std::move(line));
    if (!ContinuesReply(lines.back())) break;
  }
  StatusOr<SmtpReply> reply = ParseReply(lines);
  if (!reply.ok()) return UnavailableError("the server's reply is malformed: " + lines.front());
  return reply;
}

// OK for the `expected` class of reply (2 for 2xx, 3 for 3xx); otherwise the error its code
// means: Unavailable for 4xx (and anything unexpected), FailedPrecondition for 5xx.
Status Expect(const SmtpReply& reply, int expected, std::string_view step) {
  if (reply.code / 100 == expected) return OkStatus();
  const std::string what = std::string(step) + ": " + reply.Text();
  if (reply.code >= kPermanent) return FailedPreconditionError(what);
  return UnavailableError(what);
}

Status Step(TcpConnection& conn, const std::string& command, int expected, std::string_view step,
            SmtpReply* reply_out = nullptr) {
  RETURN_IF_ERROR(conn.WriteAll(command + "\r\n"));
  ASSIGN_OR_RETURN(SmtpReply reply, ReadReply(conn));
  RETURN_IF_ERROR(Expect(reply, expected, step));
  if (reply_out != nullptr) *reply_out = std::move(reply);
  return OkStatus();
}

bool Advertises(const SmtpReply& ehlo, std::string_view extension) {
  for (std::size_t i = 1; i < ehlo.lines.size(); ++i) {
    std::string word = ehlo.lines[i].substr(0, ehlo.lines[i].find(' '));
    for (char& c : word) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (word == extension) return true;
  }
  return false;
}

}  // namespace

std::string SmtpReply::Text() const {
  std::string text = std::to_string(code);
  for (const std::string& line : lines) {
    if (!line.empty()) text += " " + line;
  }
  return text;
}

bool ContinuesReply(std::string_view line) {
  return line.size() > static_cast<std::size_t>(kCodeDigits) && line[kCodeDigits] == '-';
}

StatusOr<SmtpReply> ParseReply(const std::vector<std::string>& lines) {
  if (lines.empty()) return InvalidArgumentError("an SMTP reply has at least one line");
  SmtpReply reply;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    if (line.size() < static_cast<std::size_t>(kCodeDigits) ||
        !std::isdigit(static_cast<unsigned char>(line[0])) ||
        !std::isdigit(static_cast<unsigned char>(line[1])) ||
        !std::isdigit(static_cast<unsigned char>(line[2]))) {
      return InvalidArgumentError("'" + line + "' does not start with a three-digit code");
    }
    const int code = std::stoi(line.substr(0, kCodeDigits));
    if (i > 0 && code != reply.code) return InvalidArgumentError("the reply's codes differ");
    reply.code = code;
    const bool last = i + 1 == lines.size();
    if (ContinuesReply(line) == last) {
      return InvalidArgumentError(last ? "the last line continues" : "a line does not continue");
    }
    reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
  }
  return reply;
}

StatusOr<std::string> FormatData(const EmailMessage& message, const SmtpSettings& settings) {
  std::string from = "<" + settings.from + ">";
  if (!settings.from_name.empty()) from = HeaderText(settings.from_name) + " " + from;
  std::string data =
      "From: " + from + "\r\nTo: <" + message.to + ">\r\nSubject: " + HeaderText(message.subject) +
      "\r\nDate: " + RfcDate(message.date) + "\r\nMessage-ID: " + message.message_id +
      "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
      "Content-Transfer-Encoding: 8bit\r\n\r\n";
  std::string_view body = message.body;
  while (!body.empty()) {
    const auto end = body.find('\n');
    std::string_view line = body.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > kMaxLine) {
      return InvalidArgumentError("has a line longer than 998 bytes", "body");
    }
    if (!line.empty() && line.front() == '.') data += '.';
    data.append(line);
    data += "\r\n";
    if (end == std::string_view::npos) break;
    body.remove_prefix(end + 1);
  }
  return data + ".\r\n";
}

std::string MessageIdFor(std::int64_t outbox_id, Instant created_at, std::string_view helo) {
  return "<tendon." + std::to_string(outbox_id) + "." + std::to_string(ToUnixMillis(created_at)) +
         "@" + std::string(helo) + ">";
}

StatusOr<SmtpClient> SmtpClient::Create(SmtpSettings settings) {
  std::optional<TlsContext> tls;
  if (settings.starttls) {
    ASSIGN_OR_RETURN(TlsContext context, TlsContext::Create(settings.ca_file));
    tls = std::move(context);
  }
  return SmtpClient(std::move(settings), std::move(tls));
}

Status SmtpClient::Send(const EmailMessage& message) const {
  ASSIGN_OR_RETURN(std::string data, FormatData(message, settings_));
  ASSIGN_OR_RETURN(TcpConnection conn,
                   TcpConnection::Connect(settings_.host, settings_.port, settings_.timeout));
  ASSIGN_OR_RETURN(SmtpReply greeting, ReadReply(conn));
  RETURN_IF_ERROR(Expect(greeting, 2, "greeting"));
  SmtpReply ehlo;
  RETURN_IF_ERROR(Step(conn, "EHLO " + settings_.helo, 2, "EHLO", &ehlo));
  if (tls_) {
    // Without it the message would cross the network in the clear: not sent, tried again later.
    if (!Advertises(ehlo, "STARTTLS")) {
      return UnavailableError("the relay does not offer STARTTLS, which the settings require");
    }
    RETURN_IF_ERROR(Step(conn, "STARTTLS", 2, "STARTTLS"));
    RETURN_IF_ERROR(conn.StartTls(*tls_, settings_.host));
    // What the relay said before TLS is forgotten (RFC 3207): ask again.
    RETURN_IF_ERROR(Step(conn, "EHLO " + settings_.helo, 2, "EHLO", &ehlo));
  }
  const std::string body_8bit = Advertises(ehlo, "8BITMIME") ? " BODY=8BITMIME" : "";
  RETURN_IF_ERROR(Step(conn, "MAIL FROM:<" + settings_.from + ">" + body_8bit, 2, "MAIL FROM"));
  RETURN_IF_ERROR(Step(conn, "RCPT TO:<" + message.to + ">", 2, "RCPT TO"));
  RETURN_IF_ERROR(Step(conn, "DATA", 3, "DATA"));
  RETURN_IF_ERROR(conn.WriteAll(data));
  ASSIGN_OR_RETURN(SmtpReply accepted, ReadReply(conn));
  RETURN_IF_ERROR(Expect(accepted, 2, "end of data"));
  // The relay has the message now; a failed QUIT changes nothing.
  (void)Step(conn, "QUIT", 2, "QUIT");
  return OkStatus();
}

}  // namespace tendon::notify
