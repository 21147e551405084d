#include "config/questionnaire.h"

#include <vector>

#include "config/service.h"
#include "config/toml_reader.h"

namespace tendon::config {
namespace {

Status ReadItem(TomlReader& t, std::size_t index, MskhqItemWording& out) {
  RETURN_IF_ERROR(t.String("topic", out.topic));
  const std::string_view expected = MskhqTopics()[index].key;
  if (out.topic != expected) {
    return t.Error("topic", nullptr,
                   "item " + std::to_string(index + 1) + " must be '" + std::string(expected) +
                       "' (the MSK-HQ's order), not '" + out.topic + "'");
  }
  RETURN_IF_ERROR(t.String("question", out.question));
  std::vector<std::string> options;
  RETURN_IF_ERROR(t.Strings("options", options));
  if (options.size() != out.options.size()) {
    return t.Error("options", nullptr,
                   "has " + std::to_string(options.size()) + " answers; each item has " +
                       std::to_string(out.options.size()) + ", best first");
  }
  std::move(options.begin(), options.end(), out.options.begin());
  return t.Finish();
}

}  // namespace

StatusOr<MskhqWording> ParseMskhqWording(std::string_view text, std::string_view file) {
  ASSIGN_OR_RETURN(toml::table table, ParseToml(text, file));
  TomlReader root(table, file, "");
  MskhqWording wording;
  RETURN_IF_ERROR(root.String("source", wording.source));
  RETURN_IF_ERROR(root.String("introduction", wording.introduction));
  ASSIGN_OR_RETURN(std::vector<TomlReader> items, root.Tables("item"));
  if (items.size() != wording.items.size()) {
    return root.Error("item", nullptr,
                      "has " + std::to_string(items.size()) + " items; the MSK-HQ has " +
                          std::to_string(wording.items.size()));
  }
  for (std::size_t i = 0; i < items.size(); ++i) {
    RETURN_IF_ERROR(ReadItem(items[i], i, wording.items[i]));
  }
  RETURN_IF_ERROR(root.Finish());
  return wording;
}

StatusOr<MskhqWording> LoadMskhqWording(const std::filesystem::path& service_dir) {
  const std::filesystem::path path = service_dir / kMskhqWordingFile;
  ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  return ParseMskhqWording(text, path.string());
}

}  // namespace tendon::config
