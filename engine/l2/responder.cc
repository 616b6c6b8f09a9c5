#include "engine/l2/responder.h"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "engine/l2/answers.h"
#include "engine/wire/l2/multicast.h"

namespace vipcast::l2 {

namespace {

bool IsUnspecified(const core::Ipv6Addr& a) { return a == core::Ipv6Addr(); }

// A MAC we may address a unicast answer to.
bool IsUnicastStation(const core::MacAddr& mac) { return !mac.IsMulticast() && !mac.IsZero(); }

}  // namespace

Responder::Responder(ResponderOptions options)
    : scheduler_(options.schedule),
      vip_metrics_(options.metrics_interval),
      malformed_metrics_(options.metrics_interval) {}

// ------------------------------------------------------------ engine

void Responder::Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) {
  std::visit(
      [&](const auto& event) {
        using T = std::decay_t<decltype(event)>;
        if constexpr (std::is_same_v<T, core::FrameReceived>) {
          OnFrame(now, event, out);
        } else if constexpr (std::is_same_v<T, core::InterfacesChanged>) {
          SetInterfaces(now, event.interfaces, out);
        }
      },
      input);
}

void Responder::Advance(core::TimePoint now, core::Outbox& out) {
  for (const VipOnInterface& key : scheduler_.TakeDue(now)) {
    // The scheduler only holds active pairs (deactivation cancels), but a
    // stale key must never produce a frame.
    if (active_.count(key) != 0) SendRound(now, key, out);
  }
  // Folded metric reports last, so they include this call's rounds.
  for (uint32_t id : vip_metrics_.TakeDue(now)) ReportCounters(id, out);
  for (uint32_t e : malformed_metrics_.TakeDue(now)) {
    ReportMalformed(static_cast<wire::L2Error>(e), out);
  }
}

core::TimePoint Responder::NextDeadline() const {
  return std::min(
      {scheduler_.NextDeadline(), vip_metrics_.NextDeadline(), malformed_metrics_.NextDeadline()});
}

// ------------------------------------------------------------ ownership

void Responder::SetInterfaces(core::TimePoint now,
                              const std::vector<core::InterfaceInfo>& interfaces,
                              core::Outbox& out) {
  std::map<std::string, Interface, std::less<>> next;
  std::set<std::string> mac_changed;
  for (const core::InterfaceInfo& info : interfaces) {
    auto [slot, inserted] = next.try_emplace(info.name);
    if (!inserted) continue;  // a repeated name: the first entry wins
    Interface& ifc = slot->second;
    ifc.mac = info.mac;
    ifc.up = info.up;
    if (auto old = interfaces_.find(info.name); old != interfaces_.end()) {
      ifc.active = std::move(old->second.active);
      if (old->second.mac != info.mac) mac_changed.insert(info.name);
    }
  }
  // Pairs whose neighbours hold a stale MAC for us: re-announce them if
  // they stay active.
  std::vector<VipOnInterface> restart;
  for (const auto& [key, service] : active_) {
    if (mac_changed.count(key.interface) != 0) restart.push_back(key);
  }
  // Interfaces that vanished take their index with them; Converge still
  // withdraws their pairs from active_.
  interfaces_ = std::move(next);
  std::map<VipOnInterface, std::string> desired;
  for (const auto& [vip, own] : owned_) desired.merge(Desired(vip));
  Converge(now, desired, nullptr, out);
  for (const VipOnInterface& key : restart) {
    if (active_.count(key) != 0 && scheduler_.Start(now, key)) SendRound(now, key, out);
  }
}

void Responder::Own(core::TimePoint now, const core::IpAddr& vip, std::set<std::string> interfaces,
                    std::string service, core::Outbox& out) {
  CounterId(vip);  // so the label exists before any counter moves
  Ownership& own = owned_[vip];
  own.interfaces = std::move(interfaces);
  own.service = std::move(service);
  owned_index_.Insert(vip, 0);
  for (auto it = active_.lower_bound(VipOnInterface{vip, ""});
       it != active_.end() && it->first.vip == vip; ++it) {
    it->second = own.service;
  }
  Converge(now, Desired(vip), &vip, out);
}

void Responder::Disown(core::TimePoint now, const core::IpAddr& vip, core::Outbox& out) {
  if (owned_.erase(vip) == 0) return;
  owned_index_.Erase(vip);
  Converge(now, {}, &vip, out);
}

