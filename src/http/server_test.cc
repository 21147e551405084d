// Real HTTP over loopback, with a small blocking client on POSIX sockets (not Beast, so the test
// does not compile Beast a second time).
#include "http/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "http/test_client.h"

namespace tendon::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using testing::Client;
using testing::Reply;

double MillisSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::string Get(std::string_view target, std::string_view method = "GET") {
  return std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n\r\n";
}

class ServerTest : public ::testing::Test {
 protected:
  ServerOptions Options() {
    ServerOptions options;
    options.listen = "127.0.0.1:0";
    options.body_limit = 1024;
    options.header_timeout = 200ms;
    options.idle_timeout = 300ms;
    options.request_timeout = 2000ms;
    options.route_of = [](const Request& request) { return request.path; };
    options.access_log = [this](const AccessRecord& record) {
      std::lock_guard lock(mu_);
      log_.push_back(record);
    };
    options.decorate = [this](Response& response) {
      ++decorated_;
      response.headers["X-Decorated"] = "yes";
    };
    return options;
  }

  void StartServer(ServerOptions options) {
    auto server = Server::Start(options, [this](Request& request) { return Handle(request); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
  }
  void SetUp() override { StartServer(Options()); }

  Response Handle(Request& request) {
    ++handler_calls_;
    if (request.path == "/slow") {
      slow_started_ = true;
      std::this_thread::sleep_for(300ms);
      return Response::Make(200, "text/plain", "slow");
    }
    if (request.path == "/throw") throw std::runtime_error("boom");
    if (request.path == "/echo") return Response::Make(200, "text/plain", request.body);
    if (request.path == "/query") return Response::Make(200, "text/plain", request.query["q"]);
    if (request.path.rfind("/path/", 0) == 0)
      return Response::Make(200, "text/plain", request.path);
    return Response::Html(200, "hello");
  }

  void WaitUntilSlowStarted() {
    const Clock::time_point deadline = Clock::now() + 2s;
    while (!slow_started_ && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
    ASSERT_TRUE(slow_started_);
  }

  std::optional<AccessRecord> WaitForLog(std::size_t count) {
    const Clock::time_point deadline = Clock::now() + 2s;
    while (Clock::now() < deadline) {
      {
        std::lock_guard lock(mu_);
        if (log_.size() >= count) return log_[count - 1];
      }
      std::this_thread::sleep_for(1ms);
    }
    return std::nullopt;
  }

  std::atomic<int> handler_calls_{0};
  std::atomic<int> decorated_{0};
  std::atomic<bool> slow_started_{false};
  std::mutex mu_;
  std::vector<AccessRecord> log_;
  // Last, so it is destroyed first: its shutdown still calls the callbacks above.
  std::unique_ptr<Server> server_;
};

// Polls `condition` for up to two seconds.
template <typename Condition>
bool Eventually(Condition condition) {
  const Clock::time_point deadline = Clock::now() + 2s;
  while (!condition()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

bool IsRequestId(const std::string& id) {
  return id.size() == 16 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

TEST_F(ServerTest, GetIsAnsweredWithHandlerBodyAndRequestId) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "hello");
  EXPECT_EQ(reply->header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(reply->header("Content-Length"), "5");
  EXPECT_TRUE(IsRequestId(reply->header("X-Request-Id"))) << reply->header("X-Request-Id");
  EXPECT_EQ(reply->header("X-Decorated"), "yes");

  const auto record = WaitForLog(1);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->request_id, reply->header("X-Request-Id"));
  EXPECT_EQ(record->method, Method::kGet);
  EXPECT_EQ(record->route, "/hello");
  EXPECT_EQ(record->status, 200);
  EXPECT_GE(record->latency_ms, 0);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  const auto first = client.Read();
  ASSERT_TRUE(client.Send(Get("/query?q=two+words")));
  const auto second = client.Read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, "hello");
  EXPECT_EQ(second->body, "two words");
  EXPECT_NE(first->header("X-Request-Id"), second->header("X-Request-Id"));
  EXPECT_TRUE(Eventually([&] { return server_->open_connections() == 1; }));
}

TEST_F(ServerTest, ContentLengthOverLimitIs413AtOnceWithoutReadingBody) {
  Client client(server_->port());
  const Clock::time_point start = Clock::now();
  // Only the header is sent: the answer must not wait for 20 MB that never come.
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 20971520\r\n"
                  "Content-Type: application/octet-stream\r\n\r\n"));
  const auto reply = client.Read(false, 1000ms);
  ASSERT_TRUE(reply);
  EXPECT_LT(MillisSince(start), 150);
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(reply->header("Connection"), "close");
  EXPECT_TRUE(IsRequestId(reply->header("X-Request-Id")));
  EXPECT_EQ(reply->header("X-Decorated"), "yes");
  EXPECT_EQ(handler_calls_, 0);
  EXPECT_TRUE(client.WaitClosed(2000ms));
  const auto record = WaitForLog(1);
  ASSERT_TRUE(record);
  EXPECT_EQ(record->status, 413);
  EXPECT_EQ(record->route, "-");
}

TEST_F(ServerTest, ChunkedBodyOverLimitIs413) {
  Client client(server_->port());
  const std::string chunk(1500, 'x');  // body_limit is 1024.
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5dc\r\n" +
                  chunk + "\r\n0\r\n\r\n"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 413);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerTest, ChunkedBodyWithinLimitReachesHandler) {
  Client client(server_->port());
  ASSERT_TRUE(
      client.Send("POST /echo HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "abcde");
}

TEST_F(ServerTest, ExpectContinueGets100ThenTheAnswer) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(
      "POST /echo HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = client.Read();
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(client.Send("ping"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "ping");
}

TEST_F(ServerTest, SilentClientIsDisconnectedAfterHeaderTimeout) {
  Client client(server_->port());
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(client.WaitClosed(2000ms));
  EXPECT_GE(MillisSince(start), 150);
  EXPECT_LT(MillisSince(start), 1000);
  EXPECT_EQ(client.buffered(), 0u);  // Closed without an answer.
}

TEST_F(ServerTest, HalfHeaderIsDisconnectedAfterHeaderTimeout) {
  Client client(server_->port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(client.Send("GET /hello HTTP/1.1\r\nHost: te"));
  EXPECT_TRUE(client.WaitClosed(2000ms));
  EXPECT_GE(MillisSince(start), 150);
  EXPECT_LT(MillisSince(start), 1000);
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerTest, IdleKeepAliveIsClosedAfterIdleTimeout) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello")));
  ASSERT_TRUE(client.Read());
  const Clock::time_point start = Clock::now();
  EXPECT_TRUE(client.WaitClosed(2000ms));
  EXPECT_GE(MillisSince(start), 250);  // idle_timeout is 300 ms.
  EXPECT_LT(MillisSince(start), 1500);
}

TEST_F(ServerTest, SlowHandlerDoesNotDelayAnotherClient) {
  Client slow(server_->port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  WaitUntilSlowStarted();
  Client fast(server_->port());
  const Clock::time_point start = Clock::now();
  ASSERT_TRUE(fast.Send(Get("/hello")));
  const auto reply = fast.Read();
  const double elapsed = MillisSince(start);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_LT(elapsed, 100);
  const auto slow_reply = slow.Read();
  ASSERT_TRUE(slow_reply);
  EXPECT_EQ(slow_reply->body, "slow");
}

TEST_F(ServerTest, ShutdownAnswersInFlightRequestThenRefusesConnections) {
  Client idle(server_->port());
  ASSERT_TRUE(idle.Send(Get("/hello")));
  ASSERT_TRUE(idle.Read());
  Client slow(server_->port());
  ASSERT_TRUE(slow.Send(Get("/slow")));
  WaitUntilSlowStarted();
  EXPECT_TRUE(Eventually([&] { return server_->requests_in_flight() == 1; }));

  const Clock::time_point start = Clock::now();
  server_->Shutdown(2000ms);
  EXPECT_GE(MillisSince(start), 150);  // It waited for the handler.
  EXPECT_LT(MillisSince(start), 1500);

  // The answer was written before Shutdown returned: it is waiting in the socket.
  const auto reply = slow.Read(false, 20ms);
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 200);
  EXPECT_EQ(reply->body, "slow");
  EXPECT_EQ(reply->header("Connection"), "close");
  EXPECT_TRUE(slow.WaitClosed(100ms));
  EXPECT_TRUE(idle.WaitClosed(100ms));
  EXPECT_EQ(server_->open_connections(), 0);
  EXPECT_EQ(server_->requests_in_flight(), 0);

  Client late(server_->port());
  EXPECT_FALSE(late.connected());
  server_->Shutdown();  // A second call is harmless.
}

TEST_F(ServerTest, HandlerThatThrowsGets500) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/throw")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 500);
  EXPECT_EQ(reply->header("X-Decorated"), "yes");
  EXPECT_TRUE(IsRequestId(reply->header("X-Request-Id")));
}

TEST_F(ServerTest, PathIsPercentDecoded) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/path/a%20b+c?x=1")));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->body, "/path/a b+c");
}

TEST_F(ServerTest, MalformedPercentEscapeOrNulIs400) {
  for (const char* target : {"/path/a%zz", "/path/a%2", "/path/a%00b", "relative"}) {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get(target)));
    const auto reply = client.Read();
    ASSERT_TRUE(reply) << target;
    EXPECT_EQ(reply->status, 400) << target;
    EXPECT_TRUE(IsRequestId(reply->header("X-Request-Id")));
  }
  EXPECT_EQ(handler_calls_, 0);
}

