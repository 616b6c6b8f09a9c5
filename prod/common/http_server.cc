#include "prod/common/http_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <optional>
#include <set>
#include <utility>

namespace vipcast::prod {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

namespace {
// After a failed accept (EMFILE, ENOBUFS), wait before the next one rather
// than spinning on the same error.
constexpr auto kAcceptRetry = std::chrono::milliseconds(100);
class Connection;
}  // namespace

struct HttpServer::Shared {
  Shared(asio::io_context& io, HttpServerOptions o, HttpEndpoints e)
      : acceptor(io), retry(io), options(o), endpoints(std::move(e)) {}
  tcp::acceptor acceptor;
  asio::steady_timer retry;
  HttpServerOptions options;
  HttpEndpoints endpoints;
  std::set<Connection*> open;
  bool stopped = false;
};

namespace {

// One client connection: read a request, answer, repeat while keep-alive.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<HttpServer::Shared> shared, tcp::socket socket)
      : shared_(std::move(shared)),
        stream_(std::move(socket)),
        buffer_(shared_->options.max_request_bytes) {
    shared_->open.insert(this);
  }
  ~Connection() { shared_->open.erase(this); }

  void Start() { Read(); }
  void Close() {
    error_code ignored;
    stream_.socket().close(ignored);
  }

 private:
  void Read() {
    if (shared_->stopped) return;
    parser_.emplace();
    parser_->header_limit(static_cast<uint32_t>(shared_->options.max_request_bytes));
    parser_->body_limit(shared_->options.max_request_bytes);
    // One deadline for the whole request: a client trickling bytes cannot
    // keep the connection past it.
    stream_.expires_after(shared_->options.timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(error_code ec) {
    if (shared_->stopped || ec == asio::error::operation_aborted) return;
    if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
        ec == asio::error::connection_reset) {
      Close();
      return;
    }
    if (ec) {
      // The request cannot be understood; say so once and hang up.
      unsigned status = 400;
      if (ec == http::error::header_limit || ec == http::error::buffer_overflow) status = 431;
      if (ec == http::error::body_limit) status = 413;
      HttpReply reply;
      reply.status = status;
      reply.body = status == 400 ? "bad request\n" : "request too large\n";
      Respond(reply, /*version=*/11, /*keep_alive=*/false);
      return;
    }
    const auto& request = parser_->get();
    const HttpReply reply = Route(
        std::string_view(request.method_string().data(), request.method_string().size()),
        std::string_view(request.target().data(), request.target().size()), shared_->endpoints);
    Respond(reply, request.version(), request.keep_alive());
  }

  void Respond(const HttpReply& reply, unsigned version, bool keep_alive) {
    response_ = {};
    response_.version(version == 10 ? 10 : 11);
    response_.result(reply.status);
    response_.set(http::field::content_type, reply.content_type);
    if (!reply.allow.empty()) response_.set(http::field::allow, reply.allow);
    response_.body() = reply.body;
    response_.keep_alive(keep_alive);
    response_.prepare_payload();
    stream_.expires_after(shared_->options.timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this(), keep_alive](error_code ec, size_t) {
                        self->OnWrite(ec, keep_alive);
                      });
  }

  void OnWrite(error_code ec, bool keep_alive) {
    if (ec || !keep_alive || shared_->stopped) {
      error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      Close();
      return;
    }
    Read();
  }

  std::shared_ptr<HttpServer::Shared> shared_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
};

void Accept(const std::shared_ptr<HttpServer::Shared>& shared) {
  if (shared->stopped) return;
  shared->acceptor.async_accept([shared](error_code ec, tcp::socket socket) {
    if (shared->stopped || ec == asio::error::operation_aborted) return;
    if (ec) {
      shared->retry.expires_after(kAcceptRetry);
      shared->retry.async_wait([shared](error_code wait_ec) {
        if (!wait_ec) Accept(shared);
      });
      return;
    }
    if (shared->open.size() >= shared->options.max_connections) {
      error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Connection>(shared, std::move(socket))->Start();
    }
    Accept(shared);
  });
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, HttpEndpoints endpoints)
    : shared_(std::make_shared<Shared>(io, options, std::move(endpoints))) {}

HttpServer::~HttpServer() { Stop(); }

std::string HttpServer::Listen(const core::Endpoint& local) {
  error_code ec;
  const asio::ip::address address = asio::ip::make_address(local.address.ToString(), ec);
  if (ec) return local.ToString() + ": " + ec.message();
  const tcp::endpoint endpoint(address, local.port);
  tcp::acceptor& acceptor = shared_->acceptor;
  if (acceptor.open(endpoint.protocol(), ec); ec) return "open: " + ec.message();
  // A restarted speaker must be able to bind while old connections of the
  // previous process linger in TIME_WAIT.
  if (acceptor.set_option(asio::socket_base::reuse_address(true), ec); ec) {
    return "SO_REUSEADDR: " + ec.message();
  }
  if (acceptor.bind(endpoint, ec); ec) {
    std::string error = "bind " + local.ToString() + ": " + ec.message();
    acceptor.close(ec);
    return error;
  }
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec) {
    std::string error = "listen " + local.ToString() + ": " + ec.message();
    acceptor.close(ec);
    return error;
  }
  Accept(shared_);
  return {};
}

uint16_t HttpServer::port() const {
  error_code ec;
  if (!shared_->acceptor.is_open()) return 0;
  const tcp::endpoint local = shared_->acceptor.local_endpoint(ec);
  return ec ? 0 : local.port();
}

void HttpServer::Stop() {
  shared_->stopped = true;
  error_code ignored;
  shared_->acceptor.close(ignored);
  shared_->retry.cancel();
  // Closing cancels each connection's pending operation; its handler sees
  // `stopped` and releases the connection.
  for (Connection* c : std::set<Connection*>(shared_->open)) c->Close();
}

size_t HttpServer::open_connections() const { return shared_->open.size(); }

}  // namespace vipcast::prod
