// The layer 2 responder of one node: answers ARP requests and Neighbor
// Solicitations for the VIPs this node owns, and announces a VIP with
// gratuitous ARP / unsolicited NA when the node gains it.
//
// Who owns which VIP is decided elsewhere (election, speaker composition);
// this engine is told through Own/Disown and only answers for what it was
// told, on the interfaces it was told.
//
// Invariants:
// - A (VIP, interface) pair is *active* exactly when the VIP is owned, the
//   interface is known and up, and the VIP's interface set is empty (all
//   interfaces, as an L2Advertisement without `interfaces`) or names it.
// - Only active pairs are answered and announced; a pair stops being
//   answered in the call that deactivates it, and its pending
//   announcements are cancelled in that same call.
// - An active IPv6 pair holds one reference on the interface's
//   solicited-node group for the VIP; JoinMulticast/LeaveMulticast are
//   emitted on the first/last reference.
// - Counters are monotonic and survive Disown (Prometheus counters); every
//   change reaches a MetricChanged, at once or folded (MetricThrottle).
// - Output depends only on the calls and their arguments: containers whose
//   order could reach an output are ordered; hashed ones (VipIndex) cannot
//   be iterated.
#pragma once

#include <array>
#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/io.h"
#include "engine/core/ip.h"
#include "engine/core/mac.h"
#include "engine/core/time.h"
#include "engine/l2/announce_schedule.h"
#include "engine/l2/announce_scheduler.h"
#include "engine/l2/counters.h"
#include "engine/l2/metric_throttle.h"
#include "engine/l2/multicast_memberships.h"
#include "engine/l2/vip_index.h"
#include "engine/l2/vip_on_interface.h"
#include "engine/wire/l2/error.h"
#include "engine/wire/l2/frame.h"

namespace vipcast::l2 {

struct ResponderOptions {
  AnnounceSchedule schedule = AnnounceSchedule::Default();
  // A counter's first change is reported at once, later ones at most once
  // per interval with the latest value (see MetricThrottle); zero reports
  // every change. Prometheus scrapes far less often than this.
  core::Duration metrics_interval = core::Duration::Seconds(1);
};

class Responder final : public core::Engine {
 public:
  Responder() : Responder(ResponderOptions{}) {}
  explicit Responder(AnnounceSchedule schedule) : Responder(ResponderOptions{schedule}) {}
  explicit Responder(ResponderOptions options);

  // core::Engine. Handle takes FrameReceived and InterfacesChanged; other
  // inputs are not for this engine and are ignored.
  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

  // The node's interfaces (name, MAC, up). Pairs on interfaces that went
  // down or away are deactivated; pairs on interfaces that came up are
  // activated and announced; a MAC change re-announces every pair on it.
  // If a name repeats, its first entry counts.
  void SetInterfaces(core::TimePoint now, const std::vector<core::InterfaceInfo>& interfaces,
                     core::Outbox& out);
  // This node now owns `vip` on `interfaces` (empty: every interface) for
  // `service` ("namespace/name"). Owning an owned VIP again updates its
  // interfaces and service; it announces only on newly active pairs.
  void Own(core::TimePoint now, const core::IpAddr& vip, std::set<std::string> interfaces,
           std::string service, core::Outbox& out);
  // This node no longer owns `vip`: answering stops now and pending
  // announcements are cancelled.
  void Disown(core::TimePoint now, const core::IpAddr& vip, core::Outbox& out);
  // Starts a fresh announcement burst for an owned VIP on all its active
  // interfaces, e.g. after a partition heals and ownership is re-confirmed.
  // Requests within one interval of the last round coalesce
  // (AnnounceScheduler::Renew).
  void Reannounce(core::TimePoint now, const core::IpAddr& vip, core::Outbox& out);

  void OnFrame(core::TimePoint now, const core::FrameReceived& frame, core::Outbox& out);

