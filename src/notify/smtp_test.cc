#include "notify/smtp.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "notify/testing.h"

namespace tendon::notify {
namespace {

TEST(SmtpReplyTest, ParsesSingleAndMultiLineReplies) {
  auto one = ParseReply({"250 OK"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->code, 250);
  EXPECT_EQ(one->Text(), "250 OK");
  auto many = ParseReply({"250-mail.example greets you", "250-8BITMIME", "250 SIZE 1000"});
  ASSERT_TRUE(many.ok()) << many.status().ToString();
  EXPECT_EQ(many->lines.size(), 3u);
  EXPECT_EQ(many->lines[1], "8BITMIME");
  EXPECT_TRUE(ContinuesReply("250-8BITMIME"));
  EXPECT_FALSE(ContinuesReply("250 OK"));
}

TEST(SmtpReplyTest, RefusesMalformedReplies) {
  for (const std::vector<std::string>& bad : std::vector<std::vector<std::string>>{
           {}, {"OK"}, {"25 OK"}, {"250-a", "251 b"}, {"250 a", "250 b"}, {"250-a"}}) {
    EXPECT_EQ(ParseReply(bad).status().code(), StatusCode::kInvalidArgument);
  }
}

SmtpSettings Settings(int port) {
  SmtpSettings s;
  s.port = port;
  s.from = "no-reply@msk.example";
  s.from_name = "MSK service";
  s.helo = "tendon.test";
  s.timeout = std::chrono::seconds(5);
  return s;
}

EmailMessage Message() {
  return EmailMessage{"patient@example.com", "Your appointment",
                      "Dear Ada,\n.hidden line\n..two dots\nBye\n", "<tendon.1.2@tendon.test>",
                      *ParseInstant("2026-11-24T10:30:00Z")};
}

TEST(SmtpDataTest, HeadersAndADotStuffedBody) {
  auto data = FormatData(Message(), Settings(25));
  ASSERT_TRUE(data.ok()) << data.status().ToString();
  EXPECT_NE(data->find("From: MSK service <no-reply@msk.example>\r\n"), std::string::npos);
  EXPECT_NE(data->find("To: <patient@example.com>\r\n"), std::string::npos);
  EXPECT_NE(data->find("Message-ID: <tendon.1.2@tendon.test>\r\n"), std::string::npos);
  EXPECT_NE(data->find("Date: Tue, 24 Nov 2026 10:30:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(data->find("\r\n\r\nDear Ada,\r\n..hidden line\r\n...two dots\r\nBye\r\n.\r\n"),
            std::string::npos)
      << *data;
}

TEST(SmtpDataTest, ASubjectCannotCarryAHeaderAndNonAsciiIsEncoded) {
  EmailMessage m = Message();
  m.subject = "Hello\r\nBcc: everyone@example.com";
  auto data = FormatData(m, Settings(25));
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->find("\r\nBcc:"), std::string::npos);
  m.subject = "Zoë";
  EXPECT_NE(FormatData(m, Settings(25))->find("Subject: =?UTF-8?B?Wm/Dqw==?=\r\n"),
            std::string::npos);
  m.body = std::string(999, 'x');
  EXPECT_EQ(FormatData(m, Settings(25)).status().field(), "body");
}

// A relay that answers each command as scripted and records what it received. With `tls` it
// offers STARTTLS and records which commands came under TLS.
struct Relay {
  int rcpt_code = 250;
  int data_end_code = 250;
  SSL_CTX* tls = nullptr;
  std::vector<std::string> commands;
  std::vector<bool> under_tls;
  std::string data;

  void Serve(testing::Peer& peer) {
    peer.Write("220 relay.test ESMTP\r\n");
    std::string line;
    while (peer.ReadLine(line)) {
      commands.push_back(line);
      under_tls.push_back(peer.tls());
      if (line.rfind("EHLO", 0) == 0) {
        peer.Write(std::string("250-relay.test\r\n") +
                   (tls != nullptr && !peer.tls() ? "250-STARTTLS\r\n" : "") +
                   "250-8BITMIME\r\n250 SIZE 100000\r\n");
      } else if (line == "STARTTLS" && tls != nullptr) {
        peer.Write("220 ready to start TLS\r\n");
        if (!peer.StartTls(tls)) return;
      } else if (line.rfind("RCPT", 0) == 0) {
        peer.Write(std::to_string(rcpt_code) + " recipient\r\n");
      } else if (line == "DATA") {
        peer.Write("354 go ahead\r\n");
        while (peer.ReadLine(line) && line != ".") data += line + "\n";
        peer.Write(std::to_string(data_end_code) + " queued as 1\r\n");
      } else if (line == "QUIT") {
        peer.Write("221 bye\r\n");
        return;
      } else {
        peer.Write("250 OK\r\n");
      }
    }
  }
};

TEST(SmtpClientTest, WalksTheDialogueToTheRelay) {
  Relay relay;
  Status sent;
  {
    testing::LoopbackServer server(1, [&](testing::Peer& p) { relay.Serve(p); });
    sent = SmtpClient::Create(Settings(server.port()))->Send(Message());
  }
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  ASSERT_EQ(relay.commands.size(), 5u);
  EXPECT_EQ(relay.commands[0], "EHLO tendon.test");
  EXPECT_EQ(relay.commands[1], "MAIL FROM:<no-reply@msk.example> BODY=8BITMIME");
  EXPECT_EQ(relay.commands[2], "RCPT TO:<patient@example.com>");
  EXPECT_EQ(relay.commands[3], "DATA");
  EXPECT_EQ(relay.commands[4], "QUIT");
  EXPECT_NE(relay.data.find("\n..hidden line\n"), std::string::npos);
}

// With starttls the message goes only under TLS, to a relay whose certificate is trusted and
// names it; otherwise nothing past EHLO is sent.
class SmtpStartTlsTest : public ::testing::Test {
 protected:
  Status SendTo(Relay& relay, const testing::TestCertificate& trusted) {
    testing::LoopbackServer server(1, [&](testing::Peer& p) { relay.Serve(p); });
    SmtpSettings s = Settings(server.port());
    s.starttls = true;
    s.ca_file = trusted.WritePem("smtp-authority");
    auto client = SmtpClient::Create(s);
    if (!client.ok()) return client.status();
    return client->Send(Message());
  }
};

TEST_F(SmtpStartTlsTest, TheMessageGoesOnlyUnderTls) {
  const testing::TestCertificate relay_certificate("IP:127.0.0.1");
  Relay relay;
  relay.tls = relay_certificate.server();
  const Status sent = SendTo(relay, relay_certificate);
  ASSERT_TRUE(sent.ok()) << sent.ToString();
  ASSERT_EQ(relay.commands.size(), 7u);
  EXPECT_EQ(relay.commands[0], "EHLO tendon.test");
  EXPECT_EQ(relay.commands[1], "STARTTLS");
  EXPECT_EQ(relay.commands[2], "EHLO tendon.test");  // Asked again under TLS.
  EXPECT_EQ(relay.commands[3], "MAIL FROM:<no-reply@msk.example> BODY=8BITMIME");
  EXPECT_EQ(relay.under_tls, (std::vector<bool>{false, false, true, true, true, true, true}));
  EXPECT_NE(relay.data.find("\n..hidden line\n"), std::string::npos);
}

TEST_F(SmtpStartTlsTest, ARelayWithoutStartTlsOrWithAnUntrustedCertificateGetsNoMessage) {
  const testing::TestCertificate trusted("IP:127.0.0.1");
  Relay plain;  // Offers no STARTTLS.
  Status sent = SendTo(plain, trusted);
  EXPECT_EQ(sent.code(), StatusCode::kUnavailable);
  EXPECT_NE(sent.message().find("STARTTLS"), std::string::npos) << sent.ToString();
  EXPECT_EQ(plain.commands, std::vector<std::string>{"EHLO tendon.test"});

  const testing::TestCertificate impostor("IP:127.0.0.1");
  Relay pretender;
  pretender.tls = impostor.server();
  sent = SendTo(pretender, trusted);
  EXPECT_EQ(sent.code(), StatusCode::kUnavailable);
  EXPECT_NE(sent.message().find("certificate"), std::string::npos) << sent.ToString();
  EXPECT_EQ(pretender.commands, (std::vector<std::string>{"EHLO tendon.test", "STARTTLS"}));
  EXPECT_EQ(pretender.data, "");

  SmtpSettings unreadable = Settings(25);
  unreadable.starttls = true;
  unreadable.ca_file = ::testing::TempDir() + "no-such-smtp-authorities.pem";
  EXPECT_EQ(SmtpClient::Create(unreadable).status().field(), "ca_file");
}

TEST(SmtpClientTest, A5xxIsPermanentAndA4xxIsForLater) {
  for (const auto& [rcpt, data_end, code] :
       std::vector<std::tuple<int, int, StatusCode>>{{550, 250, StatusCode::kFailedPrecondition},
                                                     {250, 554, StatusCode::kFailedPrecondition},
                                                     {450, 250, StatusCode::kUnavailable},
                                                     {250, 421, StatusCode::kUnavailable}}) {
    Relay relay;
    relay.rcpt_code = rcpt;
    relay.data_end_code = data_end;
    Status sent;
    {
      testing::LoopbackServer server(1, [&](testing::Peer& p) { relay.Serve(p); });
      sent = SmtpClient::Create(Settings(server.port()))->Send(Message());
    }
    EXPECT_EQ(sent.code(), code) << sent.ToString();
    EXPECT_NE(sent.message().find(std::to_string(rcpt == 250 ? data_end : rcpt)), std::string::npos)
        << sent.ToString();
  }
}

TEST(SmtpClientTest, ARelayThatIsDownOrSilentIsForLater) {
  SmtpSettings closed = Settings(1);  // Nothing listens on port 1.
  EXPECT_EQ(SmtpClient::Create(closed)->Send(Message()).code(), StatusCode::kUnavailable);
  Status sent;
  {
    testing::LoopbackServer silent(1, [](testing::Peer& p) {
      std::string line;
      p.ReadLine(line);  // Never greets; waits for the client to give up.
    });
    SmtpSettings s = Settings(silent.port());
    s.timeout = std::chrono::milliseconds(200);
    sent = SmtpClient::Create(s)->Send(Message());
  }
  EXPECT_EQ(sent.code(), StatusCode::kUnavailable);
  EXPECT_NE(sent.message().find("timed out"), std::string::npos) << sent.ToString();
}

}  // namespace
}  // namespace tendon::notify