void Responder::Reannounce(core::TimePoint now, const core::IpAddr& vip, core::Outbox& out) {
  for (auto it = active_.lower_bound(VipOnInterface{vip, ""});
       it != active_.end() && it->first.vip == vip; ++it) {
    if (scheduler_.Renew(now, it->first)) SendRound(now, it->first, out);
  }
}

std::map<VipOnInterface, std::string> Responder::Desired(const core::IpAddr& vip) const {
  std::map<VipOnInterface, std::string> desired;
  auto own = owned_.find(vip);
  if (own == owned_.end()) return desired;
  for (const auto& [name, ifc] : interfaces_) {
    if (!ifc.up) continue;
    if (!own->second.interfaces.empty() && own->second.interfaces.count(name) == 0) continue;
    desired.emplace(VipOnInterface{vip, name}, own->second.service);
  }
  return desired;
}

void Responder::Converge(core::TimePoint now, const std::map<VipOnInterface, std::string>& desired,
                         const core::IpAddr* only, core::Outbox& out) {
  // The active pairs in scope: those of `only`, or all.
  auto first = only ? active_.lower_bound(VipOnInterface{*only, ""}) : active_.begin();
  std::vector<VipOnInterface> gone;
  for (auto it = first; it != active_.end() && (!only || it->first.vip == *only); ++it) {
    if (desired.count(it->first) == 0) gone.push_back(it->first);
  }
  // Withdrawals first, so that nothing stale is answered while the new
  // pairs are being set up; both in key order.
  for (const VipOnInterface& key : gone) Deactivate(key, out);
  for (const auto& [key, service] : desired) {
    if (active_.count(key) == 0) Activate(now, key, service, out);
  }
}

void Responder::Activate(core::TimePoint now, const VipOnInterface& key, const std::string& service,
                         core::Outbox& out) {
  active_.emplace(key, service);
  interfaces_.find(key.interface)->second.active.Insert(key.vip, CounterId(key.vip));
  if (key.vip.is_v6() && groups_.Acquire(key.interface, wire::SolicitedNodeAddress(key.vip.v6()))) {
    // RFC 4861 7.2.1: a node joins the solicited-node group of every
    // address it answers for, or multicast solicitations never reach it.
    out.Emit(core::JoinMulticast{key.interface, wire::SolicitedNodeAddress(key.vip.v6())});
  }
  out.Emit(core::VipAnnounced{key.vip, service, core::AnnounceMode::kLayer2, key.interface});
  if (scheduler_.Start(now, key)) SendRound(now, key, out);
}

void Responder::Deactivate(const VipOnInterface& key, core::Outbox& out) {
  auto it = active_.find(key);
  const std::string service = it->second;
  const std::string reason = WithdrawReason(key);
  active_.erase(it);
  if (auto ifc = interfaces_.find(key.interface); ifc != interfaces_.end()) {
    ifc->second.active.Erase(key.vip);
  }
  scheduler_.Cancel(key);
  if (key.vip.is_v6() && groups_.Release(key.interface, wire::SolicitedNodeAddress(key.vip.v6()))) {
    out.Emit(core::LeaveMulticast{key.interface, wire::SolicitedNodeAddress(key.vip.v6())});
  }
  out.Emit(core::VipWithdrawn{key.vip, service, core::AnnounceMode::kLayer2, reason});
}

std::string Responder::WithdrawReason(const VipOnInterface& key) const {
  if (owned_.count(key.vip) == 0) return "disowned";
  auto ifc = interfaces_.find(key.interface);
  if (ifc == interfaces_.end()) return "interface " + key.interface + " removed";
  if (!ifc->second.up) return "interface " + key.interface + " down";
  return "interface " + key.interface + " no longer selected";
}

// ------------------------------------------------------------ announcing

void Responder::SendRound(core::TimePoint now, const VipOnInterface& key, core::Outbox& out) {
  const Interface& ifc = interfaces_.find(key.interface)->second;
  const uint32_t id = CounterId(key.vip);
  Counted& counted = counted_[id];
  if (key.vip.is_v4()) {
    for (const wire::L2Frame& frame : GratuitousArp(key.vip.v4(), ifc.mac)) {
      out.Emit(core::SendFrame{key.interface, wire::EncodeFrame(frame)});
      ++counted.counters.gratuitous_sent;
    }
  } else {
    out.Emit(
        core::SendFrame{key.interface, wire::EncodeFrame(UnsolicitedNa(key.vip.v6(), ifc.mac))});
    ++counted.counters.gratuitous_sent;
  }
  CountersChanged(now, id, out);
}

