// What vipcast's HTTP endpoint answers, apart from the transport
// (http_server.h), so that it can be tested without sockets:
//   GET /metrics  200, Prometheus text format 0.0.4
//   GET /healthz  200 "ok" while the process runs (liveness: the event loop
//                 answered)
//   GET /readyz   200 "ok" once ready, else 503 with the reason (readiness:
//                 the first configuration was accepted and the engine runs)
// Other paths are 404; other methods on a known path are 405 with
// `Allow: GET`. The query string is ignored (Prometheus may add one).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace vipcast::prod {

inline constexpr std::string_view kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

struct HttpEndpoints {
  // Body of /metrics; empty function: 404.
  std::function<std::string()> metrics;
  // Why the process is not ready; empty string (or no function): ready.
  std::function<std::string()> not_ready_reason;
};

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string allow;  // the Allow header of a 405; empty otherwise
};

HttpReply Route(std::string_view method, std::string_view target, const HttpEndpoints& endpoints);

}  // namespace vipcast::prod
