// How `vipcastctl elect` prints its answer: a human-readable listing or JSON.
// Kept apart from the command so the formats can be read (and changed) on
// their own.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "engine/election/result.h"

namespace vipcast::ctl {

struct ElectedService {
  election::ElectionResult result;
  std::string ip_source;  // "status" (status.loadBalancer.ingress) or "allocated" (computed)
};

struct UnassignedService {
  std::string service;  // "namespace/name"
  std::string reason;   // why the allocator left it without an address
};

struct ElectReport {
  std::vector<std::string> members;  // the live members assumed, sorted
  std::vector<ElectedService> services;
  std::vector<UnassignedService> unassigned;
};

void PrintElectText(const ElectReport& report, std::ostream& out);
void PrintElectJson(const ElectReport& report, std::ostream& out);

}  // namespace vipcast::ctl
