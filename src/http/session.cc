#include "http/session.h"

#include "auth/tokens.h"

namespace tendon::http {

std::string SessionManager::cookie_name() const {
  return policy_.secure_cookies ? "__Host-tendon_session" : "tendon_session";
}

std::string SessionManager::Cookie(const std::string& value, std::chrono::seconds max_age) const {
  std::string cookie = cookie_name() + "=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  cookie += "; Max-Age=" + std::to_string(max_age.count());
  if (policy_.secure_cookies) cookie += "; Secure";
  return cookie;
}

StatusOr<std::string> SessionManager::Start(const User& user, std::string context_referral_id) {
  const std::string token = auth::RandomToken();
  const Instant now = clock_();
  Session session{auth::HashToken(token),        user.id, auth::RandomToken(), now, now,
                  std::move(context_referral_id)};
  RETURN_IF_ERROR(store_.Write([&](store::WriteTxn& txn) { return txn.PutSession(session); }));
  return Cookie(token, policy_.absolute);
}

StatusOr<std::optional<SignedIn>> SessionManager::Find(const Request& request) {
  std::optional<std::string> token = request.Cookie(cookie_name());
  if (!token || token->empty()) return std::optional<SignedIn>();
  auto session = store_.GetSession(auth::HashToken(*token));
  if (session.status().code() == StatusCode::kNotFound) return std::optional<SignedIn>();
  RETURN_IF_ERROR(session.status());
  const Instant now = clock_();
  const bool expired =
      now - session->last_seen_at >= policy_.idle || now - session->created_at >= policy_.absolute;
  auto user = store_.GetUser(session->user_id);
  if (!user.ok() && user.status().code() != StatusCode::kNotFound) return user.status();
  if (expired || !user.ok() || user->disabled) {
    RETURN_IF_ERROR(End(*session).status());
    return std::optional<SignedIn>();
  }
  if (now - session->last_seen_at >= policy_.touch_every) {
    session->last_seen_at = now;
    RETURN_IF_ERROR(Save(*session));
  }
  return std::optional<SignedIn>(SignedIn{std::move(user).value(), std::move(session).value()});
}

StatusOr<std::string> SessionManager::End(const Session& session) {
  RETURN_IF_ERROR(
      store_.Write([&](store::WriteTxn& txn) { return txn.DeleteSession(session.token_hash); }));
  return Cookie("", std::chrono::seconds(0));
}

Status SessionManager::Save(const Session& session) {
  return store_.Write([&](store::WriteTxn& txn) { return txn.PutSession(session); });
}

}  // namespace tendon::http
