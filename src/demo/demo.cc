#include "demo/demo.h"

#include <algorithm>
#include <utility>
#include <vector>

namespace tendon::demo {
namespace {

Status WriteReferenceData(store::Store& store, const config::ServiceConfig& service,
                          const config::ClinicsConfig& clinics, const History& history) {
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (const Site& site : service.sites) RETURN_IF_ERROR(txn.PutSite(site));
    for (const Room& room : clinics.rooms) RETURN_IF_ERROR(txn.PutRoom(room));
    for (const Clinician& c : history.clinicians) RETURN_IF_ERROR(txn.PutClinician(c));
    std::vector<const ClinicTemplate*> templates;
    // The rota's templates name the file's clinicians, absent from a synthetic roster.
    if (!clinics.clinicians.empty()) {
      for (const ClinicTemplate& t : clinics.templates) templates.push_back(&t);
    }
    for (const ClinicTemplate& t : history.overflow_templates) templates.push_back(&t);
    for (const ClinicTemplate* t : templates) {
      Status put = txn.PutClinicTemplate(*t);
      if (!put.ok()) return put.WithContext("clinic template " + t->id);
    }
    return OkStatus();
  });
}

// The diary's slots, past and forward, in one transaction.
StatusOr<std::int64_t> WriteSlots(store::Store& store, const History& history) {
  std::int64_t inserted = 0;
  RETURN_IF_ERROR(store.Write([&](store::WriteTxn& txn) -> Status {
    ASSIGN_OR_RETURN(int n, txn.PutSlots(history.slots));
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

// Every appointment, in one transaction, in the order of their ids, which is their slots' order
// (Diary::AppointmentId) and the order the slots were written in: the slots' rows and the store's
// indexes by appointment and slot id are then written from end to end, which costs far less than
// scattered writes referral by referral.
Status WriteAppointments(store::Store& store, const History& history) {
  std::vector<const Appointment*> all;
  for (const GeneratedReferral& g : history.referrals) {
    for (const Appointment& a : g.appointments) all.push_back(&a);
  }
  std::sort(all.begin(), all.end(),
            [](const Appointment* a, const Appointment* b) { return a->id < b->id; });
  return store.Write([&](store::WriteTxn& txn) -> Status {
    for (const Appointment* a : all) {
      Status inserted = txn.InsertAppointment(*a);
      if (!inserted.ok()) return inserted.WithContext("appointment " + a->id);
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
  ASSIGN_OR_RETURN(summary.slots, WriteSlots(store, history));
  const auto batch = static_cast<std::size_t>(options.batch_referrals);
  for (std::size_t begin = 0; begin < history.referrals.size(); begin += batch) {
    const std::size_t end = std::min(history.referrals.size(), begin + batch);
    RETURN_IF_ERROR(WriteBatch(store, history, begin, end));
  }
  RETURN_IF_ERROR(WriteAppointments(store, history));
  return summary;
}

}  // namespace tendon::demo
