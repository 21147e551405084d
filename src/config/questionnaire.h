// The wording of the MSK-HQ that a service is licensed to use. tendon ships the questionnaire's
// scoring and item topics only (core/questionnaire.h); the service provides the words in
// `mskhq.toml` in its folder, one [[item]] per item in the questionnaire's order:
//
//   source = "who licensed this wording, and its version"
//   introduction = "what the patient reads first"
//   [[item]]
//   topic = "pain_day"                # core's topic key, in order
//   question = "..."
//   options = ["...", "...", "...", "...", "..."]   # scoring 4, 3, 2, 1 and 0
//
// The demo service's file holds placeholder wording, as the tests do.
#ifndef TENDON_CONFIG_QUESTIONNAIRE_H_
#define TENDON_CONFIG_QUESTIONNAIRE_H_

#include <array>
#include <filesystem>
#include <string>
#include <string_view>

#include "core/questionnaire.h"
#include "core/status.h"

namespace tendon::config {

inline constexpr char kMskhqWordingFile[] = "mskhq.toml";

struct MskhqItemWording {
  std::string topic;  // core's MskhqTopic key.
  std::string question;
  // options[i] is the answer that scores kMskhqItemMax - i: the best first.
  std::array<std::string, kMskhqOptions> options;
};

struct MskhqWording {
  std::string source;
  std::string introduction;
  std::array<MskhqItemWording, kMskhqItems> items;
};

// Reads the wording; InvalidArgument "file:line: key: reason" for any fault (not 14 items, an
// item's topic out of order, not five options, an empty text, an unknown key).
StatusOr<MskhqWording> ParseMskhqWording(std::string_view text, std::string_view file);
// Loads `service_dir`/mskhq.toml; NotFound when the service provides none.
StatusOr<MskhqWording> LoadMskhqWording(const std::filesystem::path& service_dir);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_QUESTIONNAIRE_H_
