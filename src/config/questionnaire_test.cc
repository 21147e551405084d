#include "config/questionnaire.h"

#include <gtest/gtest.h>

#include <string>

#include "core/source_dir_for_tests.h"

namespace tendon::config {
namespace {

// A file of `items` items in the MSK-HQ's topic order, each with `options` options.
std::string Wording(std::size_t items, std::size_t options) {
  std::string text = "source = \"test placeholder\"\nintroduction = \"Answer these.\"\n";
  for (std::size_t i = 0; i < items; ++i) {
    text += "[[item]]\ntopic = \"" + std::string(MskhqTopics()[i % kMskhqItems].key) +
            "\"\nquestion = \"Placeholder question " + std::to_string(i + 1) + "\"\noptions = [";
    for (std::size_t o = 0; o < options; ++o)
      text += (o ? ", \"" : "\"") + std::to_string(o) + "\"";
    text += "]\n";
  }
  return text;
}

TEST(MskhqWordingTest, ReadsFourteenItemsOfFiveOptionsBestFirst) {
  StatusOr<MskhqWording> wording = ParseMskhqWording(Wording(kMskhqItems, kMskhqOptions), "w");
  ASSERT_TRUE(wording.ok()) << wording.status().ToString();
  EXPECT_EQ(wording->items[0].topic, "pain_day");
  EXPECT_EQ(wording->items[13].question, "Placeholder question 14");
  EXPECT_EQ(wording->items[13].options[0], "0");
  EXPECT_EQ(wording->items[13].options[4], "4");
}

TEST(MskhqWordingTest, RefusesTheWrongNumberOfItemsOrOptions) {
  StatusOr<MskhqWording> thirteen = ParseMskhqWording(Wording(13, kMskhqOptions), "w.toml");
  ASSERT_FALSE(thirteen.ok());
  EXPECT_NE(thirteen.status().message().find("13 items"), std::string::npos);
  StatusOr<MskhqWording> four = ParseMskhqWording(Wording(kMskhqItems, 4), "w.toml");
  ASSERT_FALSE(four.ok());
  EXPECT_NE(four.status().message().find("item[1].options: has 4 answers"), std::string::npos)
      << four.status().message();
}

TEST(MskhqWordingTest, RefusesItemsOutOfTheQuestionnairesOrder) {
  std::string text = Wording(kMskhqItems, kMskhqOptions);
  const std::size_t walking = text.find("\"walking\"");
  text.replace(walking, 9, "\"sleep\"");
  StatusOr<MskhqWording> wording = ParseMskhqWording(text, "w.toml");
  ASSERT_FALSE(wording.ok());
  EXPECT_NE(wording.status().message().find("item 3 must be 'walking'"), std::string::npos)
      << wording.status().message();
}

TEST(MskhqWordingTest, TheDemoServiceShipsPlaceholderWordingThatLoads) {
  StatusOr<MskhqWording> wording =
      LoadMskhqWording(SourceDirForTests() / "data/services/oxfordshire");
  ASSERT_TRUE(wording.ok()) << wording.status().ToString();
  EXPECT_NE(wording->source.find("Placeholder"), std::string::npos);
  EXPECT_EQ(wording->items[12].topic, "confidence");
}

TEST(MskhqWordingTest, AServiceWithoutWordingIsNotFound) {
  EXPECT_EQ(LoadMskhqWording(SourceDirForTests() / "data/rules").status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace tendon::config
