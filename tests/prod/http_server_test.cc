// The /metrics, /healthz, /readyz endpoint: routing (no sockets), then the
// Beast server on 127.0.0.1 port 0 driven by raw socket clients: every path,
// wrong methods, garbage and oversized requests, keep-alive, a slow client
// not blocking others, many clients at once, the connection cap, bind
// errors and Stop(). The server's io_context runs on one thread of the
// test; the clients are blocking sockets with receive timeouts, so every
// wait is bounded and nothing is asserted about elapsed time.
#include "prod/common/http_server.h"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "engine/core/ip.h"
#include "prod/common/http_routes.h"

namespace vipcast::prod {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// ------------------------------------------------------------- routing

HttpEndpoints FixedEndpoints(std::string reason) {
  return {[] { return std::string("m 1\n"); }, [reason] { return reason; }};
}

TEST(HttpRoutesTest, AnswersEachPath) {
  const HttpEndpoints e = FixedEndpoints("");
  HttpReply r = Route("GET", "/metrics", e);
  EXPECT_EQ(r.status, 200u);
  EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(r.body, "m 1\n");
  EXPECT_EQ(Route("GET", "/metrics?name[]=x", e).status, 200u);
  EXPECT_EQ(Route("GET", "/healthz", e).body, "ok");
  EXPECT_EQ(Route("GET", "/readyz", e).status, 200u);
  EXPECT_EQ(Route("GET", "/", e).status, 404u);
  EXPECT_EQ(Route("GET", "/metricsx", e).status, 404u);
  r = Route("POST", "/metrics", e);
  EXPECT_EQ(r.status, 405u);
  EXPECT_EQ(r.allow, "GET");
  EXPECT_EQ(Route("DELETE", "/nothing", e).status, 404u);
}

TEST(HttpRoutesTest, ReadyzGivesTheReason) {
  const HttpReply r = Route("GET", "/readyz", FixedEndpoints("no configuration accepted yet"));
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.body, "not ready: no configuration accepted yet\n");
  EXPECT_EQ(Route("GET", "/healthz", FixedEndpoints("x")).status, 200u);
}

TEST(HttpRoutesTest, MetricsWithoutARegistryIsNotFound) {
  EXPECT_EQ(Route("GET", "/metrics", HttpEndpoints{}).status, 404u);
  EXPECT_EQ(Route("GET", "/readyz", HttpEndpoints{}).status, 200u);
}

// ------------------------------------------------------------- server

