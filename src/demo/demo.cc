#include "demo/demo.h"

#include <algorithm>
#include <utility>

#include "scheduling/slots.h"

namespace tendon::demo {
namespace {

constexpr int kDaysPerWeekInt = 7;

Status WriteReferenceData(store::Store& store, const config::ServiceConfig& service,
                          const config::ClinicsConfig& clinics, const History& history) {
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (const Site& site : service.sites) RETURN_IF_ERROR(txn.PutSite(site));
    for (const Room& room : clinics.rooms) RETURN_IF_ERROR(txn.PutRoom(room));
    for (const Clinician& c : history.clinicians) RETURN_IF_ERROR(txn.PutClinician(c));
    if (clinics.clinicians.empty()) return OkStatus();  // The templates name the file's clinicians.
    for (const ClinicTemplate& t : clinics.templates) {
      Status put = txn.PutClinicTemplate(t);
      if (!put.ok()) return put.WithContext("clinic template " + t.id);
    }
    return OkStatus();
  });
}

// The forward diary: every template's slots from `until` for `weeks` weeks, in one transaction.
StatusOr<std::int64_t> WriteDiary(store::Store& store, const config::ClinicsConfig& clinics,
                                  const WorkingCalendar& calendar, Date until, int weeks) {
  if (clinics.clinicians.empty() || weeks == 0) return std::int64_t{0};
  const Date last = until + date::days(weeks * kDaysPerWeekInt - 1);
  std::vector<Slot> slots;
  for (const ClinicTemplate& t : clinics.templates) {
    StatusOr<std::vector<Slot>> made = scheduling::GenerateSlots(t, calendar, until, last);
    if (!made.ok()) return made.status().WithContext("clinic template " + t.id);
    slots.insert(slots.end(), made->begin(), made->end());
  }
  std::int64_t inserted = 0;
  RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(int n, txn.PutSlots(slots));
    inserted = n;
    return OkStatus();
  }));
  return inserted;
}

// Writes referrals [begin, end) and the patients they bring, moving their events into the store.
Status WriteBatch(store::Store& store, History& history, std::size_t begin, std::size_t end) {
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (std::size_t i = begin; i < end; ++i) {
      GeneratedReferral& g = history.referrals[i];
      if (g.new_patient) {
        Status inserted = txn.InsertPatient(history.patients[g.patient]);
        if (!inserted.ok()) return inserted.WithContext("patient of referral " + g.referral.id);
      }
      StatusOr<std::int64_t> created = txn.CreateReferral(g.referral, std::move(g.events));
      if (!created.ok()) return created.status().WithContext("referral " + g.referral.id);
    }
    return OkStatus();
  });
}

}  // namespace

StatusOr<DemoSummary> BuildDemo(store::Store& store, const config::ServiceConfig& service,
                                const config::ClinicsConfig& clinics, const DemoParameters& params,
                                const WorkingCalendar& calendar, const DemoOptions& options) {
  if (options.batch_referrals < 1) {
    return InvalidArgumentError("must be at least 1", "batch_referrals");
  }
  ASSIGN_OR_RETURN(History history, GenerateHistory(service, clinics, params, calendar, options));
  DemoSummary summary = Summarize(history, service, params);
  RETURN_IF_ERROR(WriteReferenceData(store, service, clinics, history));
  ASSIGN_OR_RETURN(summary.slots,
                   WriteDiary(store, clinics, calendar, options.until, params.forward_weeks));
  const auto batch = static_cast<std::size_t>(options.batch_referrals);
  for (std::size_t begin = 0; begin < history.referrals.size(); begin += batch) {
    const std::size_t end = std::min(history.referrals.size(), begin + batch);
    RETURN_IF_ERROR(WriteBatch(store, history, begin, end));
  }
  return summary;
}

}  // namespace tendon::demo
