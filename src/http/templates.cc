#include "http/templates.h"

#include <exception>
#include <fstream>
#include <iterator>
#include <kainjow/mustache.hpp>
#include <sstream>
#include <system_error>
#include <utility>

namespace tendon::http {
namespace {

namespace mustache = kainjow::mustache;

constexpr std::string_view kExtension = ".mustache";
constexpr std::string_view kLayout = "layout";

// Mustache has no "if the list is not empty" and no lookup by value, so every object in the
// context, at any depth, gains two derived members before rendering:
// - has_NAME, true when member NAME is a non-empty array, for {{#has_errors}}...{{/has_errors}};
// - field_errors, from errors [{field, message}]: an object from each field to its first
//   message, for the inline error beside each field, {{#field_errors.username}}.
// A member of the context with the same name wins over a derived one.
constexpr std::string_view kHasPrefix = "has_";

mustache::data ToData(const nlohmann::json& value);

mustache::data FieldErrors(const nlohmann::json& errors) {
  mustache::data out{mustache::data::type::object};
  for (const auto& error : errors) {
    if (!error.is_object()) continue;
    auto field = error.find("field");
    auto message = error.find("message");
    if (field == error.end() || !field->is_string() || field->get_ref<const std::string&>().empty())
      continue;
    const auto& name = field->get_ref<const std::string&>();
    if (out.get(name) != nullptr) continue;
    out.set(name, message != error.end() ? ToData(*message) : mustache::data(false));
  }
  return out;
}

mustache::data ObjectToData(const nlohmann::json& object) {
  mustache::data out{mustache::data::type::object};
  for (const auto& [name, member] : object.items()) {
    if (!member.is_array()) continue;
    out.set(std::string(kHasPrefix) + name, mustache::data(!member.empty()));
    if (name == "errors") out.set("field_errors", FieldErrors(member));
  }
  // Members are set last so that they replace any derived key of the same name.
  for (const auto& [name, member] : object.items()) out.set(name, ToData(member));
  return out;
}

// JSON to Mustache data. Numbers print as JSON does; null and "" are false, as in JavaScript's
// Mustache, so {{#value}}...{{/value}} skips an empty value.
mustache::data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object:
      return ObjectToData(value);
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(ToData(item));
      return list;
    }
    case nlohmann::json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      if (text.empty()) return mustache::data(false);
      return mustache::data(text);
    }
    case nlohmann::json::value_t::boolean:
      return mustache::data(value.get<bool>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return mustache::data(false);
    default:
      return mustache::data(value.dump());
  }
}

// Looks up {{> name}} among the loaded templates rather than in the data, so a partial's name can
// never collide with (or be supplied by) a context value.
class PageContext : public mustache::context<std::string> {
 public:
  PageContext(const mustache::data* data, const std::map<std::string, mustache::data>* partials)
      : mustache::context<std::string>(data), partials_(partials) {}

  const mustache::data* get_partial(const std::string& name) const override {
    auto it = partials_->find(name);
    return it == partials_->end() ? nullptr : &it->second;
  }

 private:
  const std::map<std::string, mustache::data>* partials_;
};

StatusOr<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read " + path.string());
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad()) return UnavailableError("error reading " + path.string());
  return text;
}

// Renders `source` (template `name`) with `data`; Internal naming the template on failure.
StatusOr<std::string> RenderOne(std::string_view name, const std::string& source,
                                const mustache::data& data,
                                const std::map<std::string, mustache::data>& partials) {
  mustache::mustache tmpl{source};
  if (!tmpl.is_valid()) {
    return InternalError("template " + std::string(name) + ": " + tmpl.error_message());
  }
  PageContext context(&data, &partials);
  std::ostringstream out;
  tmpl.render(context, out);
  if (!tmpl.is_valid()) {
    return InternalError("rendering " + std::string(name) + ": " + tmpl.error_message());
  }
  return out.str();
}

}  // namespace

StatusOr<std::unique_ptr<Templates>> Templates::Load(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return NotFoundError("template folder " + dir.string() + " does not exist", "web");
  }
  auto templates = std::unique_ptr<Templates>(new Templates());
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto& path = it->path();
    if (path.extension() != kExtension || !it->is_regular_file(ec)) continue;
    ASSIGN_OR_RETURN(std::string source, ReadFile(path));
    mustache::mustache parsed{source};
    if (!parsed.is_valid()) {
      return InvalidArgumentError(path.string() + ": " + parsed.error_message(), "template");
    }
    templates->sources_.emplace(path.stem().string(), std::move(source));
  }
  if (ec) return UnavailableError("cannot list " + dir.string() + ": " + ec.message());
  if (!templates->sources_.contains(kLayout)) {
    return NotFoundError((dir / "layout.mustache").string() + " is missing", "template");
  }
  return templates;
}

StatusOr<std::string> Templates::RenderPage(std::string_view name,
                                            const nlohmann::json& context) const {
  auto page = sources_.find(name);
  if (page == sources_.end() || name == kLayout) {
    return NotFoundError("no template named " + std::string(name), "template");
  }
  if (!context.is_object()) return InternalError("the context of a page must be a JSON object");
  try {
    // Partials are the loaded sources; building them per render keeps the class immutable, and
    // so thread-safe, at the cost of a few string copies.
    std::map<std::string, mustache::data> partials;
    for (const auto& [partial_name, source] : sources_) partials.emplace(partial_name, source);

    mustache::data data = ToData(context);
    ASSIGN_OR_RETURN(std::string content, RenderOne(name, page->second, data, partials));
    data.set("content", mustache::data(std::move(content)));
    return RenderOne(kLayout, sources_.find(kLayout)->second, data, partials);
  } catch (const std::exception& e) {
    return InternalError("rendering " + std::string(name) + ": " + e.what());
  }
}

}  // namespace tendon::http