// A server on 127.0.0.1:0 whose loop runs on a thread of its own.
class ServerFixture {
 public:
  explicit ServerFixture(HttpServerOptions options = {}) {
    HttpEndpoints endpoints;
    endpoints.metrics = [this] {
      ++scrapes_;
      return std::string("# TYPE up gauge\nup 1\n");
    };
    endpoints.not_ready_reason = [this] {
      return ready_ ? std::string() : std::string("runtime not started");
    };
    server_ = std::make_unique<HttpServer>(io_, options, std::move(endpoints));
    // Run() must work even if Listen failed and nothing else is pending.
    error_ = server_->Listen({*core::IpAddr::Parse("127.0.0.1"), 0});
    port_ = server_->port();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ServerFixture() {
    std::promise<void> stopped;
    asio::post(io_, [&] {
      server_->Stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    io_.stop();
    thread_.join();
  }

  // Runs `f` on the loop's thread and waits for it.
  template <typename F>
  auto Run(F f) {
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(io_, [&task] { task(); });
    return result.get();
  }

  uint16_t port() const { return port_; }
  const std::string& error() const { return error_; }
  void set_ready(bool ready) { ready_ = ready; }
  int scrapes() const { return scrapes_; }
  size_t open_connections() {
    return Run([this] { return server_->open_connections(); });
  }

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<HttpServer> server_;
  std::string error_;
  uint16_t port_ = 0;
  std::atomic<bool> ready_{false};
  std::atomic<int> scrapes_{0};
  std::thread thread_;
};

// A blocking client socket; every receive gives up after 5 s so that a
// broken server fails the test instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) : socket_(io_) {
    boost::system::error_code ec;
    socket_.connect({asio::ip::make_address("127.0.0.1"), port}, ec);
    connected_ = !ec;
    timeval tv{5, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  // Reads until the server closes (or the receive timeout).
  std::string ReadAll() {
    std::string out;
    char buffer[4096];
    for (;;) {
      boost::system::error_code ec;
      const size_t n = socket_.read_some(asio::buffer(buffer), ec);
      out.append(buffer, n);
      if (ec) {
        last_error_ = ec;
        return out;
      }
    }
  }
  // Reads one response whose body length is given by Content-Length.
  std::string ReadResponse() {
    std::string out;
    char c;
    while (out.find("\r\n\r\n") == std::string::npos) {
      boost::system::error_code ec;
      if (socket_.read_some(asio::buffer(&c, 1), ec) != 1 || ec) return out;
      out.push_back(c);
    }
    const size_t at = out.find("Content-Length: ");
    size_t length = at == std::string::npos ? 0 : std::stoul(out.substr(at + 16));
    while (length-- > 0) {
      boost::system::error_code ec;
      if (socket_.read_some(asio::buffer(&c, 1), ec) != 1 || ec) return out;
      out.push_back(c);
    }
    return out;
  }
  boost::system::error_code last_error() const { return last_error_; }

 private:
  asio::io_context io_;
  tcp::socket socket_;
  bool connected_ = false;
  boost::system::error_code last_error_;
};

std::string Get(uint16_t port, const std::string& target, const std::string& method = "GET") {
  Client c(port);
  c.Send(method + " " + target + " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  return c.ReadAll();
}

bool StartsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

TEST(HttpServerTest, ServesEveryPath) {
  ServerFixture s;
  ASSERT_EQ(s.error(), "");
  ASSERT_NE(s.port(), 0);
  std::string r = Get(s.port(), "/metrics");
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_NE(r.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos)
      << r;
  EXPECT_NE(r.find("\r\n\r\n# TYPE up gauge\nup 1\n"), std::string::npos) << r;
  EXPECT_EQ(s.scrapes(), 1);

  r = Get(s.port(), "/healthz");
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
  EXPECT_NE(r.find("\r\n\r\nok"), std::string::npos) << r;

  r = Get(s.port(), "/readyz");
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 503 Service Unavailable\r\n")) << r;
  EXPECT_NE(r.find("not ready: runtime not started"), std::string::npos) << r;
  s.set_ready(true);
  EXPECT_TRUE(StartsWith(Get(s.port(), "/readyz"), "HTTP/1.1 200 OK\r\n"));

  EXPECT_TRUE(StartsWith(Get(s.port(), "/nope"), "HTTP/1.1 404 Not Found\r\n"));
  r = Get(s.port(), "/metrics", "POST");
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 405 Method Not Allowed\r\n")) << r;
  EXPECT_NE(r.find("Allow: GET\r\n"), std::string::npos) << r;
  EXPECT_TRUE(StartsWith(Get(s.port(), "/healthz", "DELETE"), "HTTP/1.1 405"));
  EXPECT_EQ(s.scrapes(), 1);
}

TEST(HttpServerTest, AnswersGarbageWith400AndCloses) {
  ServerFixture s;
  Client c(s.port());
  c.Send("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n");
  const std::string r = c.ReadAll();
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 400 Bad Request\r\n")) << r;
  EXPECT_NE(r.find("Connection: close\r\n"), std::string::npos) << r;
  // The server is still fine.
  EXPECT_TRUE(StartsWith(Get(s.port(), "/healthz"), "HTTP/1.1 200"));
}

TEST(HttpServerTest, RefusesOversizedRequests) {
  HttpServerOptions o;
  o.max_request_bytes = 1024;
  ServerFixture s(o);
  Client big_header(s.port());
  big_header.Send("GET /metrics HTTP/1.1\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n");
  std::string r = big_header.ReadAll();
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 431")) << r;

  Client big_body(s.port());
  big_body.Send("GET /metrics HTTP/1.1\r\nContent-Length: 100000\r\n\r\n" + std::string(2000, 'b'));
  r = big_body.ReadAll();
  EXPECT_TRUE(StartsWith(r, "HTTP/1.1 413")) << r;
  EXPECT_EQ(s.scrapes(), 0);
}

TEST(HttpServerTest, KeepsTheConnectionAliveBetweenScrapes) {
  ServerFixture s;
  Client c(s.port());
  for (int i = 0; i < 3; ++i) {
    c.Send("GET /metrics HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string r = c.ReadResponse();
    EXPECT_TRUE(StartsWith(r, "HTTP/1.1 200 OK\r\n")) << r;
    EXPECT_NE(r.find("up 1\n"), std::string::npos) << r;
  }
  EXPECT_EQ(s.scrapes(), 3);
  // HTTP/1.0 without keep-alive: one answer, then the server closes.
  c.Send("GET /healthz HTTP/1.0\r\n\r\n");
  const std::string r = c.ReadAll();
  EXPECT_TRUE(StartsWith(r, "HTTP/1.0 200 OK\r\n")) << r;
  EXPECT_EQ(c.last_error(), asio::error::eof);
}

TEST(HttpServerTest, SlowClientDoesNotBlockOthersAndTimesOut) {
  HttpServerOptions o;
  o.timeout = std::chrono::milliseconds(300);
  ServerFixture s(o);
  Client slow(s.port());
  ASSERT_TRUE(slow.connected());
  slow.Send("GET /metr");  // and nothing more
  // Others are served while the slow request is pending.
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(StartsWith(Get(s.port(), "/healthz"), "HTTP/1.1 200")) << i;
  }
  // The slow client is dropped by the server's deadline, without an answer
  // (the receive timeout of 5 s is far beyond the server's 300 ms).
  const std::string r = slow.ReadAll();
  EXPECT_EQ(r, "");
  EXPECT_TRUE(slow.last_error() == asio::error::eof ||
              slow.last_error() == asio::error::connection_reset)
      << slow.last_error().message();
  EXPECT_EQ(s.open_connections(), 0u);
}

TEST(HttpServerTest, ServesManyClientsAtOnce) {
  ServerFixture s;
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < 40; ++i) {
    clients.push_back(std::make_unique<Client>(s.port()));
    ASSERT_TRUE(clients.back()->connected()) << i;
  }
  // All requests go out before any answer is read.
  for (auto& c : clients) c->Send("GET /metrics HTTP/1.1\r\nConnection: close\r\n\r\n");
  for (auto& c : clients) EXPECT_TRUE(StartsWith(c->ReadAll(), "HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(s.scrapes(), 40);
}

TEST(HttpServerTest, ClosesConnectionsBeyondTheCap) {
  HttpServerOptions o;
  o.max_connections = 2;
  ServerFixture s(o);
  Client a(s.port());
  Client b(s.port());
  a.Send("GET /hea");
  b.Send("GET /hea");
  // Wait (bounded) until both are accepted.
  for (int i = 0; i < 500 && s.open_connections() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(s.open_connections(), 2u);
  Client c(s.port());
  c.Send("GET /healthz HTTP/1.1\r\n\r\n");
  EXPECT_EQ(c.ReadAll(), "");  // closed without an answer
  // The two accepted ones still complete.
  a.Send("lthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  b.Send("lthz HTTP/1.1\r\nConnection: close\r\n\r\n");
  EXPECT_TRUE(StartsWith(a.ReadAll(), "HTTP/1.1 200"));
  EXPECT_TRUE(StartsWith(b.ReadAll(), "HTTP/1.1 200"));
  // And once they are gone, new clients are served again.
  EXPECT_TRUE(StartsWith(Get(s.port(), "/healthz"), "HTTP/1.1 200"));
}

TEST(HttpServerTest, ReportsBindErrors) {
  ServerFixture first;
  ASSERT_EQ(first.error(), "");
  asio::io_context io;
  HttpServer second(io, {}, FixedEndpoints(""));
  const std::string error = second.Listen({*core::IpAddr::Parse("127.0.0.1"), first.port()});
  EXPECT_EQ(error, "bind 127.0.0.1:" + std::to_string(first.port()) + ": Address already in use");
  EXPECT_EQ(second.port(), 0);
  HttpServer third(io, {}, FixedEndpoints(""));
  // TEST-NET-1 (RFC 5737) is not an address of this host.
  EXPECT_EQ(third.Listen({*core::IpAddr::Parse("192.0.2.1"), 0}),
            "bind 192.0.2.1:0: Cannot assign requested address");
}

TEST(HttpServerTest, StopClosesTheListenerAndConnections) {
  asio::io_context io;
  HttpServer server(io, {}, FixedEndpoints(""));
  ASSERT_EQ(server.Listen({*core::IpAddr::Parse("127.0.0.1"), 0}), "");
  const uint16_t port = server.port();
  std::thread loop([&io] { io.run(); });
  Client idle(port);
  idle.Send("GET /hea");
  for (int i = 0; i < 500; ++i) {
    std::promise<size_t> open;
    asio::post(io, [&] { open.set_value(server.open_connections()); });
    if (open.get_future().get() == 1) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::promise<void> stopped;
  asio::post(io, [&] {
    server.Stop();
    stopped.set_value();
  });
  stopped.get_future().wait();
  EXPECT_EQ(idle.ReadAll(), "");
  Client late(port);
  EXPECT_FALSE(late.connected());
  io.stop();
  loop.join();
}

}  // namespace
}  // namespace vipcast::prod
