#include "core/questionnaire.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace tendon {
namespace {

TEST(MskhqTest, ScoresFourteenItemsFromZeroToFiftySix) {
  EXPECT_EQ(*ScoreMskhq(std::vector<int>(kMskhqItems, 0)), 0);
  EXPECT_EQ(*ScoreMskhq(std::vector<int>(kMskhqItems, kMskhqItemMax)), kMskhqMax);
  EXPECT_EQ(kMskhqMax, 56);
  std::vector<int> mixed{0, 1, 2, 3, 4, 4, 3, 2, 1, 0, 1, 2, 3, 4};
  EXPECT_EQ(*ScoreMskhq(mixed), 30);
}

TEST(MskhqTest, RefusesTheWrongNumberOfItemsNamingTheField) {
  StatusOr<int> short_one = ScoreMskhq(std::vector<int>(13, 2));
  ASSERT_FALSE(short_one.ok());
  EXPECT_EQ(short_one.status().field(), "items");
  EXPECT_NE(short_one.status().message().find("13"), std::string::npos);
  EXPECT_FALSE(ScoreMskhq(std::vector<int>(15, 2)).ok());
}

TEST(MskhqTest, RefusesAnItemOutsideZeroToFourNamingIt) {
  std::vector<int> items(kMskhqItems, 2);
  items[3] = 5;
  StatusOr<int> score = ScoreMskhq(items);
  ASSERT_FALSE(score.ok());
  EXPECT_EQ(score.status().field(), "items.3");
  items[3] = -1;
  EXPECT_EQ(ScoreMskhq(items).status().field(), "items.3");
}

TEST(MskhqTest, TopicsAreFourteenDistinctKeys) {
  std::set<std::string_view> keys;
  for (const MskhqTopic& topic : MskhqTopics()) {
    EXPECT_FALSE(topic.description.empty());
    keys.insert(topic.key);
  }
  EXPECT_EQ(keys.size(), static_cast<std::size_t>(kMskhqItems));
}

TEST(MskhqTest, TimepointsRoundTrip) {
  EXPECT_EQ(*ParseMskhqTimepoint("baseline"), MskhqTimepoint::kBaseline);
  EXPECT_EQ(ToString(MskhqTimepoint::kDischarge), "discharge");
  EXPECT_EQ(ParseMskhqTimepoint("later").status().field(), "timepoint");
}

TEST(FftTest, AnswersRoundTripWithTheirNhsWording) {
  EXPECT_EQ(*ParseFftAnswer("neither_good_nor_poor"), FftAnswer::kNeither);
  EXPECT_EQ(Label(FftAnswer::kDontKnow), "Don't know");
  EXPECT_EQ(Label(FftAnswer::kVeryPoor), "Very poor");
  EXPECT_TRUE(IsPositive(FftAnswer::kGood));
  EXPECT_FALSE(IsPositive(FftAnswer::kNeither));
  StatusOr<FftAnswer> bad = ParseFftAnswer("great");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "answer");
}

}  // namespace
}  // namespace tendon