// ------------------------------------------------------------ answering

void Responder::OnFrame(core::TimePoint now, const core::FrameReceived& frame, core::Outbox& out) {
  auto it = interfaces_.find(frame.interface);
  if (it == interfaces_.end()) return Drop(DropReason::kUnknownInterface);
  if (!it->second.up) return Drop(DropReason::kInterfaceDown);
  auto parsed = wire::ParseFrame(frame.frame);
  if (!parsed) {
    if (wire::IsMalformed(parsed.error())) return DropMalformed(now, parsed.error(), out);
    return Drop(DropReason::kNotAddressResolution);
  }
  if (const auto* arp = std::get_if<wire::ArpPacket>(&parsed->payload)) {
    OnArp(now, it->first, it->second, parsed->ethernet, *arp, out);
  } else {
    OnNdp(now, it->first, it->second, parsed->ethernet, std::get<wire::NdpPacket>(parsed->payload),
          out);
  }
}

void Responder::OnArp(core::TimePoint now, const std::string& name, const Interface& ifc,
                      const wire::EthernetHeader& eth, const wire::ArpPacket& arp,
                      core::Outbox& out) {
  // Our own announcements, if the runtime hands them back.
  if (eth.src == ifc.mac || arp.sender_mac == ifc.mac) return Drop(DropReason::kOwnFrame);
  // Another station using one of our VIPs as its own address (its
  // gratuitous ARP, or requests it makes from it). Answering would only
  // unicast to the claimant; the conflict is counted and logged instead.
  if (ifc.active.Contains(arp.sender_ip)) {
    return Conflict(now, name, arp.sender_ip, arp.sender_mac, out);
  }
  // MetalLB arp.go processRequest, in its order: replies are ignored; so
  // are requests not broadcast and not to us; then the ownership check.
  if (arp.operation != wire::ArpOperation::kRequest) return Drop(DropReason::kNotRequest);
  if (!eth.dst.IsBroadcast() && eth.dst != ifc.mac) return Drop(DropReason::kEthernetDestination);
  const core::IpAddr vip = arp.target_ip;
  const uint32_t* counter_id = ifc.active.Find(vip);
  if (counter_id == nullptr) return Drop(NotActiveReason(vip));
  if (!IsUnicastStation(arp.sender_mac)) return Drop(DropReason::kInvalidSender);
  Answer(now, name, *counter_id, ArpReply(eth, arp, ifc.mac), out);
}

void Responder::OnNdp(core::TimePoint now, const std::string& name, const Interface& ifc,
                      const wire::EthernetHeader& eth, const wire::NdpPacket& ndp,
                      core::Outbox& out) {
  if (eth.src == ifc.mac) return Drop(DropReason::kOwnFrame);
  if (const auto* na = std::get_if<wire::NeighborAdvertisement>(&ndp.message)) {
    // An advertisement for our VIP with someone else's link-layer address.
    const core::MacAddr claimant = na->target_lla.value_or(eth.src);
    if (ifc.active.Contains(na->target) && claimant != ifc.mac) {
      return Conflict(now, name, na->target, claimant, out);
    }
    return Drop(DropReason::kNotRequest);
  }
  const auto& ns = std::get<wire::NeighborSolicitation>(ndp.message);
  if (!IsUnspecified(ndp.ip.src) && ifc.active.Contains(ndp.ip.src)) {
    return Conflict(now, name, ndp.ip.src, ns.source_lla.value_or(eth.src), out);
  }
  // RFC 4861 7.2.3 processes solicitations sent to the target itself (NUD)
  // or to its solicited-node group (resolution, DAD); the Ethernet
  // destination must be ours or the group's RFC 2464 7 mapping.
  const bool to_group = ndp.ip.dst == wire::SolicitedNodeAddress(ns.target);
  if (!to_group && ndp.ip.dst != ns.target) return Drop(DropReason::kIpDestination);
  if (eth.dst != ifc.mac && !(to_group && eth.dst == wire::MulticastMac(ndp.ip.dst))) {
    return Drop(DropReason::kEthernetDestination);
  }
  const core::IpAddr vip = ns.target;
  const uint32_t* counter_id = ifc.active.Find(vip);
  if (counter_id == nullptr) return Drop(NotActiveReason(vip));
  // RFC 4861 4.3 lets a unicast solicitation omit its source link-layer
  // address; the Ethernet source then tells us where to answer (MetalLB
  // drops such solicitations, leaving NUD probes from routers unanswered).
  const core::MacAddr solicitor = ns.source_lla.value_or(eth.src);
  if (!IsUnspecified(ndp.ip.src) && !IsUnicastStation(solicitor)) {
    return Drop(DropReason::kInvalidSender);
  }
  Answer(now, name, *counter_id, SolicitedNa(eth, ndp.ip.src, solicitor, ns.target, ifc.mac), out);
}

