// Signed-in sessions: created at sign-in, found from the request's cookie, ended at sign-out or
// when they pass the idle (30 minutes) or absolute (12 hours) limit. The cookie carries a random
// token; the store keeps only its SHA-256, so a copy of the database cannot be used to sign in.
#ifndef TENDON_HTTP_SESSION_H_
#define TENDON_HTTP_SESSION_H_

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "core/records.h"
#include "core/status.h"
#include "http/message.h"
#include "store/store.h"

namespace tendon::http {

struct SessionPolicy {
  std::chrono::minutes idle{30};
  std::chrono::hours absolute{12};
  // Last-seen times are written at most this often, so that a page view is not a durable write.
  std::chrono::seconds touch_every{60};
  bool secure_cookies = false;  // Behind TLS: the cookie gets Secure and the __Host- prefix.
};

struct SignedIn {
  User user;
  Session session;
};

class SessionManager {
 public:
  SessionManager(store::Store& store, SessionPolicy policy, std::function<Instant()> clock)
      : store_(store), policy_(policy), clock_(std::move(clock)) {}

  // Starts a session for `user`, with `context_referral_id` open; returns the Set-Cookie header
  // value.
  StatusOr<std::string> Start(const User& user, std::string context_referral_id = "");
  // The live session of `request` and its (enabled) user, or nullopt when there is none, it has
  // expired (then it is deleted) or the account is disabled.
  StatusOr<std::optional<SignedIn>> Find(const Request& request);
  // Ends the session; returns the Set-Cookie header value that clears the cookie.
  StatusOr<std::string> End(const Session& session);
  // Stores a changed session (its open referral).
  Status Save(const Session& session);

  std::string cookie_name() const;

 private:
  std::string Cookie(const std::string& value, std::chrono::seconds max_age) const;

  store::Store& store_;
  const SessionPolicy policy_;
  const std::function<Instant()> clock_;
};

}  // namespace tendon::http

#endif  // TENDON_HTTP_SESSION_H_
