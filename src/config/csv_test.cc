#include "config/csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace tendon::config {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::vector<std::string> kHeader = {"id", "name", "rooms"};

struct GoodCase {
  std::string label;
  std::string text;
  std::vector<std::vector<std::string>> rows;
  std::vector<int> lines;
};

TEST(CsvFileTest, ParsesTheDialect) {
  const std::vector<GoodCase> cases = {
      {"plain", "id,name,rooms\na,A,1\nb,B,2\n", {{"a", "A", "1"}, {"b", "B", "2"}}, {2, 3}},
      {"no final newline", "id,name,rooms\na,A,1", {{"a", "A", "1"}}, {2}},
      {"quoted comma",
       "id,name,rooms\na,\"Marcham Road, Abingdon\",1\n",
       {{"a", "Marcham Road, Abingdon", "1"}},
       {2}},
      {"doubled quotes",
       "id,name,rooms\na,\"The \"\"Hub\"\"\",1\n",
       {{"a", "The \"Hub\"", "1"}},
       {2}},
      {"empty quoted", "id,name,rooms\na,\"\",1\n", {{"a", "", "1"}}, {2}},
      {"empty fields", "id,name,rooms\n,,\n", {{"", "", ""}}, {2}},
      {"crlf", "id,name,rooms\r\na,A,1\r\nb,B,2\r\n", {{"a", "A", "1"}, {"b", "B", "2"}}, {2, 3}},
      {"trailing blank lines", "id,name,rooms\na,A,1\n\n\r\n", {{"a", "A", "1"}}, {2}},
      {"final lone carriage return", "id,name,rooms\na,A,1\r", {{"a", "A", "1"}}, {2}},
      {"byte order mark", "\xEF\xBB\xBFid,name,rooms\na,A,1\n", {{"a", "A", "1"}}, {2}},
      {"line break in quotes",
       "id,name,rooms\na,\"two\nlines\",1\nb,B,2\n",
       {{"a", "two\nlines", "1"}, {"b", "B", "2"}},
       {2, 4}},
      {"header only", "id,name,rooms\n", {}, {}},
  };
  for (const GoodCase& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<CsvFile> csv = CsvFile::Parse(c.text, "t.csv", kHeader);
    ASSERT_TRUE(csv.ok()) << csv.status().ToString();
    ASSERT_EQ(csv->rows().size(), c.rows.size());
    for (std::size_t i = 0; i < c.rows.size(); ++i) {
      EXPECT_EQ(csv->rows()[i].fields, c.rows[i]);
      EXPECT_EQ(csv->rows()[i].line, c.lines[i]);
    }
  }
}

struct BadCase {
  std::string label;
  std::string text;
  std::string message;  // The whole expected message.
};

TEST(CsvFileTest, RefusesMalformedFilesNamingFileLineAndColumn) {
  const std::vector<BadCase> cases = {
      {"empty file", "", "t.csv:1: header: the file is empty; expected 'id,name,rooms'"},
      {"wrong header", "id,title,rooms\na,A,1\n",
       "t.csv:1: header: expected 'id,name,rooms', found 'id,title,rooms'"},
      {"header case", "ID,name,rooms\n",
       "t.csv:1: header: expected 'id,name,rooms', found "
       "'ID,name,rooms'"},
      {"extra header column", "id,name,rooms,x\n",
       "t.csv:1: header: expected 'id,name,rooms', found 'id,name,rooms,x'"},
      {"missing column", "id,name,rooms\na,A,1\nb,B\n",
       "t.csv:3: rooms: missing; the row has 2 fields, the header 3"},
      {"extra column", "id,name,rooms\na,Marcham Road, Abingdon,1\n",
       "t.csv:2: the row has 4 fields, the header 3 (is a field with a comma not quoted?)"},
      {"unterminated quote", "id,name,rooms\na,A,1\nb,\"B,2\nc,C,3\n",
       "t.csv:3: name: unterminated quoted field: no closing quote before the end of the file"},
      {"quote inside plain field", "id,name,rooms\na,The \"Hub\",1\n",
       "t.csv:2: name: a quote inside an unquoted field; quote the whole field and double the "
       "quotes inside it"},
      {"text after closing quote", "id,name,rooms\na,\"Hub\" x,1\n",
       "t.csv:2: name: unexpected text after the closing quote; a comma or the end of the line "
       "must follow it"},
      {"blank line inside", "id,name,rooms\na,A,1\n\nb,B,2\n",
       "t.csv:3: blank line; only the end of the file may have blank lines"},
      {"line count after quoted line break", "id,name,rooms\na,\"x\ny\",1\nb,B\n",
       "t.csv:4: rooms: missing; the row has 2 fields, the header 3"},
  };
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.label);
    StatusOr<CsvFile> csv = CsvFile::Parse(c.text, "t.csv", kHeader);
    ASSERT_FALSE(csv.ok());
    EXPECT_EQ(csv.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(csv.status().message(), c.message);
  }
}

