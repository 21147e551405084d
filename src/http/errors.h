// The one table from Status codes to HTTP statuses (STYLE.md, rule 3), and the JSON error body.
#ifndef TENDON_HTTP_ERRORS_H_
#define TENDON_HTTP_ERRORS_H_

#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "workflow/workflow.h"

namespace tendon::http {

// InvalidArgument 400, NotFound 404, AlreadyExists and Aborted 409, FailedPrecondition 422,
// Unavailable 503, anything else 500.
int HttpStatusFor(StatusCode code);

// {"code": "InvalidArgument", "message": "...", "field": "..."} with the mapped status. An
// Internal error's message is replaced by a generic one (details belong in the server log).
Response JsonError(const Status& status);
// 400 for a request with malformed fields: {"code": "InvalidArgument", "message": "...", "field":
// the first field, "errors": [{"field", "message"}, ...]}, every field named.
Response JsonFieldErrors(const std::vector<workflow::FieldError>& errors);
// A JSON error with an explicit HTTP status (401, 403, 405, 413) and code name.
Response JsonError(int http_status, std::string code, std::string message);

}  // namespace tendon::http

#endif  // TENDON_HTTP_ERRORS_H_