  bool Owns(const core::IpAddr& vip) const { return owned_.count(vip) != 0; }
  // True when a request for `vip` arriving on `interface` would be answered.
  bool Answers(const core::IpAddr& vip, std::string_view interface) const;
  VipCounters CountersFor(const core::IpAddr& vip) const;
  std::map<core::IpAddr, VipCounters> Counters() const;
  const std::map<wire::L2Error, uint64_t>& malformed() const { return malformed_; }
  uint64_t Dropped(DropReason reason) const { return drops_[static_cast<size_t>(reason)]; }
  const AnnounceScheduler& scheduler() const { return scheduler_; }

 private:
  struct Counted {
    core::IpAddr vip;
    std::string ip_label;  // vip.ToString(), formatted once
    VipCounters counters;
    VipCounters reported;  // values in the last MetricChanged of each
  };
  struct Interface {
    core::MacAddr mac;
    bool up = false;
    // VIPs answered here, with the index of their counters in `counted_`:
    // the per-frame index. Lookup only (never iterated), so hashing cannot
    // affect output; indices (not pointers) keep the responder copyable.
    VipIndex active;
  };
  struct Ownership {
    std::string service;
    std::set<std::string> interfaces;  // empty: all
  };

  // The pairs ownership and interfaces imply for `vip` (none if not owned).
  std::map<VipOnInterface, std::string> Desired(const core::IpAddr& vip) const;
  // Brings `active_` to `desired`, for one VIP (`only`) or for all.
  void Converge(core::TimePoint now, const std::map<VipOnInterface, std::string>& desired,
                const core::IpAddr* only, core::Outbox& out);
  void Activate(core::TimePoint now, const VipOnInterface& key, const std::string& service,
                core::Outbox& out);
  void Deactivate(const VipOnInterface& key, core::Outbox& out);
  std::string WithdrawReason(const VipOnInterface& key) const;
  void SendRound(core::TimePoint now, const VipOnInterface& key, core::Outbox& out);

  void OnArp(core::TimePoint now, const std::string& name, const Interface& ifc,
             const wire::EthernetHeader& eth, const wire::ArpPacket& arp, core::Outbox& out);
  void OnNdp(core::TimePoint now, const std::string& name, const Interface& ifc,
             const wire::EthernetHeader& eth, const wire::NdpPacket& ndp, core::Outbox& out);
  void Answer(core::TimePoint now, const std::string& name, uint32_t counter_id,
              const wire::L2Frame& reply, core::Outbox& out);
  void Conflict(core::TimePoint now, const std::string& name, const core::IpAddr& vip,
                const core::MacAddr& claimant, core::Outbox& out);
  void Drop(DropReason reason) { ++drops_[static_cast<size_t>(reason)]; }
  void DropMalformed(core::TimePoint now, wire::L2Error error, core::Outbox& out);
  // Not owned anywhere vs owned but not on this interface.
  DropReason NotActiveReason(const core::IpAddr& vip) const;

  // Index of `vip`'s counters, created on first use.
  uint32_t CounterId(const core::IpAddr& vip);
  // After counters of `id` moved: report now or leave it to the throttle.
  void CountersChanged(core::TimePoint now, uint32_t id, core::Outbox& out);
  void ReportCounters(uint32_t id, core::Outbox& out);
  void ReportMalformed(wire::L2Error error, core::Outbox& out);

  AnnounceScheduler scheduler_;
  MetricThrottle vip_metrics_;        // keyed by counter id
  MetricThrottle malformed_metrics_;  // keyed by L2Error value
  std::map<std::string, Interface, std::less<>> interfaces_;
  std::map<core::IpAddr, Ownership> owned_;
  VipIndex owned_index_;                          // the keys of owned_, for the per-frame path
  std::map<VipOnInterface, std::string> active_;  // -> service
  MulticastMemberships groups_;
  // Counters are never erased (Prometheus counters are monotonic).
  std::vector<Counted> counted_;
  std::map<core::IpAddr, uint32_t> counter_ids_;  // ordered view for Counters()
  std::map<wire::L2Error, uint64_t> malformed_;
  std::array<uint64_t, std::size(kAllDropReasons)> drops_{};
};

}  // namespace vipcast::l2
