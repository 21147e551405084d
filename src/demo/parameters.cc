#include "demo/parameters.h"

#include <array>
#include <string>

#include "config/csv.h"
#include "config/service.h"
#include "config/toml_reader.h"
#include "core/enum_names.h"

namespace tendon::demo {
namespace {

using config::TomlReader;

constexpr double kMaxReferralsPerMonth = 10'000'000;
constexpr double kMaxWeight = 1'000;
constexpr double kMaxWorkingDays = 250;
constexpr double kMaxHours = 24 * 365;
constexpr double kMaxWeeks = 104;
constexpr double kMaxShape = 100;
constexpr double kMaxCount = 100;
constexpr double kMaxDays = 365;
constexpr int kHoursPerDay = 24;
constexpr int kMinutesPerHour = 60;
constexpr int kMaxAge = 110;
constexpr int kMaxMonths = 120;
constexpr int kMaxTeam = 10'000;
constexpr int kMaxRuleVersion = 1'000'000;
constexpr double kMskhqMax = 56;
constexpr int kMaxOverflowWorkingDays = 60;

constexpr std::array<EnumName<Modality>, kModalities> kModalityNames{{
    {Modality::kFaceToFace, "face_to_face"},
    {Modality::kVideo, "video"},
    {Modality::kTelephone, "telephone"},
}};

constexpr std::array<std::string_view, kPriorities> kPriorityKeys{"emergency", "urgent", "post_op",
                                                                  "routine"};
constexpr std::array<std::string_view, kTiers> kTierKeys{"tier1", "tier2"};
constexpr std::array<std::string_view, kPhysiolineOutcomes> kPhysiolineKeys{
    "discharge", "physiotherapy", "onward"};
constexpr std::array<std::string_view, kDestinations> kDestinationKeys{
    "orthopaedics", "rheumatology", "pain", "paediatrics", "diagnostics"};

template <typename E, std::size_t N>
std::array<std::string_view, N> NamesOf(const std::array<EnumName<E>, N>& table) {
  std::array<std::string_view, N> names{};
  for (std::size_t i = 0; i < N; ++i) names[i] = table[i].name;
  return names;
}

Status ReadHistory(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("history"));
  RETURN_IF_ERROR(t.Number("referrals_per_month", 1, kMaxReferralsPerMonth, p.referrals_per_month));
  RETURN_IF_ERROR(t.Number("repeat_patient_share", 0, 1, p.repeat_patient_share));
  return t.Finish();
}

Status ReadSource(TomlReader& t, SourceParameters& s) {
  RETURN_IF_ERROR(t.Number("share", 0, 1, s.share));
  RETURN_IF_ERROR(t.Numbers("weekday_weights", s.weekday_weights, 0, kMaxWeight));
  RETURN_IF_ERROR(t.Number("bank_holiday_weight", 0, kMaxWeight, s.bank_holiday_weight));
  RETURN_IF_ERROR(t.Int("received_from_hour", 0, kHoursPerDay - 1, s.received_from_hour));
  RETURN_IF_ERROR(
      t.Int("received_to_hour", s.received_from_hour + 1, kHoursPerDay, s.received_to_hour));
  RETURN_IF_ERROR(t.Shares("priority", kPriorityKeys, s.priority_shares));
  RETURN_IF_ERROR(t.Number("return_share", 0, 1, s.return_share));
  RETURN_IF_ERROR(t.Number("tier2_share", 0, 1, s.tier2_share));
  if (s.source == ReferralSource::kSelf && s.tier2_share > 0) {
    return t.Error("tier2_share", nullptr, "must be 0: self-referrals go to tier 1 only");
  }
  return t.Finish();
}

Status ReadSources(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("sources"));
  std::vector<double> shares;
  for (std::string_view key : t.Keys()) {
    StatusOr<ReferralSource> source = ParseReferralSource(key);
    if (!source.ok() || *source == ReferralSource::kTransfer) {
      return t.Error(key, nullptr, "not a referral source; expected gp, self, fcp or hospital");
    }
    ASSIGN_OR_RETURN(TomlReader sub, t.Table(key));
    SourceParameters s;
    s.source = *source;
    RETURN_IF_ERROR(ReadSource(sub, s));
    shares.push_back(s.share);
    p.sources.push_back(s);
  }
  if (p.sources.empty()) return root.Error("sources", nullptr, "must name at least one source");
  RETURN_IF_ERROR(root.SumsToOne("sources", shares));
  return t.Finish();
}

