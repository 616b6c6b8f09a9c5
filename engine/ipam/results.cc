#include "engine/ipam/results.h"

#include "engine/ipam/service_request.h"

namespace vipcast::ipam {

std::string_view ToString(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kAssigned:
      return "assigned";
    case ChangeKind::kMoved:
      return "moved";
    case ChangeKind::kReleased:
      return "released";
    case ChangeKind::kPending:
      return "pending";
  }
  return "?";
}

std::string Change::ToString() const {
  std::string out = std::string(ipam::ToString(kind)) + " " + service;
  switch (kind) {
    case ChangeKind::kAssigned:
    case ChangeKind::kMoved: {
      out += " ";
      if (!old_ips.empty()) out += IpsText(old_ips) + " -> ";
      out += IpsText(ips) + " pool=";
      if (!old_pool.empty() && old_pool != pool) out += old_pool + " -> ";
      out += pool;
      break;
    }
    case ChangeKind::kReleased:
      out += " " + IpsText(old_ips) + " pool=" + old_pool;
      break;
    case ChangeKind::kPending:
      out += ": " + reason;
      if (!old_ips.empty()) out += " (released " + IpsText(old_ips) + ")";
      break;
  }
  return out;
}

}  // namespace vipcast::ipam
