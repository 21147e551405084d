// Clinic time for the demo history: London wall-clock times on working days, and delays counted in
// working days. Internal to the demo module.
#ifndef TENDON_DEMO_WORK_CLOCK_H_
#define TENDON_DEMO_WORK_CLOCK_H_

#include "core/time.h"
#include "core/working_days.h"

namespace tendon::demo::internal {

class WorkClock {
 public:
  // Working hours are [open_hour, close_hour) London time on the working days of `calendar`, which
  // must outlive the clock.
  WorkClock(const WorkingCalendar& calendar, int open_hour, int close_hour);

  const WorkingCalendar& calendar() const { return calendar_; }
  int open_minute() const { return open_minute_; }
  int close_minute() const { return close_minute_; }

  // The instant of London wall-clock time `minute` (past midnight) on `d`. Times in the
  // spring-forward gap, which no caller asks for, fall back to the same wall time in UTC.
  Instant At(Date d, int minute) const;
  // `working_days` of working time after `t`: a fraction is that part of the opening hours, and a
  // `t` outside working hours counts from the next opening.
  Instant AddWorking(Instant t, double working_days) const;
  // `d` when it is a working day, else the nearer of the working days before and after it (the
  // later one on a tie).
  Date NearestWorkingDay(Date d) const;
  // The first working day after `d`.
  Date NextWorkingDay(Date d) const { return calendar_.AddWorkingDays(d, 1); }

 private:
  const WorkingCalendar& calendar_;
  int open_minute_;
  int close_minute_;
};

}  // namespace tendon::demo::internal

#endif  // TENDON_DEMO_WORK_CLOCK_H_
