#include "core/records.h"

#include <array>

#include "core/enum_names.h"

namespace tendon {
namespace {

constexpr std::array<EnumName<Sex>, 4> kSexNames{{
    {Sex::kFemale, "female"},
    {Sex::kMale, "male"},
    {Sex::kIndeterminate, "indeterminate"},
    {Sex::kNotKnown, "not_known"},
}};

constexpr std::array<EnumName<Role>, kRoleCount> kRoleNames{{
    {Role::kPatient, "patient"},
    {Role::kReferrer, "referrer"},
    {Role::kTriageClinician, "triage_clinician"},
    {Role::kTreatingClinician, "treating_clinician"},
    {Role::kCoordinator, "coordinator"},
    {Role::kCommissioner, "commissioner"},
    {Role::kAdministrator, "administrator"},
}};

constexpr std::array<EnumName<Role>, kRoleCount> kRoleLabels{{
    {Role::kPatient, "Patient"},
    {Role::kReferrer, "Referrer"},
    {Role::kTriageClinician, "Triage clinician"},
    {Role::kTreatingClinician, "Treating clinician"},
    {Role::kCoordinator, "Booking coordinator"},
    {Role::kCommissioner, "Commissioner"},
    {Role::kAdministrator, "Administrator"},
}};

constexpr std::array<EnumName<LinkKind>, 2> kLinkKindNames{{
    {LinkKind::kLinked, "linked"},
    {LinkKind::kMerged, "merged"},
}};

constexpr std::array<EnumName<NotificationStatus>, 4> kNotificationStatusNames{{
    {NotificationStatus::kQueued, "queued"},
    {NotificationStatus::kSending, "sending"},
    {NotificationStatus::kSent, "sent"},
    {NotificationStatus::kFailed, "failed"},
}};

constexpr std::array<EnumName<Channel>, 2> kChannelNames{{
    {Channel::kEmail, "email"},
    {Channel::kSms, "sms"},
}};

}  // namespace

std::string_view ToString(NotificationStatus status) {
  return NameIn(kNotificationStatusNames, status);
}
StatusOr<NotificationStatus> ParseNotificationStatus(std::string_view name,
                                                     std::string_view field) {
  return ParseIn(kNotificationStatusNames, name, field, "notification status");
}

std::string_view ToString(Channel channel) { return NameIn(kChannelNames, channel); }
StatusOr<Channel> ParseChannel(std::string_view name, std::string_view field) {
  return ParseIn(kChannelNames, name, field, "channel");
}

std::string_view ToString(LinkKind kind) { return NameIn(kLinkKindNames, kind); }
StatusOr<LinkKind> ParseLinkKind(std::string_view name, std::string_view field) {
  return ParseIn(kLinkKindNames, name, field, "link kind");
}

std::string_view ToString(Role role) { return NameIn(kRoleNames, role); }
std::string_view RoleLabel(Role role) { return NameIn(kRoleLabels, role); }
StatusOr<Role> ParseRole(std::string_view name, std::string_view field) {
  return ParseIn(kRoleNames, name, field, "role");
}

std::string_view ToString(Sex sex) { return NameIn(kSexNames, sex); }

StatusOr<Sex> ParseSex(std::string_view name, std::string_view field) {
  return ParseIn(kSexNames, name, field, "sex");
}

}  // namespace tendon
