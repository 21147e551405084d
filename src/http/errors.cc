#include "http/errors.h"

#include <nlohmann/json.hpp>

namespace tendon::http {

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 422;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response JsonError(const Status& status) {
  const bool internal = HttpStatusFor(status.code()) == 500;
  nlohmann::json body{{"code", std::string(StatusCodeName(status.code()))},
                      {"message", internal ? "something went wrong on our side" : status.message()},
                      {"field", status.field()}};
  return Response::Json(HttpStatusFor(status.code()), body.dump());
}

Response JsonFieldErrors(const std::vector<workflow::FieldError>& errors) {
  nlohmann::json list = nlohmann::json::array();
  for (const workflow::FieldError& e : errors) {
    list.push_back({{"field", e.field}, {"message", e.message}});
  }
  const std::string count = std::to_string(errors.size());
  nlohmann::json body{{"code", "InvalidArgument"},
                      {"message", errors.size() == 1 ? errors[0].field + ": " + errors[0].message
                                                     : count + " fields are not valid"},
                      {"field", errors.empty() ? "" : errors[0].field},
                      {"errors", std::move(list)}};
  return Response::Json(400, body.dump());
}

Response JsonError(int http_status, std::string code, std::string message) {
  nlohmann::json body{{"code", std::move(code)}, {"message", std::move(message)}, {"field", ""}};
  return Response::Json(http_status, body.dump());
}

}  // namespace tendon::http
