// The messages' wording: one plain-text template per kind of message, kept as data files in
// data/notifications/ (README.md there gives the format and the placeholders), and the renderer
// that fills a template's {{placeholders}}. A placeholder without a value is an error, never an
// empty gap in a message to a patient.
//
// A MessageTemplates is read-only once loaded and may be shared between threads.
#ifndef TENDON_NOTIFY_TEMPLATES_H_
#define TENDON_NOTIFY_TEMPLATES_H_

#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon::notify {

// Placeholder values by name.
using Fields = std::map<std::string, std::string, std::less<>>;

// `text` with every {{name}} replaced by fields[name] (spaces inside the braces allowed).
// InvalidArgument naming the placeholder when it has no value, and for a "{{" never closed or an
// empty or malformed name.
StatusOr<std::string> Render(std::string_view text, const Fields& fields);

// What one kind of message says: the subject and body of an email, and a text message.
struct MessageTemplate {
  std::string kind;     // "appointment.cancelled_by_service": the file's name without ".txt".
  std::string subject;  // One line.
  std::string sms;      // One line; kept short, since a text message is charged by length.
  std::string body;     // The email's body: plain text, lines of any length.
};

// A rendered message.
struct Rendered {
  std::string subject;
  std::string sms;
  std::string body;
};

class MessageTemplates {
 public:
  // Reads every *.txt file of `dir`. A file starts with optional "#" comment lines, then the
  // header lines "subject: ..." and "sms: ..." (both required, once each), a blank line and the
  // body. InvalidArgument "file:line: reason" for a malformed file or a malformed placeholder;
  // NotFound when `dir` does not exist or holds no template.
  static StatusOr<MessageTemplates> Load(const std::filesystem::path& dir);
  // Parses one file's text (Load's rules); `file` names it in errors.
  static StatusOr<MessageTemplate> Parse(std::string_view text, std::string_view kind,
                                         std::string_view file);

  // The template of `kind`'s message with `fields` filled in. NotFound (field "kind") when no
  // template has that kind; Render's errors otherwise.
  StatusOr<Rendered> Render(std::string_view kind, const Fields& fields) const;

  const std::map<std::string, MessageTemplate, std::less<>>& all() const { return templates_; }

 private:
  std::map<std::string, MessageTemplate, std::less<>> templates_;
};

}  // namespace tendon::notify

#endif  // TENDON_NOTIFY_TEMPLATES_H_
