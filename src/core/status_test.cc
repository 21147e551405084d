#include "core/status.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace tendon {
namespace {

struct CodeCase {
  std::function<Status(std::string)> make;
  StatusCode code;
  std::string_view name;
};

TEST(StatusTest, FactoriesGiveTheirCodeAndName) {
  const std::vector<CodeCase> cases = {
      {[](std::string m) { return InvalidArgumentError(std::move(m)); },
       StatusCode::kInvalidArgument, "InvalidArgument"},
      {[](std::string m) { return NotFoundError(std::move(m)); }, StatusCode::kNotFound,
       "NotFound"},
      {[](std::string m) { return AlreadyExistsError(std::move(m)); }, StatusCode::kAlreadyExists,
       "AlreadyExists"},
      {[](std::string m) { return FailedPreconditionError(std::move(m)); },
       StatusCode::kFailedPrecondition, "FailedPrecondition"},
      {[](std::string m) { return AbortedError(std::move(m)); }, StatusCode::kAborted, "Aborted"},
      {[](std::string m) { return UnavailableError(std::move(m)); }, StatusCode::kUnavailable,
       "Unavailable"},
      {[](std::string m) { return InternalError(std::move(m)); }, StatusCode::kInternal,
       "Internal"},
  };
  for (const CodeCase& c : cases) {
    SCOPED_TRACE(c.name);
    const Status status = c.make("went wrong");
    EXPECT_FALSE(status.ok());
    EXPECT_EQ(status.code(), c.code);
    EXPECT_EQ(status.message(), "went wrong");
    EXPECT_EQ(StatusCodeName(c.code), c.name);
    EXPECT_EQ(status.ToString(), std::string(c.name) + ": went wrong");
  }
}

TEST(StatusTest, DefaultIsOk) {
  const Status status;
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kOk);
  EXPECT_EQ(status.ToString(), "OK");
  EXPECT_EQ(status, OkStatus());
  EXPECT_EQ(StatusCodeName(StatusCode::kOk), "OK");
}

TEST(StatusTest, ToStringNamesTheField) {
  const Status status = InvalidArgumentError("the check digit does not match", "nhs_number");
  EXPECT_EQ(status.field(), "nhs_number");
  EXPECT_EQ(status.ToString(), "InvalidArgument: nhs_number: the check digit does not match");
}

TEST(StatusTest, WithContextPrefixesTheMessageAndKeepsCodeAndField) {
  const Status status = NotFoundError("no such site", "site").WithContext("booking");
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.field(), "site");
  EXPECT_EQ(status.message(), "booking: no such site");
  EXPECT_TRUE(OkStatus().WithContext("booking").ok());
}

TEST(StatusTest, EqualityComparesCodeMessageAndField) {
  EXPECT_EQ(InvalidArgumentError("a", "f"), InvalidArgumentError("a", "f"));
  EXPECT_NE(InvalidArgumentError("a", "f"), InvalidArgumentError("a", "g"));
  EXPECT_NE(InvalidArgumentError("a", "f"), InvalidArgumentError("b", "f"));
  EXPECT_NE(InvalidArgumentError("a"), NotFoundError("a"));
}

TEST(StatusOrTest, HoldsAValue) {
  StatusOr<std::string> value = std::string("OX3 9DU");
  ASSERT_TRUE(value.ok());
  EXPECT_TRUE(value.status().ok());
  EXPECT_EQ(*value, "OX3 9DU");
  EXPECT_EQ(value->size(), 7u);
  value->append("!");
  EXPECT_EQ(value.value(), "OX3 9DU!");
  const std::string moved = std::move(value).value();
  EXPECT_EQ(moved, "OX3 9DU!");
}

TEST(StatusOrTest, HoldsAnError) {
  const StatusOr<int> error = NotFoundError("no such patient", "patient_key");
  EXPECT_FALSE(error.ok());
  EXPECT_EQ(error.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(error.status().field(), "patient_key");
}

StatusOr<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgumentError("is odd", "n");
  return n / 2;
}

Status CheckEven(int n) {
  RETURN_IF_ERROR(Half(n));
  return OkStatus();
}

StatusOr<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status Forward(const Status& status) {
  RETURN_IF_ERROR(status);
  return InternalError("not reached when status is an error");
}

TEST(StatusMacrosTest, ReturnIfErrorReturnsTheFirstError) {
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3), InvalidArgumentError("is odd", "n"));
  EXPECT_EQ(Forward(AbortedError("raced")), AbortedError("raced"));
  EXPECT_EQ(Forward(OkStatus()).code(), StatusCode::kInternal);
}

TEST(StatusMacrosTest, AssignOrReturnUnwrapsOrReturns) {
  struct Case {
    int n;
    bool ok;
    int quarter;
  };
  const std::vector<Case> cases = {{8, true, 2}, {0, true, 0}, {6, false, 0}, {7, false, 0}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.n);
    const StatusOr<int> result = Quarter(c.n);
    ASSERT_EQ(result.ok(), c.ok);
    if (c.ok) {
      EXPECT_EQ(*result, c.quarter);
    } else {
      EXPECT_EQ(result.status(), InvalidArgumentError("is odd", "n"));
    }
  }
}

}  // namespace
}  // namespace tendon
