#include "prod/common/http_routes.h"

namespace vipcast::prod {
namespace {

HttpReply Text(unsigned status, std::string body) {
  HttpReply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

HttpReply Route(std::string_view method, std::string_view target, const HttpEndpoints& endpoints) {
  const std::string_view path = target.substr(0, target.find('?'));
  const bool known = path == "/healthz" || path == "/readyz" ||
                     (path == "/metrics" && static_cast<bool>(endpoints.metrics));
  if (!known) return Text(404, "not found\n");
  if (method != "GET") {
    HttpReply r = Text(405, "method not allowed\n");
    r.allow = "GET";
    return r;
  }
  if (path == "/healthz") return Text(200, "ok");
  if (path == "/readyz") {
    std::string reason = endpoints.not_ready_reason ? endpoints.not_ready_reason() : std::string();
    if (reason.empty()) return Text(200, "ok");
    return Text(503, "not ready: " + reason + "\n");
  }
  HttpReply r = Text(200, endpoints.metrics());
  r.content_type = std::string(kMetricsContentType);
  return r;
}

}  // namespace vipcast::prod
