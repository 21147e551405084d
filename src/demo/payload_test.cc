#include "demo/payload.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "demo/random.h"

namespace tendon::demo::internal {
namespace {

TEST(PayloadTest, InstantsReadAsFormatInstantWritesThem) {
  Rng rng(11);
  for (int i = 0; i < 2000; ++i) {
    const Instant t = FromUnixMillis(static_cast<std::int64_t>(rng.Below(4'102'444'800'000ULL)));
    const Instant whole = date::floor<std::chrono::seconds>(t);
    for (Instant x : {t, whole}) {
      std::string out;
      AppendInstant(out, x);
      EXPECT_EQ(out, FormatInstant(x));
    }
  }
}

TEST(PayloadTest, WritesJsonObjects) {
  const Instant t = FromUnixMillis(1'780'000'000'000);
  const std::string text = Payload()
                               .Text("appointment_id", "ABC-1")
                               .Time("start", t)
                               .Number("score", -3)
                               .List("missing", "consent")
                               .Text("note", "a \"quoted\" \\ line\n")
                               .Take();
  const nlohmann::json json = nlohmann::json::parse(text);
  EXPECT_EQ(json["appointment_id"], "ABC-1");
  EXPECT_EQ(json["start"], FormatInstant(t));
  EXPECT_EQ(json["score"], -3);
  EXPECT_EQ(json["missing"], nlohmann::json::array({"consent"}));
  EXPECT_EQ(json["note"], "a \"quoted\" \\ line\n");
  EXPECT_EQ(Payload().Take(), "{}");
}

TEST(PayloadTest, ReadsBackItsOwnFields) {
  const std::string text =
      Payload().Text("id", "x-1").Text("appointment_id", "A-2").Number("score", 42).Take();
  EXPECT_EQ(PayloadText(text, "appointment_id"), "A-2");
  EXPECT_EQ(PayloadText(text, "id"), "x-1");
  EXPECT_EQ(PayloadText(text, "missing"), "");
  EXPECT_EQ(PayloadNumber(text, "score"), 42);
  EXPECT_EQ(PayloadNumber(text, "id"), std::nullopt);
}

}  // namespace
}  // namespace tendon::demo::internal