Status ReadAgeBands(TomlReader& t, DemoParameters& p) {
  ASSIGN_OR_RETURN(std::vector<TomlReader> bands, t.Tables("age_bands"));
  std::vector<double> shares;
  for (TomlReader& b : bands) {
    AgeBand band;
    RETURN_IF_ERROR(b.Int("from_age", 0, kMaxAge, band.from_age));
    RETURN_IF_ERROR(b.Int("to_age", band.from_age, kMaxAge, band.to_age));
    RETURN_IF_ERROR(b.Number("share", 0, 1, band.share));
    RETURN_IF_ERROR(b.Finish());
    shares.push_back(band.share);
    p.age_bands.push_back(band);
  }
  return t.SumsToOne("age_bands", shares);
}

Status ReadPatients(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("patients"));
  RETURN_IF_ERROR(t.Number("female_share", 0, 1, p.female_share));
  RETURN_IF_ERROR(t.Number("dissent_share", 0, 1, p.dissent_share));
  RETURN_IF_ERROR(t.Number("nearest_site_share", 0, 1, p.nearest_site_share));
  RETURN_IF_ERROR(t.String("gp_practice_prefix", p.gp_practice_prefix));
  RETURN_IF_ERROR(t.Int("gp_practices_per_district", 1, kMaxTeam, p.gp_practices_per_district));
  RETURN_IF_ERROR(ReadAgeBands(t, p));
  return t.Finish();
}

Status ReadReturns(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("returns"));
  RETURN_IF_ERROR(
      t.Number("return_after_working_days", 0, kMaxWorkingDays, p.return_after_working_days));
  RETURN_IF_ERROR(t.Number("resubmit_share", 0, 1, p.resubmit_share));
  RETURN_IF_ERROR(
      t.Number("resubmit_after_working_days", 0, kMaxWorkingDays, p.resubmit_after_working_days));
  RETURN_IF_ERROR(t.Int("resubmit_deadline_working_days", 1, static_cast<int>(kMaxWorkingDays),
                        p.resubmit_deadline_working_days));
  RETURN_IF_ERROR(t.Strings("missing_items", p.missing_items));
  return t.Finish();
}

Status ReadTriage(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("triage"));
  RETURN_IF_ERROR(
      t.Named("mean_working_days", kPriorityKeys, p.triage_mean_working_days, 0, kMaxWorkingDays));
  RETURN_IF_ERROR(t.Named("due_hours", kPriorityKeys, p.triage_due_hours, 0, kMaxHours));
  RETURN_IF_ERROR(
      t.Number("received_due_working_days", 0, kMaxWorkingDays, p.received_due_working_days));
  RETURN_IF_ERROR(t.Number("advice_share", 0, 1, p.triage_advice_share));
  RETURN_IF_ERROR(t.Number("onward_share", 0, 1, p.triage_onward_share));
  if (p.triage_advice_share + p.triage_onward_share > 1) {
    return t.Error("onward_share", nullptr, "advice_share and onward_share add up to more than 1");
  }
  RETURN_IF_ERROR(t.Named("redflag_share", kPriorityKeys, p.redflag_shares, 0, 1));
  RETURN_IF_ERROR(t.Strings("redflag_rules", p.redflag_rules));
  RETURN_IF_ERROR(t.Int("redflag_rule_version", 1, kMaxRuleVersion, p.redflag_rule_version));
  return t.Finish();
}

Status ReadTiers(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("tiers"));
  RETURN_IF_ERROR(t.Number("physioline_share", 0, 1, p.physioline_share));
  std::vector<std::string_view> names;
  std::vector<ServiceLine> lines;
  for (std::size_t i = 0; i < kServiceLines; ++i) {
    const auto line = static_cast<ServiceLine>(i);
    if (TierOf(line) != Tier::kTier2) continue;
    names.push_back(ToString(line));
    lines.push_back(line);
  }
  std::vector<double> shares(names.size());
  RETURN_IF_ERROR(t.Shares("tier2_lines", names, shares));
  for (std::size_t i = 0; i < lines.size(); ++i) {
    p.tier2_line_shares[static_cast<std::size_t>(lines[i])] = shares[i];
  }
  return t.Finish();
}

