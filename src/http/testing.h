// Test fixture for the web application in process: WorkflowTest's real SQLite store, rules and
// calendar, an App on the repository's web/ and data/ whose clock the test sets, the users who
// sign in, and requests handled without a server. Test-only; header-only.
#ifndef TENDON_HTTP_TESTING_H_
#define TENDON_HTTP_TESTING_H_

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <memory>
#include <string>
#include <utility>

#include "auth/password.h"
#include "auth/tokens.h"
#include "core/source_dir_for_tests.h"
#include "http/app.h"
#include "http/message.h"
#include "workflow/testing.h"

namespace tendon::http::testing {

class AppFixture : public workflow::testing::WorkflowTest {
 protected:
  // The password of every user AddUser inserts.
  static constexpr char kPassword[] = "a long enough password";

  void SetUp() override {
    WorkflowTest::SetUp();
    if (HasFatalFailure()) return;
    AppConfig config;
    config.web_dir = SourceDirForTests() / "web";
    config.data_dir = SourceDirForTests() / "data";
    config.assets_dir = dir().file("assets");
    config.clock = [this] { return now_.load(); };
    Configure(config);
    auto app = App::Create(store(), config);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(app).value();
  }

  App& app() { return *app_; }

  // Lets a test add to the App's configuration (a planner, say) before it is created.
  virtual void Configure(AppConfig& /*config*/) {}

  // Inserts `user` with kPassword and created now; fails the test when the store refuses it.
  void AddUser(User user) {
    user.password_hash = PasswordHash();
    user.created_at = now_.load();
    const Status added = store().Write([&](store::WriteTxn& txn) { return txn.InsertUser(user); });
    ASSERT_TRUE(added.ok()) << added.ToString();
  }

  // Inserts a user whose username is `id` in lower case (as the store requires), as AddUser(User).
  void AddUser(const std::string& id, Role role, const std::string& organisation,
               const std::string& display_name) {
    User user;
    user.id = user.username = id;
    std::transform(user.username.begin(), user.username.end(), user.username.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    user.role = role;
    user.organisation = organisation;
    user.display_name = display_name;
    AddUser(std::move(user));
  }

  // A new session for `user_id`, begun now, with `context_referral` open; returns its cookie
  // token. The session's CSRF token is CsrfToken(token).
  std::string SignedIn(const std::string& user_id, const std::string& context_referral = "") {
    const std::string token = auth::RandomToken();
    const Instant now = now_.load();
    const Session session{auth::HashToken(token), user_id, CsrfToken(token), now, now,
                          context_referral};
    const Status put = store().Write([&](store::WriteTxn& txn) { return txn.PutSession(session); });
    EXPECT_TRUE(put.ok()) << put.ToString();
    return token;
  }

  static std::string CsrfToken(const std::string& token) { return "csrf-" + token; }

  // A request for `path` from `remote_address`. With a session `token` it carries the session
  // cookie and, when `with_csrf`, the session's CSRF token in X-CSRF-Token; without, no cookie.
  static Request MakeRequest(Method method, const std::string& path, const std::string& token,
                             const std::string& body = "", bool with_csrf = true,
                             const std::string& remote_address = "127.0.0.1") {
    Request request;
    request.method = method;
    request.target = request.path = path;
    request.body = body;
    request.remote_address = remote_address;
    if (!token.empty()) {
      request.headers["Cookie"] = "tendon_session=" + token;
      if (with_csrf) request.headers["X-CSRF-Token"] = CsrfToken(token);
    }
    return request;
  }

  // `request` answered by the app, with the headers the server adds to every response.
  Response Handle(Request request) {
    Response response = app_->Handle(request);
    app_->Decorate(response);
    return response;
  }

  // MakeRequest's request, answered as Handle.
  Response Send(Method method, const std::string& path, const std::string& token,
                const std::string& body = "", bool with_csrf = true,
                const std::string& remote_address = "127.0.0.1") {
    return Handle(MakeRequest(method, path, token, body, with_csrf, remote_address));
  }

  // The app's clock, which tests move; it starts at workflow::testing::kNow.
  std::atomic<Instant> now_{workflow::testing::kNow};

 private:
  // Hashed once: hashing is slow on purpose, and every user may share the one password.
  static const std::string& PasswordHash() {
    static const std::string hash = auth::HashPassword(kPassword).value();
    return hash;
  }

  std::unique_ptr<App> app_;  // After now_, which its clock reads.
};

}  // namespace tendon::http::testing

#endif  // TENDON_HTTP_TESTING_H_
