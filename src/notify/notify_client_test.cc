#include "notify/notify_client.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "notify/testing.h"

namespace tendon::notify {
namespace {

constexpr char kKey[] =
    "tendon-test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0";
constexpr char kSmsTemplate[] = "11111111-2222-3333-4444-555555555555";
constexpr char kEmailTemplate[] = "66666666-7777-8888-9999-000000000000";

TEST(NotifyKeyTest, TakesTheServiceIdAndSecretFromTheEnd) {
  auto key = ParseNotifyKey(kKey);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->service_id, "26785a09-ab16-4eb0-8407-a37497a57506");
  EXPECT_EQ(key->secret, "3d844edf-8d35-48ac-975b-e847b4f122b0");
  for (const char* bad : {"", "short", "name-26785a09-ab16-4eb0-8407-a37497a57506",
                          "name-26785a09-ab16-4eb0-8407-a37497a57506x3d844edf-8d35-48ac-975b-"
                          "e847b4f122b0"}) {
    auto refused = ParseNotifyKey(bad);
    EXPECT_EQ(refused.status().field(), "api_key") << bad;
  }
}

// The expected token was computed independently (Python's hmac and base64 over the same bytes).
TEST(NotifyTokenTest, IsAnHs256JwtWithTheServiceIdAndTheTime) {
  const NotifyKey key = *ParseNotifyKey(kKey);
  EXPECT_EQ(NotifyToken(key, FromUnixMillis(1'780'000'000'400)),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
            "eyJpYXQiOjE3ODAwMDAwMDAsImlzcyI6IjI2Nzg1YTA5LWFiMTYtNGViMC04NDA3LWEzNzQ5N2E1NzUwNiJ9."
            "lBMYLRWo0jfnY9v3zx5EUKyhlINkGKoRNVhnhu5UNkA");
}

TEST(HttpResponseTest, ReadsLengthDelimitedAndChunkedBodies) {
  auto plain = ParseHttpResponse(
      "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{}xx");
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(plain->status, 201);
  EXPECT_EQ(plain->body, "{}xx");
  auto chunked = ParseHttpResponse(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n4\r\n\":1}\r\n0\r\n\r\n");
  ASSERT_TRUE(chunked.ok()) << chunked.status().ToString();
  EXPECT_EQ(chunked->body, "{\"a\":1}");
  EXPECT_FALSE(ParseHttpResponse("garbage").ok());
}

NotifySettings Settings(int port) {
  NotifySettings s;
  s.base_url = "http://127.0.0.1:" + std::to_string(port);
  s.api_key = kKey;
  s.sms_template_id = kSmsTemplate;
  s.email_template_id = kEmailTemplate;
  s.timeout = std::chrono::seconds(5);
  return s;
}

TEST(NotifyClientTest, RefusesBadSettingsNamingThem) {
  NotifySettings s = Settings(80);
  s.base_url = "https://api.notifications.service.gov.uk";
  EXPECT_TRUE(NotifyClient::Create(s).ok());
  // Plain HTTP only on this host: patients' details never cross the network unencrypted.
  for (const char* url : {"http://api.notifications.service.gov.uk", "http://127.example.com",
                          "http://10.0.0.1:8080", "ftp://127.0.0.1"}) {
    s.base_url = url;
    EXPECT_EQ(NotifyClient::Create(s).status().field(), "base_url") << url;
  }
  s.base_url = "http://localhost:8080";
  EXPECT_TRUE(NotifyClient::Create(s).ok());
  s.base_url = "https://api.notifications.service.gov.uk";
  s.ca_file = ::testing::TempDir() + "no-such-authorities.pem";
  EXPECT_EQ(NotifyClient::Create(s).status().field(), "ca_file");
  s = Settings(80);
  s.api_key = "my-private-value";
  auto refused = NotifyClient::Create(s);
  EXPECT_EQ(refused.status().field(), "api_key");
  EXPECT_EQ(refused.status().ToString().find("my-private-value"), std::string::npos);
  s = Settings(80);
  s.sms_template_id = "sms";
  EXPECT_EQ(NotifyClient::Create(s).status().field(), "sms_template_id");
}

// A stand-in for Notify that answers every request with `status` and `body`, and keeps the last
// request's line, Authorization header and body.
struct FakeNotify {
  int status = 201;
  std::string body = R"({"id":"notify-1"})";
  std::string request_line;
  std::string authorization;
  std::string request_body;