Status ReadWait(TomlReader& parent, std::string_view key, WaitParameters& w) {
  ASSIGN_OR_RETURN(TomlReader t, parent.Table(key));
  RETURN_IF_ERROR(t.Number("mean_weeks", 0, kMaxWeeks, w.mean_weeks));
  RETURN_IF_ERROR(t.Number("shape", 0.1, kMaxShape, w.shape));
  RETURN_IF_ERROR(
      t.Int("min_working_days", 0, static_cast<int>(kMaxWorkingDays), w.min_working_days));
  return t.Finish();
}

Status ReadWaits(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("waits"));
  for (std::size_t i = 0; i < kTiers; ++i) RETURN_IF_ERROR(ReadWait(t, kTierKeys[i], p.waits[i]));
  RETURN_IF_ERROR(
      t.Named("priority_factor", kPriorityKeys, p.wait_priority_factor, 0.01, kMaxWeight));
  RETURN_IF_ERROR(
      t.Number("booking_mean_working_days", 0, kMaxWorkingDays, p.booking_mean_working_days));
  RETURN_IF_ERROR(
      t.Number("booking_due_working_days", 0, kMaxWorkingDays, p.booking_due_working_days));
  RETURN_IF_ERROR(
      t.Number("rebook_mean_working_days", 0, kMaxWorkingDays, p.rebook_mean_working_days));
  return t.Finish();
}

Status ReadClinicTimes(TomlReader& t, DemoParameters& p) {
  RETURN_IF_ERROR(t.Int("open_hour", 0, kHoursPerDay - 1, p.open_hour));
  RETURN_IF_ERROR(t.Int("close_hour", p.open_hour + 1, kHoursPerDay, p.close_hour));
  const int day = (p.close_hour - p.open_hour) * kMinutesPerHour;
  RETURN_IF_ERROR(t.Int("first_minutes", 1, day, p.first_minutes));
  RETURN_IF_ERROR(t.Int("follow_up_minutes", 1, day, p.follow_up_minutes));
  return t.Int("physioline_minutes", 1, day, p.physioline_minutes);
}

Status ReadAppointments(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("appointments"));
  RETURN_IF_ERROR(ReadClinicTimes(t, p));
  RETURN_IF_ERROR(t.Shares("modality", NamesOf(kModalityNames), p.modality_shares));
  RETURN_IF_ERROR(t.Number("dna_share", 0, 1, p.dna_share));
  RETURN_IF_ERROR(t.Number("dna_discharge_share", 0, 1, p.dna_discharge_share));
  RETURN_IF_ERROR(t.Number("patient_cancel_share", 0, 1, p.patient_cancel_share));
  RETURN_IF_ERROR(t.Number("service_cancel_share", 0, 1, p.service_cancel_share));
  if (p.dna_share + p.patient_cancel_share + p.service_cancel_share > 1) {
    return t.Error("service_cancel_share", nullptr,
                   "dna_share and the two cancel shares add up to more than 1");
  }
  RETURN_IF_ERROR(t.Strings("patient_cancel_reasons", p.patient_cancel_reasons));
  RETURN_IF_ERROR(t.Strings("service_cancel_reasons", p.service_cancel_reasons));
  RETURN_IF_ERROR(t.Number("withdraw_share", 0, 1, p.withdraw_share));
  return t.Finish();
}

Status ReadTreatment(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("treatment"));
  RETURN_IF_ERROR(t.Shares("physioline_outcome", kPhysiolineKeys, p.physioline_outcome_shares));
  RETURN_IF_ERROR(t.Named("follow_ups_mean", kTierKeys, p.follow_ups_mean, 0, kMaxCount));
  RETURN_IF_ERROR(
      t.Named("follow_up_interval_days", kTierKeys, p.follow_up_interval_days, 1, kMaxDays));
  RETURN_IF_ERROR(t.Number("follow_up_interval_shape", 0.1, kMaxShape, p.follow_up_interval_shape));
  RETURN_IF_ERROR(t.Named("onward_share", kTierKeys, p.onward_share, 0, 1));
  RETURN_IF_ERROR(t.Shares("onward_destinations", kDestinationKeys, p.onward_destination_shares));
  RETURN_IF_ERROR(
      t.Number("review_due_working_days", 0, kMaxWorkingDays, p.review_due_working_days));
  return t.Finish();
}

