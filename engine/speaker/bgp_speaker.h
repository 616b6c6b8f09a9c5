// The BGP speaker of one node: composes the advertisement policy
// (bgp/policy.h), the BGP sessions (bgp/session_set.h) and BFD
// (bfd/bfd_engine.h) into one engine that a runtime drives.
//
// Data flow:
//  - ConfigApplied, ServicesChanged, NodesChanged: the BGPPeers whose
//    nodeSelectors match this node become the sessions (SessionSet::SetPeers);
//    the services this node may announce (a LoadBalancer service of our class
//    with ingress IPs, its pool, externalTrafficPolicy Local only with a
//    serving endpoint here, nothing while no endpoint anywhere can serve or
//    the node fails a node rule, as MetalLB's bgp_controller) go through
//    DesiredRoutes into each session's Adj-RIB-Out. A VIP that leaves drops
//    out of the desired table and the session withdraws it at once.
//  - InterfacesChanged: the sessions' local addresses (listening, next hops
//    of the other family) and the default router ID (the first IPv4 address).
//  - Stream events go to the SessionSet; DatagramReceived on UDP 3784/4784 to
//    the BfdEngine.
//  - BFD: a peer with a bfdProfile gets a BFD session keyed (peer address,
//    local address, single-hop unless ebgpMultiHop). The local address is the
//    peer's sourceAddress, else the local end of its Established connection,
//    else the first interface address of the peer's family. When that BFD
//    session leaves Up (not because the peer went AdminDown, RFC 5882 3.2),
//    the BGP session is reset at once with NOTIFICATION Cease / BFD Down
//    (RFC 9384, subcode 10) and reconnects after its normal backoff. The BGP
//    session is not held back while BFD is Down (a choice kept simple: the
//    reconnect itself fails while the path is broken).
//  - Graceful restart (enableGracefulRestart): the OPENs of sessions created
//    within the restart time (120 s) of this instance's first input carry the
//    Restart State bit until the session is Established, with the Forwarding
//    State bit for IPv4 and IPv6 unicast (the kernel keeps forwarding to this
//    node while the speaker restarts); End-of-RIB follows the initial table
//    (RFC 4724 4.1).
//  - ShutdownRequested: every session withdraws its routes, then sends Cease /
//    Administrative Shutdown (RFC 4486, subcode 2) with an RFC 9003 shutdown
//    communication, then closes; BFD sessions go AdminDown (RFC 5880
//    6.8.16). Nothing is announced again by this instance.
//
// Facts: VipAnnounced / VipWithdrawn (mode kBgp) when the first session
// carries a VIP's route (it was written to an Established peer) and when the
// last one stops; plus what the sessions and BFD emit (SessionStateChanged,
// MetricChanged, Log).
//
// Invariants: after every call each session's desired Adj-RIB-Out is
// DesiredRoutes() of the current inputs (empty after shutdown); carried()
// holds exactly the VIPs whose route is in the sent Adj-RIB-Out of an
// Established session; same inputs and Rng seed give the same outputs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/bfd/bfd_engine.h"
#include "engine/bgp/policy.h"
#include "engine/bgp/session_set.h"
#include "engine/config/model.h"
#include "engine/core/asn.h"
#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/election/options.h"

namespace vipcast::speaker {

struct BgpSpeakerOptions {
  std::string node;  // this node's Kubernetes Node name
  // BGPPeers without routerID use this; unset: the first IPv4 interface
  // address.
  std::optional<core::RouterId> router_id;
  election::ElectionOptions services;  // --lb-class, --ignore-exclude-lb
  uint16_t listen_port = 179;
  // The RFC 9003 shutdown communication sent on ShutdownRequested.
  std::string shutdown_message = "vipcast speaker shutting down";
  bfd::EngineLimits bfd_limits;
};

class BgpSpeaker final : public core::Engine {
 public:
  // `rng` must outlive the speaker (BFD discriminators, ports, jitter).
  BgpSpeaker(BgpSpeakerOptions options, core::Rng& rng);

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

  // VIPs whose route an Established session carries, with their service.
  const std::map<core::IpAddr, std::string>& carried() const { return carried_; }
  bool Carries(const core::IpAddr& vip) const { return carried_.count(vip) != 0; }
  bool shut_down() const { return shut_down_; }
  const bgp::SessionSet& sessions() const { return sessions_; }
  bgp::SessionSet& sessions() { return sessions_; }
  const bfd::BfdEngine& bfd() const { return bfd_; }
  // The desired routes last handed to the sessions, by BGPPeer name.
  const std::map<std::string, bgp::RibOut>& desired() const { return desired_; }

 private:
  void Reconcile(core::TimePoint now, core::Outbox& out);
  std::vector<bgp::AnnouncedService> Announceable() const;
  void ReconcileBfd(core::TimePoint now, core::Outbox& out);
  std::optional<core::IpAddr> BfdLocal(const config::BGPPeer& peer) const;
  // Resets the BGP sessions whose BFD session went down.
  void ProcessBfd(core::TimePoint now, core::Outbox& out);
  // Brings carried_ to what the sessions have sent; emits the VIP facts.
  void SyncCarried(core::Outbox& out);
  core::RouterId RouterId() const;

  BgpSpeakerOptions options_;
  bgp::SessionSet sessions_;
  bfd::BfdEngine bfd_;

  std::shared_ptr<const config::ClusterConfig> config_;
  std::shared_ptr<const config::ServiceSet> services_;
  std::shared_ptr<const config::NodeSet> nodes_;
  const config::Node* self_node_ = nullptr;  // into *nodes_
  std::vector<core::IpAddr> interface_addresses_;

  std::map<std::string, bgp::RibOut> desired_;
  // VIP -> service of every VIP policy advertises now (first service by key).
  std::map<core::IpAddr, std::string> advertised_;
  // The distinct prefix lengths a VIP may be advertised with (v4, v6).
  std::set<int> lengths_v4_;
  std::set<int> lengths_v6_;
  std::map<core::IpAddr, std::string> carried_;
  // BFD sessions by key, and the BGP peers (by name) each one guards.
  std::map<bfd::SessionKey, bfd::SessionParameters> bfd_sessions_;
  std::map<bfd::SessionKey, std::set<std::string>> bfd_clients_;
  bool shut_down_ = false;
  // The first call: sessions created within the graceful restart time of it
  // announce a restart (RFC 4724 4.1, see Reconcile).
  std::optional<core::TimePoint> started_at_;
};

}  // namespace vipcast::speaker