TEST_F(ServerTest, MalformedRequestLineIs400AndDecorated) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send("NOT A REQUEST\r\n\r\n"));
  const auto reply = client.Read();
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, 400);
  EXPECT_EQ(reply->header("X-Decorated"), "yes");
  EXPECT_TRUE(IsRequestId(reply->header("X-Request-Id")));
  EXPECT_TRUE(client.WaitClosed(1000ms));
}

TEST_F(ServerTest, HeadHasNoBody) {
  Client client(server_->port());
  ASSERT_TRUE(client.Send(Get("/hello", "HEAD")));
  const auto head = client.Read(/*head=*/true);
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->header("Content-Length"), "5");
  // Were there a body, it would be read as the start of the next answer.
  ASSERT_TRUE(client.Send(Get("/hello")));
  const auto get = client.Read();
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->body, "hello");
}

TEST_F(ServerTest, DecorateSeesEveryResponse) {
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send(Get("/hello")));
    ASSERT_TRUE(client.Read());
  }
  {
    Client client(server_->port());
    ASSERT_TRUE(client.Send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999\r\n\r\n"));
    const auto reply = client.Read();
    ASSERT_TRUE(reply);
    EXPECT_EQ(reply->status, 413);
    EXPECT_EQ(reply->header("X-Decorated"), "yes");
  }
  EXPECT_EQ(decorated_, 2);
}