  void Serve(testing::Peer& peer) {
    std::string line;
    peer.ReadLine(request_line);
    std::size_t length = 0;
    while (peer.ReadLine(line) && !line.empty()) {
      if (line.rfind("Authorization: ", 0) == 0) authorization = line.substr(15);
      if (line.rfind("Content-Length: ", 0) == 0) length = std::stoul(line.substr(16));
    }
    peer.Read(length, request_body);
    peer.Write("HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" + body);
  }
};

TEST(NotifyClientTest, SendsATextMessageThroughItsTemplateWithTheReference) {
  FakeNotify notify;
  StatusOr<std::string> id = InternalError("not run");
  {
    testing::LoopbackServer server(1, [&](testing::Peer& p) { notify.Serve(p); });
    auto client = NotifyClient::Create(Settings(server.port()));
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    id = client->Send(Channel::kSms, "07700 900123", "", "Your appointment is moved", "tendon.1.2",
                      FromUnixMillis(1'780'000'000'000));
  }
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "notify-1");
  EXPECT_EQ(notify.request_line, "POST /v2/notifications/sms HTTP/1.1");
  EXPECT_EQ(notify.authorization,
            "Bearer " + NotifyToken(*ParseNotifyKey(kKey), FromUnixMillis(1'780'000'000'000)));
  const auto sent = nlohmann::json::parse(notify.request_body);
  EXPECT_EQ(sent["phone_number"], "07700 900123");
  EXPECT_EQ(sent["template_id"], kSmsTemplate);
  EXPECT_EQ(sent["reference"], "tendon.1.2");
  EXPECT_EQ(sent["personalisation"]["body"], "Your appointment is moved");
}

// Over TLS the server's certificate must chain to an authority the client trusts and name the
// host it connected to; otherwise nothing is sent.
class NotifyClientTlsTest : public ::testing::Test {
 protected:
  // Sends a text message to a stand-in for Notify at https://127.0.0.1 that presents `presented`,
  // from a client that trusts only `trusted`.
  StatusOr<std::string> SendOverTls(const testing::TestCertificate& presented,
                                    const testing::TestCertificate& trusted) {
    testing::LoopbackServer server(
        1, [&](testing::Peer& p) { notify_.Serve(p); }, presented.server());
    NotifySettings s = Settings(server.port());
    s.base_url = "https://127.0.0.1:" + std::to_string(server.port());
    s.ca_file = trusted.WritePem("notify-authority");
    auto client = NotifyClient::Create(s);
    if (!client.ok()) return client.status();
    auto id = client->Send(Channel::kSms, "07700 900123", "", "Your appointment is moved",
                           "tendon.1.2", FromUnixMillis(1'780'000'000'000));
    server.Join();
    failed_handshakes_ = server.failed_handshakes();
    return id;
  }

  FakeNotify notify_;
  int failed_handshakes_ = -1;
};

TEST_F(NotifyClientTlsTest, SendsToAServerWhoseCertificateIsTrustedAndNamesTheHost) {
  const testing::TestCertificate notify("IP:127.0.0.1,DNS:localhost");
  auto id = SendOverTls(notify, notify);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "notify-1");
  EXPECT_EQ(failed_handshakes_, 0);
  EXPECT_EQ(notify_.request_line, "POST /v2/notifications/sms HTTP/1.1");
  EXPECT_EQ(notify_.authorization,
            "Bearer " + NotifyToken(*ParseNotifyKey(kKey), FromUnixMillis(1'780'000'000'000)));
  EXPECT_EQ(nlohmann::json::parse(notify_.request_body)["phone_number"], "07700 900123");
}