Status ReadDischarge(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("discharge"));
  RETURN_IF_ERROR(t.Number("pifu_share", 0, 1, p.pifu_share));
  RETURN_IF_ERROR(t.Int("pifu_window_months", 1, kMaxMonths, p.pifu_window_months));
  RETURN_IF_ERROR(t.Number("pifu_request_share", 0, 1, p.pifu_request_share));
  RETURN_IF_ERROR(
      t.Number("pifu_response_working_days", 0, kMaxWorkingDays, p.pifu_response_working_days));
  RETURN_IF_ERROR(t.Number("close_due_working_days", 0, kMaxWorkingDays, p.close_due_working_days));
  return t.Finish();
}

Status ReadMskhq(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("mskhq"));
  RETURN_IF_ERROR(t.Number("baseline_completion", 0, 1, p.mskhq_baseline_completion));
  RETURN_IF_ERROR(t.Number("discharge_completion", 0, 1, p.mskhq_discharge_completion));
  RETURN_IF_ERROR(t.Number("baseline_mean", 0, kMskhqMax, p.mskhq_baseline_mean));
  RETURN_IF_ERROR(t.Number("baseline_sd", 0, kMskhqMax, p.mskhq_baseline_sd));
  RETURN_IF_ERROR(t.Number("change_mean", -kMskhqMax, kMskhqMax, p.mskhq_change_mean));
  RETURN_IF_ERROR(t.Number("change_sd", 0, kMskhqMax, p.mskhq_change_sd));
  RETURN_IF_ERROR(t.Number("significant_change", 0, kMskhqMax, p.mskhq_significant_change));
  return t.Finish();
}

std::array<std::string_view, kFftAnswers> FftNames() {
  std::array<std::string_view, kFftAnswers> names{};
  for (std::size_t i = 0; i < kFftAnswers; ++i) names[i] = ToString(static_cast<FftAnswer>(i));
  return names;
}

Status ReadFft(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("fft"));
  RETURN_IF_ERROR(t.Number("response_share", 0, 1, p.fft_response_share));
  RETURN_IF_ERROR(t.Shares("answers", FftNames(), p.fft_answer_shares));
  return t.Finish();
}

Status ReadClinicians(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("clinicians"));
  RETURN_IF_ERROR(
      t.Number("clinic_days_per_clinician", 0.5, kMaxCount, p.clinic_days_per_clinician));
  RETURN_IF_ERROR(t.Number("tier2_day_share", 0, 1, p.tier2_day_share));
  RETURN_IF_ERROR(t.Int("triage_team", 1, kMaxTeam, p.triage_team));
  RETURN_IF_ERROR(t.Int("physioline_team", 1, kMaxTeam, p.physioline_team));
  RETURN_IF_ERROR(t.String("hub_site", p.hub_site));
  return t.Finish();
}

Status ReadDiary(TomlReader& root, DemoParameters& p) {
  ASSIGN_OR_RETURN(TomlReader t, root.Table("diary"));
  RETURN_IF_ERROR(t.Int("forward_weeks", 0, kMaxForwardWeeks, p.forward_weeks));
  RETURN_IF_ERROR(t.Int("overflow_after_working_days", 0, kMaxOverflowWorkingDays,
                        p.overflow_after_working_days));
  return t.Finish();
}

}  // namespace

StatusOr<DemoParameters> ParseDemoParameters(std::string_view text, const std::string& file) {
  ASSIGN_OR_RETURN(toml::table table, config::ParseToml(text, file));
  TomlReader root(table, file, "");
  DemoParameters p;
  for (auto read : {ReadHistory, ReadSources, ReadPatients, ReadReturns, ReadTriage, ReadTiers,
                    ReadWaits, ReadAppointments, ReadTreatment, ReadDischarge, ReadMskhq, ReadFft,
                    ReadClinicians, ReadDiary}) {
    RETURN_IF_ERROR(read(root, p));
  }
  RETURN_IF_ERROR(root.Finish());
  return p;
}

StatusOr<DemoParameters> LoadDemoParameters(const std::filesystem::path& path) {
  ASSIGN_OR_RETURN(std::string text, config::ReadTextFile(path));
  return ParseDemoParameters(text, path.string());
}

}  // namespace tendon::demo
