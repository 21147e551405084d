// Status and StatusOr<T>: how tendon reports failure without exceptions.
//
// The codes follow Abseil's canonical codes. Their meaning here:
//   kOk                  success.
//   kInvalidArgument     the caller's input is malformed (a bad NHS number, a date in the future).
//   The
//                        input can never succeed as given. `field()` names the offending input.
//   kNotFound            a named thing (patient, referral, site) does not exist.
//   kAlreadyExists       the thing to create exists already (a duplicate NHS number, a reused key).
//   kFailedPrecondition  the input is well-formed but the system is not in a state to accept it (an
//                        illegal referral state transition, a full slot).
//   kAborted             a concurrent change got there first; retrying may succeed.
//   kUnavailable         a dependency (disk, database) is not available now; retrying may succeed.
//   kInternal            a broken invariant inside tendon: a bug, never the caller's fault.
//
// Status is a value type; it is cheap to copy when OK (no allocation).
#ifndef TENDON_CORE_STATUS_H_
#define TENDON_CORE_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace tendon {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kInternal,
};

// "InvalidArgument", "NotFound", ... as the code is spelled in Abseil.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  // `field` names the input the error is about (for example "nhs_number"); empty when none applies.
  Status(StatusCode code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::string& field() const { return field_; }

  // "InvalidArgument: nhs_number: the check digit does not match" (field part only when set).
  std::string ToString() const;

  // Returns a copy whose message is prefixed with `context` and ": ".
  Status WithContext(std::string_view context) const;

  friend bool operator==(const Status&, const Status&) = default;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  std::string field_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string message, std::string field = {});
Status NotFoundError(std::string message, std::string field = {});
Status AlreadyExistsError(std::string message, std::string field = {});
Status FailedPreconditionError(std::string message, std::string field = {});
Status AbortedError(std::string message);
Status UnavailableError(std::string message);
Status InternalError(std::string message);

// Either a T or a non-OK Status. Accessing value() of an error is a programmer error (asserted).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design, as in Abseil.
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr must not hold an OK status without a value");
    if (status_.ok())
      status_ = InternalError("StatusOr constructed from OK status without a value");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T& value() & {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

namespace internal {
inline const Status& AsStatus(const Status& s) { return s; }
template <typename T>
const Status& AsStatus(const StatusOr<T>& s) {
  return s.status();
}
}  // namespace internal

}  // namespace tendon

#define TENDON_CONCAT_INNER_(a, b) a##b
#define TENDON_CONCAT_(a, b) TENDON_CONCAT_INNER_(a, b)

// Returns the Status of `expr` from the enclosing function when it is not OK.
#define RETURN_IF_ERROR(expr)                                                   \
  do {                                                                          \
    const ::tendon::Status tendon_status_ = ::tendon::internal::AsStatus(expr); \
    if (!tendon_status_.ok()) return tendon_status_;                            \
  } while (false)

// `ASSIGN_OR_RETURN(auto x, F());` declares x from F()'s value or returns F()'s error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(TENDON_CONCAT_(tendon_statusor_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

#endif  // TENDON_CORE_STATUS_H_