// The server hangs up once the handshake is done, while a long message is still being sent: the
// send fails for later, and the process is not killed by SIGPIPE.
TEST(NotifyClientTlsHangUpTest, AServerThatHangsUpMidRequestMeansTryLater) {
  const testing::TestCertificate notify("IP:127.0.0.1");
  testing::LoopbackServer server(
      1, [](testing::Peer&) {}, notify.server());
  NotifySettings s = Settings(server.port());
  s.base_url = "https://127.0.0.1:" + std::to_string(server.port());
  s.ca_file = notify.WritePem("notify-hang-up");
  auto client = NotifyClient::Create(s);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto id = client->Send(Channel::kEmail, "a@example.com", "Subject", std::string(8 << 20, 'x'),
                         "tendon.1.3", FromUnixMillis(1'780'000'000'000));
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable) << id.status().ToString();
}

TEST_F(NotifyClientTlsTest, RefusesAnUntrustedCertificateBeforeSendingAnything) {
  const testing::TestCertificate impostor("IP:127.0.0.1,DNS:localhost");
  const testing::TestCertificate notify("IP:127.0.0.1,DNS:localhost,DNS:notify");
  auto id = SendOverTls(impostor, notify);
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);  // Retried later, as a network fault.
  EXPECT_NE(id.status().message().find("certificate"), std::string::npos) << id.status().ToString();
  EXPECT_EQ(failed_handshakes_, 1);
  EXPECT_EQ(notify_.request_line, "");  // Not a byte of the message reached the server.
  EXPECT_EQ(notify_.request_body, "");
}

TEST_F(NotifyClientTlsTest, RefusesATrustedCertificateForAnotherHost) {
  const testing::TestCertificate elsewhere("DNS:api.notifications.service.gov.uk");
  auto id = SendOverTls(elsewhere, elsewhere);
  EXPECT_EQ(id.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(id.status().message().find("certificate"), std::string::npos) << id.status().ToString();
  EXPECT_EQ(failed_handshakes_, 1);
  EXPECT_EQ(notify_.request_line, "");
}

TEST(NotifyClientTest, Only429AndServerErrorsAreWorthRetrying) {
  for (const auto& [status, code] :
       std::vector<std::pair<int, StatusCode>>{{400, StatusCode::kFailedPrecondition},
                                               {403, StatusCode::kFailedPrecondition},
                                               {429, StatusCode::kUnavailable},
                                               {500, StatusCode::kUnavailable},
                                               {503, StatusCode::kUnavailable}}) {
    FakeNotify notify;
    notify.status = status;
    notify.body = R"({"errors":[{"error":"BadRequestError","message":"Not a UK mobile"}]})";
    StatusOr<std::string> id = InternalError("not run");
    {
      testing::LoopbackServer server(1, [&](testing::Peer& p) { notify.Serve(p); });
      id = NotifyClient::Create(Settings(server.port()))
               ->Send(Channel::kEmail, "a@example.com", "S", "B", "r", Now());
    }
    EXPECT_EQ(id.status().code(), code) << status;
    EXPECT_NE(id.status().message().find("Not a UK mobile"), std::string::npos);
  }
}

TEST(NotifyClientTest, FindsAMessageByItsReference) {
  FakeNotify notify;
  notify.status = 200;
  notify.body = R"({"notifications":[{"id":"notify-7","reference":"tendon.3.4"}],"links":{}})";
  StatusOr<std::optional<std::string>> found = InternalError("not run");
  {
    testing::LoopbackServer server(1, [&](testing::Peer& p) { notify.Serve(p); });
    found = NotifyClient::Create(Settings(server.port()))->FindByReference("tendon.3.4", Now());
  }
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->value_or(""), "notify-7");
  EXPECT_EQ(notify.request_line, "GET /v2/notifications?reference=tendon.3.4 HTTP/1.1");
}

}  // namespace
}  // namespace tendon::notify
