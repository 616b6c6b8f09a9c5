#include "prod/ctl/elect_report.h"

#include <ostream>

#include "prod/ctl/json_string.h"

namespace vipcast::ctl {
namespace {

std::string JoinIps(const std::vector<core::IpAddr>& ips, const char* separator) {
  std::string out;
  for (const auto& ip : ips) {
    if (!out.empty()) out += separator;
    out += ip.ToString();
  }
  return out;
}

std::string JsonOptional(const std::optional<std::string>& value) {
  return value ? JsonString(*value) : "null";
}

}  // namespace

void PrintElectText(const ElectReport& report, std::ostream& out) {
  out << "live members:";
  if (report.members.empty()) out << " (none)";
  for (const auto& m : report.members) out << " " << m;
  out << "\n";
  for (const auto& [r, source] : report.services) {
    out << "\n" << r.service << "  " << JoinIps(r.ips, ",") << "  (" << source;
    if (!r.pool.empty()) out << ", pool " << r.pool;
    out << ")\n";
    if (r.winner) {
      out << "  announced by " << *r.winner << "\n";
    } else {
      out << "  not announced: " << election::Describe(r.status, r.pool) << "\n";
    }
    if (!r.candidates.empty()) {
      out << "  candidates, in election order:\n";
      for (size_t i = 0; i < r.candidates.size(); ++i) {
        const auto& c = r.candidates[i];
        out << "    " << i + 1 << ". " << c.node;
        if (c.score != 0) out << "  (preference score " << c.score << ")";
        if (i == 0) out << "  <- announces";
        if (i == 1) out << "  <- next in line";
        out << "\n";
      }
    }
    if (!r.excluded.empty()) {
      out << "  excluded:\n";
      for (const auto& e : r.excluded) {
        out << "    " << e.node << ": " << election::Describe(e.reason, r.pool) << "\n";
      }
    }
  }
  if (!report.unassigned.empty()) {
    out << "\nwithout an IP (not elected):\n";
    for (const auto& u : report.unassigned) out << "  " << u.service << ": " << u.reason << "\n";
  }
}

void PrintElectJson(const ElectReport& report, std::ostream& out) {
  out << "{\n  \"members\": [";
  for (size_t i = 0; i < report.members.size(); ++i) {
    out << (i ? ", " : "") << JsonString(report.members[i]);
  }
  out << "],\n  \"services\": [";
  for (size_t s = 0; s < report.services.size(); ++s) {
    const auto& [r, source] = report.services[s];
    out << (s ? "," : "") << "\n    {\"service\": " << JsonString(r.service) << ", \"ips\": [";
    for (size_t i = 0; i < r.ips.size(); ++i) {
      out << (i ? ", " : "") << JsonString(r.ips[i].ToString());
    }
    out << "], \"ip_source\": " << JsonString(source)
        << ", \"pool\": " << (r.pool.empty() ? "null" : JsonString(r.pool))
        << ", \"status\": " << JsonString(std::string(election::Code(r.status)))
        << ", \"status_detail\": " << JsonString(election::Describe(r.status, r.pool))
        << ", \"winner\": " << JsonOptional(r.winner)
        << ", \"next_in_line\": " << JsonOptional(r.next_in_line) << ",\n     \"candidates\": [";
    for (size_t i = 0; i < r.candidates.size(); ++i) {
      out << (i ? ", " : "") << "{\"node\": " << JsonString(r.candidates[i].node)
          << ", \"score\": " << r.candidates[i].score << "}";
    }
    out << "],\n     \"excluded\": [";
    for (size_t i = 0; i < r.excluded.size(); ++i) {
      const auto& e = r.excluded[i];
      out << (i ? ",\n       " : "") << "{\"node\": " << JsonString(e.node)
          << ", \"reason\": " << JsonString(std::string(election::Code(e.reason)))
          << ", \"detail\": " << JsonString(election::Describe(e.reason, r.pool)) << "}";
    }
    out << "]}";
  }
  out << "\n  ],\n  \"unassigned\": [";
  for (size_t i = 0; i < report.unassigned.size(); ++i) {
    out << (i ? ", " : "") << "{\"service\": " << JsonString(report.unassigned[i].service)
        << ", \"reason\": " << JsonString(report.unassigned[i].reason) << "}";
  }
  out << "]\n}\n";
}

}  // namespace vipcast::ctl
