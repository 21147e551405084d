// A small, strict CSV reader for tendon's reference data files (sites.csv, regions.csv, ...).
//
// The dialect is RFC 4180 with a required header row:
//   - fields are separated by commas; a field may be quoted with '"', and a quoted field may hold
//     commas, line breaks and doubled quotes ("" stands for one ");
//   - a quote inside an unquoted field, or anything but a comma or a line end after a closing
//   quote,
//     is refused;
//   - lines end in LF or CRLF; a UTF-8 byte order mark at the start is skipped; blank lines at the
//     end of the file are ignored, a blank line before the last row is refused;
//   - the header must equal the expected column names exactly, and every row must have exactly as
//     many fields as the header.
// Fields are not trimmed. Every error is an InvalidArgument whose message reads
// "file:line: column: reason" (the column part is left out when no single column is at fault), with
// `line` the 1-based line on which the offending row starts.
#ifndef TENDON_CONFIG_CSV_H_
#define TENDON_CONFIG_CSV_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace tendon::config {

// "file:line: column: reason" as an InvalidArgument (no field() set: the message says it all). The
// column part is left out when `column` is empty, and the line part when `line` is 0 (an error
// about the file as a whole, such as a missing key).
Status FileError(std::string_view file, int line, std::string_view column, std::string_view reason);

struct CsvRow {
  int line = 0;  // 1-based line on which the row starts.
  std::vector<std::string> fields;
};

// A parsed CSV file. Holds its own copy of the data; safe to move and to read from many threads.
class CsvFile {
 public:
  // Parses `text`; `file` is only used in error messages. Errors as described at the top.
  static StatusOr<CsvFile> Parse(std::string_view text, std::string file,
                                 std::vector<std::string> header);

  const std::string& file() const { return file_; }
  const std::vector<std::string>& header() const { return header_; }
  // The data rows, in file order, without the header.
  const std::vector<CsvRow>& rows() const { return rows_; }

  // An error about `column` of `row`: "file:line: column: reason".
  Status Error(const CsvRow& row, std::string_view column, std::string_view reason) const;

  // The field of `row` under `column`, which must be a header column (asserted: a programmer
  // error).
  const std::string& Field(const CsvRow& row, std::string_view column) const;

  // The field as non-empty text without leading or trailing spaces.
  StatusOr<std::string> Text(const CsvRow& row, std::string_view column) const;
  // The field as a whole number in int range, written in decimal digits with an optional leading
  // '-' and nothing else ("10x", " 10" and "1e1" are refused).
  StatusOr<int> Int(const CsvRow& row, std::string_view column) const;
  // The field as a finite decimal number ("51.75", "-1.2", "1e-3"); trailing characters, "inf" and
  // "nan" are refused.
  StatusOr<double> Double(const CsvRow& row, std::string_view column) const;

 private:
  CsvFile(std::string file, std::vector<std::string> header, std::vector<CsvRow> rows)
      : file_(std::move(file)), header_(std::move(header)), rows_(std::move(rows)) {}

  std::size_t ColumnIndex(std::string_view column) const;

  std::string file_;
  std::vector<std::string> header_;
  std::vector<CsvRow> rows_;
};

// An id of lower-case letters and digits in words joined by single hyphens, starting with a letter
// ("marcham-road", "clin-012").
bool IsKebabId(std::string_view id);

}  // namespace tendon::config

#endif  // TENDON_CONFIG_CSV_H_
