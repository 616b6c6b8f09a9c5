#include "engine/bgp/router.h"

#include <algorithm>
#include <set>

namespace vipcast::bgp {

Router::Router(core::Asn asn, core::RouterId router_id, uint16_t port)
    : asn_(asn), router_id_(router_id), sessions_(port) {}

void Router::SetPeers(core::TimePoint now, std::vector<SessionConfig> peers, core::Outbox& out) {
  for (auto& p : peers) {
    p.local.asn = asn_;
    p.local.router_id = router_id_;
  }
  sessions_.SetPeers(now, std::move(peers), out);
  Recompute(true);
  UpdateExports(now, out);
}

void Router::SetExports(core::TimePoint now, std::map<std::string, Export> exports,
                        core::Outbox& out) {
  for (const auto& [name, e] : exports_) {
    if (exports.count(name) == 0 && sessions_.Find(name) != nullptr) {
      sessions_.SetDesired(now, name, {}, out);
    }
  }
  exports_ = std::move(exports);
  UpdateExports(now, out);
}

void Router::UpdateExports(core::TimePoint now, core::Outbox& out) {
  for (const auto& [name, e] : exports_) {
    Session* session = sessions_.Find(name);
    if (session == nullptr) continue;
    RibOut desired = e.originated;
    if (e.fib) {
      const core::IpAddr& peer = session->config().remote.address;
      for (const auto& [prefix, hops] : fib_) {
        if (std::find(hops.begin(), hops.end(), peer) != hops.end()) continue;
        desired.emplace(prefix, RouteAttributes{});
      }
    }
    if (session->rib_out().desired() != desired) {
      sessions_.SetDesired(now, name, std::move(desired), out);
    }
  }
}

void Router::Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) {
  sessions_.Handle(now, input, out);
  Recompute(false);
  UpdateExports(now, out);
}

void Router::Advance(core::TimePoint now, core::Outbox& out) {
  sessions_.Advance(now, out);
  Recompute(false);
  UpdateExports(now, out);
}

bool Router::ResetSession(core::TimePoint now, const std::string& peer, uint8_t cease_subcode,
                          const std::string& reason, core::Outbox& out) {
  Session* session = sessions_.Find(peer);
  if (session == nullptr || session->connection_count() == 0) return false;
  session->Reset(now, cease_subcode, reason, out);
  Recompute(false);
  UpdateExports(now, out);
  return true;
}

void Router::Recompute(bool all) {
  std::set<core::Prefix> changed;
  for (const auto& [name, s] : sessions_.sessions()) {
    for (const auto& p : s->rib_in().DrainChanged()) changed.insert(p);
    if (all) {
      for (const auto& [p, r] : s->rib_in().routes()) changed.insert(p);
    }
  }
  if (all) {
    for (const auto& [p, nh] : fib_) changed.insert(p);
  }
  for (const auto& prefix : changed) {
    std::vector<Candidate> candidates;
    for (const auto& [name, s] : sessions_.sessions()) {
      auto it = s->rib_in().routes().find(prefix);
      if (it == s->rib_in().routes().end()) continue;
      auto c = MakeCandidate(name, it->second, s->peer_asn() != asn_, s->peer_router_id(), asn_);
      if (c) candidates.push_back(std::move(*c));
    }
    Selection sel = Select(candidates);
    auto old = fib_.find(prefix);
    if (sel.multipath.empty()) {
      if (old != fib_.end()) {
        fib_.erase(old);
        changes_.push_back({prefix, {}});
      }
    } else if (old == fib_.end() || old->second != sel.multipath) {
      fib_[prefix] = sel.multipath;
      changes_.push_back({prefix, sel.multipath});
    }
  }
}

}  // namespace vipcast::bgp
