// Working-day arithmetic for England and Wales: Monday to Friday, less bank holidays (DESIGN.md,
// "Time"). The bank holidays come from a data file, so a proclamation that adds or moves a day
// needs a new file, not a new build.
//
// A WorkingCalendar is immutable once built: its const methods are safe to call from several
// threads.
#ifndef TENDON_CORE_WORKING_DAYS_H_
#define TENDON_CORE_WORKING_DAYS_H_

#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace tendon {

class WorkingCalendar {
 public:
  // Parses CSV text with the header "date,name,status" (status "published" or "projected"), such as
  // data/bank-holidays-england-wales.csv. A name holding a comma is quoted ("a, b"; "" for a quote
  // inside); a quoted field cannot span lines. Blank lines are ignored, and so is a UTF-8 byte
  // order mark. Refused, with InvalidArgument whose message names `file`, the line and the field
  // ("file:7: date: '2026-02-30' is not a real calendar date"): a header other than exactly
  // date,name,status; a line without exactly three fields; a date that is not a real YYYY-MM-DD,
  // falls on a weekend (substitute days are listed instead) or is listed twice; an empty name;
  // another status. Also refused: a file with no bank holidays, or none in a year between its first
  // and last (a cut file).
  static StatusOr<WorkingCalendar> Parse(std::string_view csv_text, std::string_view file);

  // A calendar with the given bank holidays (any order, duplicates ignored), for tests.
  explicit WorkingCalendar(std::vector<Date> bank_holidays = {});

  bool IsBankHoliday(Date d) const;
  // Monday to Friday and not a bank holiday.
  bool IsWorkingDay(Date d) const;
  // The working day `n` working days after `d` (n > 0), or before it (n < 0); `d` itself need not
  // be a working day (Saturday plus 1 is Monday, Saturday minus 1 is Friday). With n == 0, `d`
  // itself when it is a working day, else the next working day. Walks the calendar: O(|n|) days.
  Date AddWorkingDays(Date d, int n) const;
  // The number of working days in (from, to]: 0 when to <= from. Friday to the next Monday is 1.
  // For n > 0, WorkingDaysBetween(d, AddWorkingDays(d, n)) == n. Does not walk the calendar: it
  // counts weekdays arithmetically, then subtracts the bank holidays in the span.
  int WorkingDaysBetween(Date from, Date to) const;

  // True when `d` is in a year from the first to the last year of the bank holiday list. Dates
  // outside those years are reasoned about as if they had no bank holidays, so callers that care
  // check Covers(). A calendar with no bank holidays covers no date.
  bool Covers(Date d) const;

 private:
  std::vector<Date> holidays_;  // Sorted, unique.
  int first_year_ = 0;
  int last_year_ = -1;
};

}  // namespace tendon

#endif  // TENDON_CORE_WORKING_DAYS_H_
