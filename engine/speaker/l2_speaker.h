// The layer 2 speaker of one node: composes membership (who is alive),
// election (who announces each VIP) and the ARP/NDP responder (answers and
// gratuitous announcements) into one engine that a runtime drives.
//
// The speaker allocates nothing: a service's VIPs are the IPs the controller
// wrote to its status.loadBalancer.ingress (config::Service::ingress_ips), as
// `vipcastctl elect` reads them from status; the election takes those as
// they are.
//
// Data flow:
//  - DatagramReceived goes to membership; FrameReceived and
//    InterfacesChanged to the responder; ConfigApplied, ServicesChanged and
//    NodesChanged to the election (then a full reconcile of this node's VIPs).
//  - After every membership call its changes are drained and fed to the
//    election one member at a time (Election::MemberChanged, incremental);
//    only the services whose winner moved to or from this node are touched.
//  - Gained VIPs are Own()ed by the responder (VipAnnounced, gratuitous
//    burst at once); lost VIPs are Disown()ed in the same call (answering
//    stops at once, VipWithdrawn with the speaker's reason).
//  - The members this node backs up (Election::WatchTargets) are handed to
//    membership (SetWatched) so that their failure is detected fastest.
//  - When a member becomes live that was not live here before (unknown, or
//    held dead or left), it may have announced our VIPs while the views
//    were apart (a partition, a false death verdict, nodes starting before
//    their views met): every VIP still owned for which it is an eligible
//    candidate is announced again (Responder::Reannounce), so neighbours
//    re-learn us after it withdraws. The same for every owned VIP when this
//    node refutes a claim about itself (the far side held us dead).
//  - Until membership has reached another member and its view has stopped
//    growing for `join_quiet`, a node with seeds holds back, for at most
//    `join_grace` (it would otherwise elect itself the winner of every VIP
//    it is eligible for among the members it knows so far and steal them
//    with gratuitous ARP).
//  - ShutdownRequested: graceful membership leave (the others take over
//    without failure detection), every VIP withdrawn ("shutdown"), and no
//    VIP is announced again by this instance.
//
// Invariants: after every call, the responder owns exactly the VIPs of the
// services whose election winner is this node (empty while holding back or
// after shutdown); same inputs and Rng seed give the same outputs.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/config/model.h"
#include "engine/core/io.h"
#include "engine/core/ip.h"
#include "engine/core/node_name.h"
#include "engine/core/rng.h"
#include "engine/core/time.h"
#include "engine/election/election.h"
#include "engine/l2/responder.h"
#include "engine/membership/membership.h"

namespace vipcast::speaker {

struct L2SpeakerOptions {
  // membership.self is this node's Kubernetes Node name.
  membership::MembershipConfig membership;
  l2::ResponderOptions responder;
  election::ElectionOptions election;
  // With seeds configured: how long to wait for membership to reach another
  // member before announcing as if alone (the first node of a cluster).
  core::Duration join_grace = core::Duration::Seconds(2);
  // Having reached another member, how long the view must stop growing
  // before this node announces (at the latest when join_grace ends). A node
  // joining a running cluster gets the whole view in the first push-pull
  // answer and waits just this long; in a cluster starting cold the views
  // grow for a while, and a node that settled on its first peer would claim
  // every VIP it wins among the few members it knows and lose them again a
  // moment later (a gratuitous ARP each way).
  core::Duration join_quiet = core::Duration::Milliseconds(300);
};

class L2Speaker final : public core::Engine {
 public:
  // Precondition: membership::Validate(options.membership) succeeded. `rng`
  // must outlive the speaker.
  L2Speaker(L2SpeakerOptions options, core::Rng& rng);

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

  const core::NodeName& self() const { return membership_.self(); }
  // VIPs this node announces now (told to the responder), in address order.
  std::vector<core::IpAddr> AnnouncedVips() const;
  bool Announces(const core::IpAddr& vip) const { return owned_.count(vip) != 0; }
  // The members this node counts as live (alive or suspect), itself included.
  const std::set<core::NodeName>& live_members() const { return live_; }
  bool holding_back() const { return !settled_; }
  bool shut_down() const { return shut_down_; }

  const membership::Membership& membership() const { return membership_; }
  const election::Election& election() const { return election_; }
  const l2::Responder& responder() const { return responder_; }

 private:
  // What this node should announce for one service it wins.
  struct Want {
    std::vector<core::IpAddr> ips;
    std::set<std::string> interfaces;  // empty: every interface
  };
  struct Owned {
    std::string service;
    std::set<std::string> interfaces;
  };

  void Start(core::TimePoint now);
  // Feeds membership's changes to the election and acts on the result.
  void SyncMembership(core::TimePoint now, core::Outbox& out);
  // Rebuilds wanted_ from the election after a config/service/node change.
  void RecomputeAll();
  void Recompute(const std::string& service);
  // Brings the responder to wanted_: gains announced, losses withdrawn.
  // Returns the VIPs gained.
  std::set<core::IpAddr> Apply(core::TimePoint now, core::Outbox& out);
  void Gain(core::TimePoint now, const core::IpAddr& vip, const Owned& owned, core::Outbox& out);
  void Lose(core::TimePoint now, const core::IpAddr& vip, const std::string& reason,
            core::Outbox& out);
  std::string LossReason(const core::IpAddr& vip, const std::string& service) const;
  // Whether one of `nodes` is an eligible live candidate for `service`.
  bool CouldHaveAnnounced(const std::string& service, const std::set<std::string>& nodes) const;
  void UpdateWatched();
  void ReportOwned(core::Outbox& out);

  L2SpeakerOptions options_;
  membership::Membership membership_;
  election::Election election_;
  l2::Responder responder_;

  std::shared_ptr<const config::ClusterConfig> config_;
  std::shared_ptr<const config::ServiceSet> services_;
  std::shared_ptr<const config::NodeSet> nodes_;
  std::map<std::string, const config::Service*> service_index_;  // into *services_
  const config::Node* self_node_ = nullptr;                      // into *nodes_

  std::set<core::NodeName> live_;
  std::map<std::string, Want> wanted_;   // services this node wins
  std::map<core::IpAddr, Owned> owned_;  // what the responder was told
  uint64_t refutations_seen_ = 0;
  bool started_ = false;
  bool settled_ = false;
  bool shut_down_ = false;
  core::TimePoint grace_end_ = core::TimePoint::Never();
  core::TimePoint last_growth_ = core::TimePoint::Never();  // view last grew (holding back)
  double reported_owned_ = -1;
};

}  // namespace vipcast::speaker
