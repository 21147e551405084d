#include "config/portal.h"

#include <algorithm>

#include "config/csv.h"
#include "config/service.h"
#include "config/toml_reader.h"

namespace tendon::config {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxWindowDays = 366;
constexpr int kMaxMinPatients = 10'000;

// The line of the value at `path` in `root`, for errors about a value already read.
const toml::node* NodeAt(const toml::table& root, const std::string& path) {
  return root.at_path(path).node();
}

// Refuses a placeholder that the portal does not fill, or a brace left open.
Status CheckPlaceholders(const TomlReader& reader, const toml::table& root, std::string_view key,
                         const std::string& text) {
  for (std::size_t open = text.find('{'); open != std::string::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    const toml::node* node = NodeAt(root, reader.PathOf(key));
    if (close == std::string::npos) return reader.Error(key, node, "a '{' is never closed");
    const std::string name = text.substr(open + 1, close - open - 1);
    if (std::find(std::begin(kPlaceholders), std::end(kPlaceholders), name) ==
        std::end(kPlaceholders)) {
      return reader.Error(key, node, "{" + name + "} is not a placeholder the portal fills");
    }
  }
  return OkStatus();
}

StatusOr<toml::table> ParseFile(const fs::path& path) {
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseToml(text, path.string());
}

StatusOr<EventWording> ReadEvent(TomlReader& reader, const toml::table& root) {
  EventWording wording;
  std::string type;
  RETURN_IF_ERROR(reader.String("type", type));
  auto parsed = ParseEventType(type, "type");
  if (!parsed.ok()) {
    return reader.Error("type", NodeAt(root, reader.PathOf("type")), parsed.status().message());
  }
  wording.type = *parsed;
  if (reader.Has("when")) {
    ASSIGN_OR_RETURN(TomlReader when, reader.Table("when"));
    for (std::string_view name : when.Keys()) {
      std::string value;
      RETURN_IF_ERROR(when.String(name, value));
      wording.when.emplace_back(std::string(name), value);
    }
    RETURN_IF_ERROR(when.Finish());
  }
  RETURN_IF_ERROR(reader.String("title", wording.title));
  RETURN_IF_ERROR(reader.String("text", wording.text));
  RETURN_IF_ERROR(CheckPlaceholders(reader, root, "title", wording.title));
  RETURN_IF_ERROR(CheckPlaceholders(reader, root, "text", wording.text));
  RETURN_IF_ERROR(reader.Finish());
  return wording;
}

// Every event type needs a wording that applies whatever its payload says.
Status CheckEveryEventTold(const std::vector<EventWording>& events, const std::string& file) {
  for (int i = 0; i <= static_cast<int>(EventType::kReferralClosed); ++i) {
    const auto type = static_cast<EventType>(i);
    const bool told = std::any_of(events.begin(), events.end(), [&](const EventWording& e) {
      return e.type == type && e.when.empty();
    });
    if (!told) {
      return FileError(file, 0, "event",
                       "no [[event]] without `when` tells " + std::string(ToString(type)));
    }
  }
  return OkStatus();
}

Status ReadStates(TomlReader& root_reader, const toml::table& root, const std::string& file,
                  PortalContent& content) {
  ASSIGN_OR_RETURN(std::vector<TomlReader> states, root_reader.Tables("state"));
  for (TomlReader& reader : states) {
    std::string name;
    RETURN_IF_ERROR(reader.String("state", name));
    auto state = ParseReferralState(name, "state");
    if (!state.ok()) {
      return reader.Error("state", NodeAt(root, reader.PathOf("state")), state.status().message());
    }
    StateWording wording;
    RETURN_IF_ERROR(reader.String("now", wording.now));
    RETURN_IF_ERROR(reader.String("next", wording.next));
    RETURN_IF_ERROR(reader.Finish());
    if (!content.states.emplace(*state, std::move(wording)).second) {
      return reader.Error("state", NodeAt(root, reader.PathOf("state")), name + " is told twice");
    }
  }
  for (int i = 0; i <= static_cast<int>(ReferralState::kOnwardReferred); ++i) {
    const auto state = static_cast<ReferralState>(i);
    if (!content.states.contains(state)) {
      return FileError(file, 0, "state", "no [[state]] tells " + std::string(ToString(state)));
    }
  }
  return OkStatus();
}

Status LoadTimeline(const fs::path& path, PortalContent& content) {
  ASSIGN_OR_RETURN(toml::table root, ParseFile(path));
  const std::string file = path.string();
  TomlReader reader(root, file, "");
  ASSIGN_OR_RETURN(TomlReader wait, reader.Table("wait"));
  RETURN_IF_ERROR(wait.Int("window_days", 1, kMaxWindowDays, content.wait.window_days));
  RETURN_IF_ERROR(wait.Int("min_patients", 1, kMaxMinPatients, content.wait.min_patients));
  RETURN_IF_ERROR(wait.Finish());
  ASSIGN_OR_RETURN(TomlReader prepare, reader.Table("prepare"));
  for (Modality m : {Modality::kFaceToFace, Modality::kVideo, Modality::kTelephone}) {
    RETURN_IF_ERROR(prepare.String(ToString(m), content.prepare[m]));
  }
  RETURN_IF_ERROR(prepare.Finish());
  ASSIGN_OR_RETURN(std::vector<TomlReader> events, reader.Tables("event"));
  for (TomlReader& event : events) {
    ASSIGN_OR_RETURN(EventWording wording, ReadEvent(event, root));
    content.events.push_back(std::move(wording));
  }
  RETURN_IF_ERROR(CheckEveryEventTold(content.events, file));
  RETURN_IF_ERROR(ReadStates(reader, root, file, content));
  return reader.Finish();
}

Status LoadAudit(const fs::path& path, PortalContent& content) {
  ASSIGN_OR_RETURN(toml::table root, ParseFile(path));
  const std::string file = path.string();
  TomlReader reader(root, file, "");
  ASSIGN_OR_RETURN(std::vector<TomlReader> actions, reader.Tables("action"));
  for (TomlReader& action : actions) {
    AuditWording wording;
    RETURN_IF_ERROR(action.String("prefix", wording.prefix));
    RETURN_IF_ERROR(action.String("text", wording.text));
    RETURN_IF_ERROR(action.Finish());
    content.audit.push_back(std::move(wording));
  }
  return reader.Finish();
}

StatusOr<Advice> LoadAdvice(const fs::path& path) {
  ASSIGN_OR_RETURN(toml::table root, ParseFile(path));
  const std::string file = path.string();
  TomlReader reader(root, file, "");
  Advice advice;
  RETURN_IF_ERROR(reader.String("title", advice.title));
  RETURN_IF_ERROR(reader.String("about", advice.about));
  RETURN_IF_ERROR(reader.Strings("self_care", advice.self_care));
  RETURN_IF_ERROR(reader.Strings("waiting_well", advice.waiting_well));
  RETURN_IF_ERROR(reader.Strings("get_help", advice.get_help));
  RETURN_IF_ERROR(reader.Finish());
  return advice;
}

}  // namespace

StatusOr<PortalContent> LoadPortalContent(const fs::path& dir) {
  PortalContent content;
  RETURN_IF_ERROR(LoadTimeline(dir / "timeline.toml", content));
  RETURN_IF_ERROR(LoadAudit(dir / "audit.toml", content));
  ASSIGN_OR_RETURN(content.general, LoadAdvice(dir / "advice" / "general.toml"));
  for (int i = 0; i <= static_cast<int>(ServiceLine::kPainManagement); ++i) {
    const auto line = static_cast<ServiceLine>(i);
    ASSIGN_OR_RETURN(content.advice[line],
                     LoadAdvice(dir / "advice" / (std::string(ToString(line)) + ".toml")));
  }
  return content;
}

}  // namespace tendon::config