void Responder::Answer(core::TimePoint now, const std::string& name, uint32_t counter_id,
                       const wire::L2Frame& reply, core::Outbox& out) {
  Counted& counted = counted_[counter_id];
  // As MetalLB: a request counts once we decided to answer it.
  ++counted.counters.requests_received;
  out.Emit(core::SendFrame{name, wire::EncodeFrame(reply)});
  ++counted.counters.responses_sent;
  CountersChanged(now, counter_id, out);
}

void Responder::Conflict(core::TimePoint now, const std::string& name, const core::IpAddr& vip,
                         const core::MacAddr& claimant, core::Outbox& out) {
  Drop(DropReason::kConflict);
  const uint32_t id = CounterId(vip);
  Counted& counted = counted_[id];
  ++counted.counters.conflicts_seen;
  CountersChanged(now, id, out);
  out.Emit(core::Log{
      core::LogLevel::kWarning,
      "another station claims a VIP this node announces",
      {{"ip", counted.ip_label}, {"interface", name}, {"claimant_mac", claimant.ToString()}}});
}

void Responder::DropMalformed(core::TimePoint now, wire::L2Error error, core::Outbox& out) {
  ++malformed_[error];
  if (malformed_metrics_.Changed(now, static_cast<uint32_t>(error))) ReportMalformed(error, out);
}

DropReason Responder::NotActiveReason(const core::IpAddr& vip) const {
  return owned_index_.Contains(vip) ? DropReason::kNotOnInterface : DropReason::kNotOwned;
}

// ------------------------------------------------------------ counters

bool Responder::Answers(const core::IpAddr& vip, std::string_view interface) const {
  auto it = interfaces_.find(interface);
  return it != interfaces_.end() && it->second.active.Contains(vip);
}

VipCounters Responder::CountersFor(const core::IpAddr& vip) const {
  auto it = counter_ids_.find(vip);
  return it == counter_ids_.end() ? VipCounters{} : counted_[it->second].counters;
}

std::map<core::IpAddr, VipCounters> Responder::Counters() const {
  std::map<core::IpAddr, VipCounters> out;
  for (const auto& [vip, id] : counter_ids_) out.emplace(vip, counted_[id].counters);
  return out;
}

uint32_t Responder::CounterId(const core::IpAddr& vip) {
  auto [it, inserted] = counter_ids_.try_emplace(vip, static_cast<uint32_t>(counted_.size()));
  if (inserted) counted_.push_back(Counted{vip, vip.ToString(), VipCounters{}, VipCounters{}});
  return it->second;
}

void Responder::CountersChanged(core::TimePoint now, uint32_t id, core::Outbox& out) {
  if (vip_metrics_.Changed(now, id)) ReportCounters(id, out);
}

void Responder::ReportCounters(uint32_t id, core::Outbox& out) {
  Counted& c = counted_[id];
  // One action per counter that moved since its last report, in a fixed
  // order, carrying the latest value.
  const std::pair<std::string_view, uint64_t VipCounters::*> fields[] = {
      {kMetricRequestsReceived, &VipCounters::requests_received},
      {kMetricResponsesSent, &VipCounters::responses_sent},
      {kMetricGratuitousSent, &VipCounters::gratuitous_sent},
      {kMetricConflictsSeen, &VipCounters::conflicts_seen},
  };
  for (const auto& [name, field] : fields) {
    if (c.counters.*field == c.reported.*field) continue;
    c.reported.*field = c.counters.*field;
    out.Emit(core::MetricChanged{
        std::string(name), {{"ip", c.ip_label}}, static_cast<double>(c.counters.*field)});
  }
}

void Responder::ReportMalformed(wire::L2Error error, core::Outbox& out) {
  out.Emit(core::MetricChanged{std::string(kMetricMalformedFrames),
                               {{"reason", std::string(wire::ToString(error))}},
                               static_cast<double>(malformed_[error])});
}

}  // namespace vipcast::l2
