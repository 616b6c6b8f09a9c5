// HttpServer: a small HTTP/1.1 server (Boost.Beast) on the runtime's
// io_context for /metrics, /healthz and /readyz (http_routes.h). No threads:
// every handler runs on the caller's event loop, so the endpoints read the
// registry and the process state without locks.
//
// A client can neither crash nor stall the loop:
//  - each request (headers and body) must arrive within `timeout`, and each
//    response be taken within `timeout`, else the connection is closed
//    (slow clients, slowloris);
//  - a request larger than `max_request_bytes` gets 431/413 and is closed,
//    garbage gets 400 and is closed;
//  - at most `max_connections` connections are open; further ones are
//    closed at once (their peers see a reset or EOF);
//  - all I/O is asynchronous; errors are values (error_code), never
//    exceptions.
// Keep-alive is honoured (Prometheus reuses its connection between scrapes).
//
// Invariants: after Stop() or destruction, no handler reaches the
// HttpEndpoints (pending operations complete with operation_aborted and
// only release their own state).
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "engine/core/io.h"
#include "prod/common/http_routes.h"

namespace vipcast::prod {

struct HttpServerOptions {
  std::chrono::milliseconds timeout{10000};
  size_t max_request_bytes = 8192;
  size_t max_connections = 64;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpEndpoints endpoints);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and listens on `local` (port 0: any free port) and starts
  // accepting; returns the error text, empty on success. Called once.
  std::string Listen(const core::Endpoint& local);
  // The bound port (after a successful Listen), 0 otherwise.
  uint16_t port() const;
  // Closes the listener and every open connection.
  void Stop();
  size_t open_connections() const;

  struct Shared;  // state shared with the connections (http_server.cc)

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace vipcast::prod
