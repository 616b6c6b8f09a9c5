// Everything one node runs to announce VIPs: the layer 2 speaker
// (membership, election, ARP/NDP) and the BGP speaker (sessions, policy,
// BFD), as one engine. This is what sim/ns3 and prod run per node.
//
// Dispatch (each input goes where it means something; nothing is decided
// here):
//  - FrameReceived -> L2; InterfacesChanged -> both (BGP needs the node's
//    addresses for next hops, router ID and BFD).
//  - DatagramReceived by local port: the membership port -> L2; the BFD
//    control ports 3784/4784 (RFC 5881 4, RFC 5883 5) -> BGP; others are
//    not ours and are dropped.
//  - Stream events -> BGP (only BGP uses streams).
//  - ConfigApplied, ServicesChanged, NodesChanged, ShutdownRequested -> both.
//  - Advance runs each part whose deadline is due; NextDeadline is the
//    earlier of the two.
//
// Invariant: the two parts share nothing but the Rng and the outbox, and are
// always called in the same order (L2 first), so a run is a pure function of
// the inputs and the seed.
#pragma once

#include "engine/core/io.h"
#include "engine/core/rng.h"
#include "engine/speaker/bgp_speaker.h"
#include "engine/speaker/l2_speaker.h"

namespace vipcast::speaker {

struct NodeSpeakerOptions {
  L2SpeakerOptions l2;
  BgpSpeakerOptions bgp;  // bgp.node should equal l2.membership.self
};

class NodeSpeaker final : public core::Engine {
 public:
  // Precondition: as L2Speaker's. `rng` must outlive the speaker.
  NodeSpeaker(NodeSpeakerOptions options, core::Rng& rng);

  void Handle(core::TimePoint now, const core::Input& input, core::Outbox& out) override;
  void Advance(core::TimePoint now, core::Outbox& out) override;
  core::TimePoint NextDeadline() const override;

  L2Speaker& l2() { return l2_; }
  const L2Speaker& l2() const { return l2_; }
  BgpSpeaker& bgp() { return bgp_; }
  const BgpSpeaker& bgp() const { return bgp_; }

 private:
  uint16_t membership_port_;
  L2Speaker l2_;
  BgpSpeaker bgp_;
};

}  // namespace vipcast::speaker
