#include "prod/controller/status_yaml.h"

#include "prod/common/json_escape.h"

namespace vipcast::controller_main {
namespace {

// YAML 1.2 double-quoted scalars accept every JSON string escape, so a JSON
// string literal is a safe YAML scalar whatever the name holds.
std::string Quoted(std::string_view text) {
  std::string out;
  prod::AppendJsonString(out, text);
  return out;
}

// A comment must stay on its line.
std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

std::string RenderStatusYaml(const std::vector<ipam::ServiceResult>& results) {
  std::string out =
      "# Written by vipcast-controller; do not edit. Read by vipcast-speaker --status.\n";
  for (const ipam::ServiceResult& r : results) {
    const size_t slash = r.service.find('/');
    const std::string ns = slash == std::string::npos ? "" : r.service.substr(0, slash);
    const std::string name = slash == std::string::npos ? r.service : r.service.substr(slash + 1);
    if (r.pending()) {
      out += "# pending " + OneLine(r.service) + ": " + OneLine(r.pending_reason) + "\n";
      continue;
    }
    out += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: " + Quoted(name) + "\n";
    if (!ns.empty()) out += "  namespace: " + Quoted(ns) + "\n";
    out += "  annotations:\n    metallb.io/ip-allocated-from-pool: " + Quoted(r.pool) + "\n";
    out += "spec:\n  type: LoadBalancer\nstatus:\n  loadBalancer:\n    ingress:\n";
    for (const core::IpAddr& ip : r.ips) out += "    - ip: " + Quoted(ip.ToString()) + "\n";
  }
  return out;
}

}  // namespace vipcast::controller_main
