// Server-rendered pages from Mustache templates kept in files (web/templates/), never in C++
// strings.
//
// A page is rendered in two steps: the page's own template (`name`.mustache) with the context, then
// the layout (layout.mustache) with the same context plus {{{content}}}, the rendered page.
// Templates may use partials ({{> error_summary}}) from the same folder. The context is JSON;
// Mustache escapes every {{value}}, so only {{{content}}} is unescaped.
//
// The layout expects, in the context (the app fills them; see app.cc):
//   service_name, page_title, signed_in (bool), user {display_name, role_label},
//   nav [{href, label, current (bool)}], csrf_token, and errors [{field, message}] for the error
//   summary on forms.
// Rendering adds, beside each JSON object's members: has_NAME (true when member NAME is a non-empty
// array) and, from `errors`, field_errors (each field's first message, for inline errors). Empty
// strings and null are false in sections.
#ifndef TENDON_HTTP_TEMPLATES_H_
#define TENDON_HTTP_TEMPLATES_H_

#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tendon::http {

class Templates {
 public:
  // Loads every *.mustache file in `dir`. InvalidArgument naming the file when one does not parse;
  // NotFound when the folder or layout.mustache is missing.
  static StatusOr<std::unique_ptr<Templates>> Load(const std::filesystem::path& dir);

  // Renders page `name` inside the layout. NotFound for an unknown page; Internal when rendering
  // fails. Thread-safe.
  StatusOr<std::string> RenderPage(std::string_view name, const nlohmann::json& context) const;

 private:
  Templates() = default;
  std::map<std::string, std::string, std::less<>> sources_;  // Template name -> text.
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_TEMPLATES_H_