TEST(ServerStartTest, MalformedListenIsInvalidArgument) {
  for (const char* listen : {"nonsense", "127.0.0.1", "127.0.0.1:", "127.0.0.1:99999",
                             "127.0.0.1:80a", "::1:80", "[::1", "[::1]80", "example.org:80"}) {
    ServerOptions options;
    options.listen = listen;
    auto server = Server::Start(options, [](Request&) { return Response(); });
    ASSERT_FALSE(server.ok()) << listen;
    EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument) << listen;
    EXPECT_EQ(server.status().field(), "listen");
  }
}

TEST(ServerStartTest, BusyAddressIsUnavailable) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  auto first = Server::Start(options, [](Request&) { return Response(); });
  ASSERT_TRUE(first.ok());
  options.listen = "127.0.0.1:" + std::to_string((*first)->port());
  auto second = Server::Start(options, [](Request&) { return Response(); });
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(second.status().message().find(options.listen), std::string::npos);
}

TEST(ServerStartTest, ListensOnIpv6Loopback) {
  ServerOptions options;
  options.listen = "[::1]:0";
  auto server = Server::Start(options, [](Request&) { return Response(); });
  if (!server.ok()) GTEST_SKIP() << "no IPv6 loopback: " << server.status().ToString();
  EXPECT_GT((*server)->port(), 0);
}

}  // namespace
}  // namespace tendon::http
