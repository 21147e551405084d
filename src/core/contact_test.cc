#include "core/contact.h"

#include <gtest/gtest.h>

namespace tendon {
namespace {

TEST(ContactTest, RecognisesUkMobileNumbersOnly) {
  for (const char* mobile : {"07700 900123", "07700900123", "+44 7700 900123", "(07700) 900-123"}) {
    EXPECT_TRUE(IsUkMobileNumber(mobile)) << mobile;
  }
  for (const char* other : {"01865 000000", "0770090012", "077009001234", "+33 7700 900123", "",
                            "07700 9001x3", "07700+900123", "+44 07700 900123"}) {
    EXPECT_FALSE(IsUkMobileNumber(other)) << other;
  }
}

TEST(ContactTest, RecognisesEmailAddressesThatCannotCarryAHeader) {
  EXPECT_TRUE(IsEmailAddress("patient@example.com"));
  EXPECT_TRUE(IsEmailAddress("first.last+tag@nhs.net"));
  for (const char* bad : {"", "patient", "@example.com", "patient@", "patient@example",
                          "a@b@example.com", "patient@example.com\r\nBcc: x@example.com",
                          "two words@example.com", "<patient@example.com>"}) {
    EXPECT_FALSE(IsEmailAddress(bad)) << bad;
  }
}

Patient WithContact(std::string phone, std::string email) {
  Patient p;
  p.key = "patient-1";
  p.phone = std::move(phone);
  p.email = std::move(email);
  return p;
}

TEST(ContactTest, EmailComesFirstThenAMobile) {
  auto both = AddressFor(WithContact("07700 900123", " patient@example.com "), std::nullopt);
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(both->channel, Channel::kEmail);
  EXPECT_EQ(both->recipient, "patient@example.com");
  auto mobile = AddressFor(WithContact("07700 900123", ""), std::nullopt);
  ASSERT_TRUE(mobile.ok());
  EXPECT_EQ(mobile->channel, Channel::kSms);
  EXPECT_EQ(mobile->recipient, "07700 900123");
}

TEST(ContactTest, APreferredChannelUsesOnlyItsOwnAddress) {
  auto sms = AddressFor(WithContact("07700 900123", "patient@example.com"), Channel::kSms);
  ASSERT_TRUE(sms.ok());
  EXPECT_EQ(sms->channel, Channel::kSms);
  EXPECT_EQ(AddressFor(WithContact("", "patient@example.com"), Channel::kSms).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(AddressFor(WithContact("07700 900123", ""), Channel::kEmail).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST(ContactTest, NoUsableAddressIsRefusedSayingWhatIsMissing) {
  auto none = AddressFor(WithContact("01865 000000", "not an address"), std::nullopt);
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.status().field(), "recipient");
  EXPECT_NE(none.status().message().find("mobile"), std::string::npos);
}

}  // namespace
}  // namespace tendon
