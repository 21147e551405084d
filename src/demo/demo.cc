#include "demo/demo.h"

#include <algorithm>
#include <utility>

namespace tendon::demo {
namespace {

Status WriteReferenceData(store::Store& store, const config::ServiceConfig& service,
                          const History& history) {
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (const Site& site : service.sites) RETURN_IF_ERROR(txn.PutSite(site));
    for (const Clinician& c : history.clinicians) RETURN_IF_ERROR(txn.PutClinician(c));
    return OkStatus();
  });
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
                                const DemoParameters& params, const WorkingCalendar& calendar,
                                const DemoOptions& options) {
  if (options.batch_referrals < 1) {
    return InvalidArgumentError("must be at least 1", "batch_referrals");
  }
  ASSIGN_OR_RETURN(History history, GenerateHistory(service, params, calendar, options));
  DemoSummary summary = Summarize(history, service, params);
  RETURN_IF_ERROR(WriteReferenceData(store, service, history));
  const auto batch = static_cast<std::size_t>(options.batch_referrals);
  for (std::size_t begin = 0; begin < history.referrals.size(); begin += batch) {
    const std::size_t end = std::min(history.referrals.size(), begin + batch);
    RETURN_IF_ERROR(WriteBatch(store, history, begin, end));
  }
  return summary;
}

}  // namespace tendon::demo
