#include "notify/templates.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <vector>

namespace tendon::notify {
namespace {

constexpr std::string_view kOpen = "{{";
constexpr std::string_view kClose = "}}";

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

Status FileError(std::string_view file, std::size_t line, const std::string& reason) {
  return InvalidArgumentError(std::string(file) + ":" + std::to_string(line) + ": " + reason);
}

// Checks `text`'s placeholders are well formed, by rendering it with every name given.
Status CheckPlaceholders(std::string_view text) {
  std::size_t at = 0;
  while ((at = text.find(kOpen, at)) != std::string_view::npos) {
    const auto close = text.find(kClose, at);
    if (close == std::string_view::npos) return InvalidArgumentError("a {{ is never closed");
    const std::string_view name = Trim(text.substr(at + kOpen.size(), close - at - kOpen.size()));
    if (!IsName(name)) {
      return InvalidArgumentError("'" + std::string(name) +
                                  "' is not a placeholder name (letters, digits and _)");
    }
    at = close + kClose.size();
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> Render(std::string_view text, const Fields& fields) {
  RETURN_IF_ERROR(CheckPlaceholders(text));
  std::string out;
  std::size_t at = 0;
  for (;;) {
    const auto open = text.find(kOpen, at);
    if (open == std::string_view::npos) break;
    const auto close = text.find(kClose, open);
    out.append(text.substr(at, open - at));
    const std::string_view name = Trim(text.substr(open + kOpen.size(), close - open - 2));
    const auto value = fields.find(name);
    if (value == fields.end()) {
      return InvalidArgumentError("has no value for the message", std::string(name));
    }
    out += value->second;
    at = close + kClose.size();
  }
  out.append(text.substr(at));
  return out;
}

StatusOr<MessageTemplate> MessageTemplates::Parse(std::string_view text, std::string_view kind,
                                                  std::string_view file) {
  MessageTemplate t;
  t.kind = std::string(kind);
  const std::vector<std::string_view> lines = Lines(text);
  std::size_t i = 0;
  while (i < lines.size() && !lines[i].empty() && lines[i].front() == '#') ++i;
  bool has_subject = false;
  bool has_sms = false;
  for (; i < lines.size() && !Trim(lines[i]).empty(); ++i) {
    const std::string_view line = lines[i];
    const auto colon = line.find(':');
    const std::string_view key = colon == std::string_view::npos ? line : line.substr(0, colon);
    const std::string value =
        colon == std::string_view::npos ? "" : std::string(Trim(line.substr(colon + 1)));
    bool& seen = key == "subject" ? has_subject : has_sms;
    if ((key != "subject" && key != "sms") || seen) {
      return FileError(file, i + 1,
                       "expected \"subject: ...\" and \"sms: ...\" once each, then a blank line");
    }
    if (value.empty()) return FileError(file, i + 1, std::string(key) + " is empty");
    if (Status s = CheckPlaceholders(value); !s.ok()) return FileError(file, i + 1, s.message());
    seen = true;
    (key == "subject" ? t.subject : t.sms) = value;
  }
  if (!has_subject || !has_sms) {
    return FileError(file, i + 1, has_subject ? "sms: is missing" : "subject: is missing");
  }
  const std::size_t body_line = i + 2;
  for (++i; i < lines.size(); ++i) t.body += std::string(lines[i]) + "\n";
  if (Trim(t.body).empty()) return FileError(file, body_line, "the body is empty");
  if (Status s = CheckPlaceholders(t.body); !s.ok()) return FileError(file, body_line, s.message());
  return t;
}

StatusOr<MessageTemplates> MessageTemplates::Load(const std::filesystem::path& dir) {
  std::error_code error;
  if (!std::filesystem::is_directory(dir, error)) {
    return NotFoundError(dir.string() + ": no such folder of message templates");
  }
  MessageTemplates loaded;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return UnavailableError(entry.path().string() + ": cannot read");
    const std::string kind = entry.path().stem().string();
    ASSIGN_OR_RETURN(MessageTemplate t, Parse(text.str(), kind, entry.path().string()));
    loaded.templates_.emplace(kind, std::move(t));
  }
  if (error) return UnavailableError(dir.string() + ": cannot list: " + error.message());
  if (loaded.templates_.empty()) return NotFoundError(dir.string() + ": no *.txt templates");
  return loaded;
}

StatusOr<Rendered> MessageTemplates::Render(std::string_view kind, const Fields& fields) const {
  const auto it = templates_.find(kind);
  if (it == templates_.end()) {
    return NotFoundError("no message template for '" + std::string(kind) + "'", "kind");
  }
  Rendered out;
  ASSIGN_OR_RETURN(out.subject, notify::Render(it->second.subject, fields));
  ASSIGN_OR_RETURN(out.sms, notify::Render(it->second.sms, fields));
  ASSIGN_OR_RETURN(out.body, notify::Render(it->second.body, fields));
  return out;
}

}  // namespace tendon::notify