CsvFile OneRow(const std::string& rooms) {
  StatusOr<CsvFile> csv = CsvFile::Parse("id,name,rooms\na,A," + rooms + "\n", "t.csv", kHeader);
  EXPECT_TRUE(csv.ok()) << csv.status().ToString();
  return std::move(csv).value();
}

TEST(CsvFileTest, ReadsWholeNumbersStrictly) {
  struct Case {
    std::string text;
    bool ok;
    int value;
  };
  const std::vector<Case> cases = {
      {"10", true, 10},  {"-3", true, -3},  {"0", true, 0},    {"10x", false, 0},
      {" 10", false, 0}, {"10 ", false, 0}, {"+1", false, 0},  {"", false, 0},
      {"1e1", false, 0}, {"1.5", false, 0}, {"ten", false, 0}, {"99999999999", false, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const CsvFile csv = OneRow("\"" + c.text + "\"");
    StatusOr<int> value = csv.Int(csv.rows()[0], "rooms");
    ASSERT_EQ(value.ok(), c.ok);
    if (c.ok) {
      EXPECT_EQ(*value, c.value);
    } else {
      EXPECT_EQ(value.status().message(),
                "t.csv:2: rooms: '" + c.text +
                    (c.text == "99999999999" ? "' is too large" : "' is not a whole number"));
    }
  }
}

TEST(CsvFileTest, ReadsNumbersStrictly) {
  struct Case {
    std::string text;
    bool ok;
    double value;
  };
  const std::vector<Case> cases = {
      {"51.75", true, 51.75}, {"-1.258", true, -1.258}, {"1e-3", true, 0.001}, {"7", true, 7},
      {"51.7x", false, 0},    {"", false, 0},           {"nan", false, 0},     {"inf", false, 0},
      {" 1", false, 0},       {"1,5", false, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const CsvFile csv = OneRow("\"" + c.text + "\"");
    StatusOr<double> value = csv.Double(csv.rows()[0], "rooms");
    ASSERT_EQ(value.ok(), c.ok);
    if (c.ok) {
      EXPECT_DOUBLE_EQ(*value, c.value);
    } else {
      EXPECT_EQ(value.status().message(), "t.csv:2: rooms: '" + c.text + "' is not a number");
    }
  }
}

TEST(CsvFileTest, TextMustBeNonEmptyAndTrimmed) {
  const CsvFile csv = OneRow("1");
  EXPECT_EQ(*csv.Text(csv.rows()[0], "name"), "A");
  for (const std::string bad : {"\"\"", "\" A\"", "\"A \""}) {
    StatusOr<CsvFile> parsed = CsvFile::Parse("id,name,rooms\na," + bad + ",1\n", "t.csv", kHeader);
    ASSERT_TRUE(parsed.ok());
    StatusOr<std::string> text = parsed->Text(parsed->rows()[0], "name");
    EXPECT_FALSE(text.ok()) << bad;
    EXPECT_THAT(text.status().message(), HasSubstr("t.csv:2: name: "));
  }
}

TEST(CsvFileTest, FileErrorLeavesOutEmptyParts) {
  EXPECT_EQ(FileError("f.csv", 3, "rooms", "bad").message(), "f.csv:3: rooms: bad");
  EXPECT_EQ(FileError("f.csv", 3, "", "bad").message(), "f.csv:3: bad");
  EXPECT_EQ(FileError("f.toml", 0, "name", "missing").message(), "f.toml: name: missing");
  EXPECT_EQ(FileError("f.csv", 3, "", "bad").code(), StatusCode::kInvalidArgument);
}

TEST(CsvFileTest, FieldsAreReadByColumnName) {
  const CsvFile csv = OneRow("4");
  EXPECT_THAT(csv.header(), ElementsAre("id", "name", "rooms"));
  EXPECT_EQ(csv.Field(csv.rows()[0], "id"), "a");
  EXPECT_EQ(*csv.Int(csv.rows()[0], "rooms"), 4);
  EXPECT_EQ(csv.file(), "t.csv");
}

}  // namespace
}  // namespace tendon::config
