#include "workflow/reminders.h"

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "core/london_time.h"
#include "workflow/booking.h"
#include "workflow/internal.h"

namespace tendon::workflow {
namespace {

using json = nlohmann::json;

// How many of a patient's messages are read to find a reminder already queued.
constexpr int kOutboxLookBack = 1000;
constexpr int kReminderWorkingDays = 2;

// The appointments of `patient_key` that have a reminder queued.
StatusOr<std::set<std::string>> Reminded(store::Store& store, const std::string& patient_key) {
  store::OutboxQuery query;
  query.patient_key = patient_key;
  query.limit = kOutboxLookBack;
  ASSIGN_OR_RETURN(std::vector<Notification> messages, store.ListNotifications(query));
  std::set<std::string> reminded;
  for (const Notification& m : messages) {
    if (m.kind != kNoticeReminder) continue;
    const json payload = json::parse(m.payload, nullptr, /*allow_exceptions=*/false);
    if (payload.is_object() && payload.contains("appointment_id")) {
      reminded.insert(payload["appointment_id"].get<std::string>());
    }
  }
  return reminded;
}

}  // namespace

StatusOr<int> QueueReminders(const Env& env, Instant now) {
  const Date until_day = env.calendar.AddWorkingDays(LondonDate(now), kReminderWorkingDays);
  ASSIGN_OR_RETURN(Instant until, FromLondon(until_day + date::days(1), std::chrono::minutes(0)));
  ASSIGN_OR_RETURN(std::vector<Appointment> coming,
                   env.store.ListAppointmentsBetween(now, until, ""));
  int queued = 0;
  for (const Appointment& seen : coming) {
    if (seen.status != AppointmentStatus::kBooked) continue;
    ASSIGN_OR_RETURN(std::set<std::string> reminded, Reminded(env.store, seen.patient_key));
    if (reminded.contains(seen.id)) continue;
    bool still_booked = false;
    RETURN_IF_ERROR(env.store.Write([&](store::WriteTxn& txn) -> Status {
      ASSIGN_OR_RETURN(Appointment appointment, txn.GetAppointment(seen.id));
      still_booked = appointment.status == AppointmentStatus::kBooked;
      if (!still_booked) return OkStatus();
      ASSIGN_OR_RETURN(Slot slot, txn.GetSlot(appointment.slot_id));
      return internal::QueueNotice(txn, kNoticeReminder, appointment.patient_key,
                                   appointment.referral_id,
                                   internal::NoticePayload(appointment, slot), now);
    }));
    if (still_booked) ++queued;
  }
  return queued;
}

}  // namespace tendon::workflow
