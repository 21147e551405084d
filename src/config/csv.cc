#include "config/csv.h"

#include <algorithm>
#include <cassert>
#include <cctype>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

namespace tendon::config {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

// Splits CSV text into records, one at a time, keeping count of lines for error messages.
class RecordReader {
 public:
  RecordReader(std::string_view text, std::string_view file) : text_(text), file_(file) {}

  // True when nothing but line breaks is left.
  bool AtEnd() const { return text_.find_first_not_of("\r\n", pos_) == std::string_view::npos; }

  // Reads the record at the current position. `columns` name the fields in error messages.
  StatusOr<CsvRow> Next(const std::vector<std::string>& columns);

 private:
  // At "\n", "\r\n", or a "\r" that ends the text.
  bool AtLineEnd() const {
    if (pos_ >= text_.size()) return false;
    if (text_[pos_] == '\n') return true;
    return text_[pos_] == '\r' && (pos_ + 1 == text_.size() || text_[pos_ + 1] == '\n');
  }
  bool AtFieldEnd() const { return pos_ >= text_.size() || text_[pos_] == ',' || AtLineEnd(); }
  void SkipLineEnd() {
    pos_ = std::min(pos_ + (text_[pos_] == '\r' ? 2 : 1), text_.size());
    ++line_;
  }
  StatusOr<std::string> ReadPlain(int row_line, std::string_view column);
  StatusOr<std::string> ReadQuoted(int row_line, std::string_view column);

  std::string_view text_;
  std::string_view file_;
  std::size_t pos_ = 0;
  int line_ = 1;
};

std::string ColumnName(const std::vector<std::string>& columns, std::size_t index) {
  if (index < columns.size()) return columns[index];
  return "column " + std::to_string(index + 1);
}

StatusOr<CsvRow> RecordReader::Next(const std::vector<std::string>& columns) {
  CsvRow row;
  row.line = line_;
  if (AtLineEnd()) {
    return FileError(file_, line_, "", "blank line; only the end of the file may have blank lines");
  }
  for (std::size_t index = 0;; ++index) {
    const std::string column = ColumnName(columns, index);
    StatusOr<std::string> field = pos_ < text_.size() && text_[pos_] == '"'
                                      ? ReadQuoted(row.line, column)
                                      : ReadPlain(row.line, column);
    if (!field.ok()) return field.status();
    row.fields.push_back(std::move(field).value());
    if (pos_ < text_.size() && text_[pos_] == ',') {
      ++pos_;
      continue;
    }
    if (AtLineEnd()) SkipLineEnd();
    return row;
  }
}

StatusOr<std::string> RecordReader::ReadPlain(int row_line, std::string_view column) {
  const std::size_t start = pos_;
  for (; !AtFieldEnd(); ++pos_) {
    if (text_[pos_] == '"') {
      return FileError(file_, row_line, column,
                       "a quote inside an unquoted field; quote the whole field and double the "
                       "quotes inside it");
    }
  }
  return std::string(text_.substr(start, pos_ - start));
}

StatusOr<std::string> RecordReader::ReadQuoted(int row_line, std::string_view column) {
  std::string value;
  ++pos_;  // The opening quote.
  for (;;) {
    if (pos_ >= text_.size()) {
      return FileError(file_, row_line, column,
                       "unterminated quoted field: no closing quote before the end of the file");
    }
    const char c = text_[pos_++];
    if (c == '"') {
      if (pos_ < text_.size() && text_[pos_] == '"') {
        value += '"';
        ++pos_;
        continue;
      }
      break;
    }
    if (c == '\n') ++line_;
    value += c;
  }
  if (!AtFieldEnd()) {
    return FileError(file_, row_line, column,
                     "unexpected text after the closing quote; a comma or the end of the line "
                     "must follow it");
  }
  return value;
}

Status CheckWidth(std::string_view file, const std::vector<std::string>& header,
                  const CsvRow& row) {
  const std::size_t found = row.fields.size();
  const std::string counts = "the row has " + std::to_string(found) + " fields, the header " +
                             std::to_string(header.size());
  if (found < header.size()) return FileError(file, row.line, header[found], "missing; " + counts);
  if (found > header.size()) {
    return FileError(file, row.line, "", counts + " (is a field with a comma not quoted?)");
  }
  return OkStatus();
}

}  // namespace

Status FileError(std::string_view file, int line, std::string_view column,
                 std::string_view reason) {
  std::string message(file);
  if (line > 0) message += ":" + std::to_string(line);
  message += ": ";
  if (!column.empty()) {
    message += column;
    message += ": ";
  }
  message += reason;
  return InvalidArgumentError(std::move(message));
}

StatusOr<CsvFile> CsvFile::Parse(std::string_view text, std::string file,
                                 std::vector<std::string> header) {
  if (text.starts_with(kUtf8Bom)) text.remove_prefix(kUtf8Bom.size());
  RecordReader reader(text, file);
  if (reader.AtEnd()) {
    return FileError(file, 1, "header", "the file is empty; expected " + Quoted(Join(header)));
  }
  ASSIGN_OR_RETURN(CsvRow head, reader.Next({}));
  if (head.fields != header) {
    return FileError(file, head.line, "header",
                     "expected " + Quoted(Join(header)) + ", found " + Quoted(Join(head.fields)));
  }
  std::vector<CsvRow> rows;
  while (!reader.AtEnd()) {
    ASSIGN_OR_RETURN(CsvRow row, reader.Next(header));
    RETURN_IF_ERROR(CheckWidth(file, header, row));
    rows.push_back(std::move(row));
  }
  return CsvFile(std::move(file), std::move(header), std::move(rows));
}

Status CsvFile::Error(const CsvRow& row, std::string_view column, std::string_view reason) const {
  return FileError(file_, row.line, column, reason);
}

std::size_t CsvFile::ColumnIndex(std::string_view column) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == column) return i;
  }
  assert(false && "CsvFile: asked for a column that is not in the header");
  return 0;
}

const std::string& CsvFile::Field(const CsvRow& row, std::string_view column) const {
  return row.fields[ColumnIndex(column)];
}

StatusOr<std::string> CsvFile::Text(const CsvRow& row, std::string_view column) const {
  const std::string& text = Field(row, column);
  if (text.empty()) return Error(row, column, "must not be empty");
  if (std::isspace(static_cast<unsigned char>(text.front())) ||
      std::isspace(static_cast<unsigned char>(text.back()))) {
    return Error(row, column, Quoted(text) + " must not start or end with a space");
  }
  return text;
}

StatusOr<int> CsvFile::Int(const CsvRow& row, std::string_view column) const {
  const std::string& text = Field(row, column);
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error == std::errc::result_out_of_range) {
    return Error(row, column, Quoted(text) + " is too large");
  }
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return Error(row, column, Quoted(text) + " is not a whole number");
  }
  return value;
}

StatusOr<double> CsvFile::Double(const CsvRow& row, std::string_view column) const {
  const std::string& text = Field(row, column);
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() ||
      !std::isfinite(value)) {
    return Error(row, column, Quoted(text) + " is not a number");
  }
  return value;
}

// Lower-case letters and digits in words joined by single hyphens, starting with a letter.
bool IsKebabId(std::string_view id) {
  if (id.empty() || id.front() < 'a' || id.front() > 'z' || id.back() == '-') return false;
  char previous = '\0';
  for (char c : id) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum && !(c == '-' && previous != '-')) return false;
    previous = c;
  }
  return true;
}

}  // namespace tendon::config
