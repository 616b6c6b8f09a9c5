#include "engine/speaker/l2_speaker.h"

#include <algorithm>
#include <utility>

#include "engine/election/exclusion.h"
#include "engine/speaker/announce_interfaces.h"

namespace vipcast::speaker {

using core::TimePoint;

namespace {

constexpr char kAnnouncedMetric[] = "vipcast_speaker_announced_vips";

}  // namespace

L2Speaker::L2Speaker(L2SpeakerOptions options, core::Rng& rng)
    : options_(std::move(options)),
      membership_(options_.membership, rng),
      election_(options_.election),
      responder_(options_.responder) {
  // The table always holds this node; nobody else is known yet.
  for (const membership::MemberView& m : membership_.Members()) {
    if (membership::IsActive(m.state)) live_.insert(m.name);
  }
  election_.SetMembers(live_);
}

std::vector<core::IpAddr> L2Speaker::AnnouncedVips() const {
  std::vector<core::IpAddr> out;
  out.reserve(owned_.size());
  for (const auto& [vip, owned] : owned_) out.push_back(vip);
  return out;
}

void L2Speaker::Start(TimePoint now) {
  if (started_) return;
  started_ = true;
  grace_end_ = now + options_.join_grace;
  settled_ = options_.membership.seeds.empty();
}

void L2Speaker::Handle(TimePoint now, const core::Input& input, core::Outbox& out) {
  Start(now);
  if (std::holds_alternative<core::DatagramReceived>(input)) {
    membership_.Handle(now, input, out);
    SyncMembership(now, out);
  } else if (std::holds_alternative<core::FrameReceived>(input) ||
             std::holds_alternative<core::InterfacesChanged>(input)) {
    responder_.Handle(now, input, out);
  } else if (const auto* c = std::get_if<core::ConfigApplied>(&input)) {
    if (c->config == nullptr) return;
    config_ = c->config;
    election_.SetConfig(*config_);
    RecomputeAll();
    Apply(now, out);
  } else if (const auto* s = std::get_if<core::ServicesChanged>(&input)) {
    if (s->services == nullptr) return;
    services_ = s->services;
    service_index_.clear();
    for (const config::Service& service : services_->services) {
      service_index_.emplace(service.meta.Key(), &service);
    }
    election_.SetServices(*services_);
    RecomputeAll();
    Apply(now, out);
  } else if (const auto* n = std::get_if<core::NodesChanged>(&input)) {
    if (n->nodes == nullptr) return;
    nodes_ = n->nodes;
    self_node_ = nullptr;
    for (const config::Node& node : nodes_->nodes) {
      if (node.meta.name == self().str()) self_node_ = &node;
    }
    election_.SetNodes(*nodes_);
    RecomputeAll();
    Apply(now, out);
  } else if (std::holds_alternative<core::ShutdownRequested>(input)) {
    if (shut_down_) return;
    shut_down_ = true;
    // Leave first, so the departure is on its way before our answers stop:
    // the others take over as soon as they hear it, not after detection.
    membership_.Handle(now, input, out);
    wanted_.clear();
    Apply(now, out);
    SyncMembership(now, out);
  }
}

void L2Speaker::Advance(TimePoint now, core::Outbox& out) {
  Start(now);
  membership_.Advance(now, out);
  SyncMembership(now, out);
  responder_.Advance(now, out);
}

TimePoint L2Speaker::NextDeadline() const {
  TimePoint next = std::min(membership_.NextDeadline(), responder_.NextDeadline());
  if (started_ && !settled_) {
    next = std::min(next, grace_end_);
    if (live_.size() > 1) next = std::min(next, last_growth_ + options_.join_quiet);
  }
  return next;
}

void L2Speaker::SyncMembership(TimePoint now, core::Outbox& out) {
  bool touched = false;
  // Members that became live without having been live or suspect here: a
  // node we had not heard of, or one we held dead or left. Either may have
  // announced VIPs while we could not hear each other (a partition, or a
  // start before the views met).
  std::set<std::string> returned;
  for (const membership::MemberChange& change : membership_.DrainChanges()) {
    if (change.node == self()) continue;
    const bool alive = change.to.has_value() && membership::IsActive(*change.to);
    if (alive && !(change.from.has_value() && membership::IsActive(*change.from))) {
      returned.insert(change.node.str());
    }
    if (alive == (live_.count(change.node) != 0)) continue;  // suspect <-> alive
    if (alive) {
      live_.insert(change.node);
      if (!settled_) last_growth_ = now;
    } else {
      live_.erase(change.node);
    }
    for (const election::WinnerChange& w : election_.MemberChanged(change.node, alive)) {
      if (w.previous == self().str() || w.current == self().str()) Recompute(w.service);
    }
    touched = true;
  }
  // A refutation means someone held this node suspect or dead; if dead, the
  // far side may have taken our VIPs and told its neighbours so.
  const uint64_t refutations = membership_.metrics().refutations();
  const bool refuted = refutations != refutations_seen_;
  refutations_seen_ = refutations;

  if (!settled_ &&
      ((live_.size() > 1 && now >= last_growth_ + options_.join_quiet) || now >= grace_end_)) {
    settled_ = true;
    RecomputeAll();
    touched = true;
  }
  std::set<core::IpAddr> gained;
  if (touched) gained = Apply(now, out);
  if (owned_.empty() || (returned.empty() && !refuted)) return;
  for (const auto& [vip, owned] : owned_) {
    if (gained.count(vip) != 0) continue;  // already in its first burst
    if (refuted || CouldHaveAnnounced(owned.service, returned)) {
      responder_.Reannounce(now, vip, out);
    }
  }
}

bool L2Speaker::CouldHaveAnnounced(const std::string& service,
                                   const std::set<std::string>& nodes) const {
  const auto result = election_.Explain(service);
  if (!result) return false;
  return std::any_of(result->candidates.begin(), result->candidates.end(),
                     [&](const election::Candidate& c) { return nodes.count(c.node) != 0; });
}

void L2Speaker::RecomputeAll() {
  wanted_.clear();
  for (const std::string& service : election_.Services()) Recompute(service);
}

void L2Speaker::Recompute(const std::string& service) {
  wanted_.erase(service);
  if (!settled_ || shut_down_ || config_ == nullptr || self_node_ == nullptr) return;
  if (election_.Winner(service) != self().str()) return;
  auto it = service_index_.find(service);
  if (it == service_index_.end()) return;
  const config::Service& s = *it->second;
  wanted_.emplace(service, Want{s.ingress_ips, AnnounceInterfaces(*config_, s, *self_node_)});
}

std::set<core::IpAddr> L2Speaker::Apply(TimePoint now, core::Outbox& out) {
  // Services sharing an IP (allow-shared-ip) share its announcement: the
  // first service by key names it, the interface sets merge.
  std::map<core::IpAddr, Owned> desired;
  for (const auto& [service, want] : wanted_) {
    for (const core::IpAddr& vip : want.ips) {
      auto [it, inserted] = desired.emplace(vip, Owned{service, want.interfaces});
      if (inserted) continue;
      if (it->second.interfaces.empty() || want.interfaces.empty()) {
        it->second.interfaces.clear();
      } else {
        it->second.interfaces.insert(want.interfaces.begin(), want.interfaces.end());
      }
    }
  }
  bool changed = false;
  std::set<core::IpAddr> gained;
  for (auto it = owned_.begin(); it != owned_.end();) {
    if (desired.count(it->first) != 0) {
      ++it;
      continue;
    }
    const core::IpAddr vip = it->first;
    const std::string reason = LossReason(vip, it->second.service);
    it = owned_.erase(it);
    Lose(now, vip, reason, out);
    changed = true;
  }
  for (const auto& [vip, want] : desired) {
    auto it = owned_.find(vip);
    if (it != owned_.end() && it->second.service == want.service &&
        it->second.interfaces == want.interfaces) {
      continue;
    }
    owned_[vip] = want;
    Gain(now, vip, want, out);
    gained.insert(vip);
    changed = true;
  }
  UpdateWatched();
  if (changed || reported_owned_ < 0) ReportOwned(out);
  return gained;
}

void L2Speaker::Gain(TimePoint now, const core::IpAddr& vip, const Owned& owned,
                     core::Outbox& out) {
  out.Emit(core::Log{core::LogLevel::kInfo,
                     "layer2: this node announces the VIP",
                     {{"ip", vip.ToString()}, {"service", owned.service}}});
  responder_.Own(now, vip, owned.interfaces, owned.service, out);
}

void L2Speaker::Lose(TimePoint now, const core::IpAddr& vip, const std::string& reason,
                     core::Outbox& out) {
  out.Emit(core::Log{core::LogLevel::kInfo,
                     "layer2: this node stops announcing the VIP",
                     {{"ip", vip.ToString()}, {"reason", reason}}});
  // The responder only knows that it was disowned; the speaker knows why.
  core::Outbox local;
  responder_.Disown(now, vip, local);
  for (core::Action& action : local.Drain()) {
    if (auto* w = std::get_if<core::VipWithdrawn>(&action)) w->reason = reason;
    out.Emit(std::move(action));
  }
}

std::string L2Speaker::LossReason(const core::IpAddr& vip, const std::string& service) const {
  if (shut_down_) return "shutdown";
  auto it = service_index_.find(service);
  if (it == service_index_.end()) return "service removed";
  const auto& ips = it->second->ingress_ips;
  if (std::find(ips.begin(), ips.end(), vip) == ips.end()) {
    return "IP no longer in the service's status";
  }
  if (auto winner = election_.Winner(service)) return "announced by " + *winner;
  if (auto result = election_.Explain(service)) {
    return election::Describe(result->status, result->pool);
  }
  return "service no longer takes part in the layer 2 election";
}

void L2Speaker::UpdateWatched() {
  std::set<core::NodeName> watched;
  for (const std::string& name : election_.WatchTargets(self())) {
    if (auto parsed = core::NodeName::Parse(name)) watched.insert(*parsed);
  }
  if (watched != membership_.watched()) membership_.SetWatched(watched);
}

void L2Speaker::ReportOwned(core::Outbox& out) {
  const double value = static_cast<double>(owned_.size());
  if (value == reported_owned_) return;
  reported_owned_ = value;
  out.Emit(core::MetricChanged{kAnnouncedMetric, {}, value});
}

}  // namespace vipcast::speaker
