// FrameFilter: the receive-side error model of every CSMA device in the
// sim topologies. It drops a received frame when
//  - a random draw falls under the loss rate (SetLoss, link_loss: like
//    ns3::RateErrorModel in packet units; one per device, so loss on a host
//    link in both directions = the host's device and the switch port's), or
//  - the link is cut (a per-link link_down), or
//  - a delay fault holds it back (it is handed to the device again later), or
//  - it is an unsolicited Neighbor Advertisement and the host ignores
//    those (SetDropUnsolicitedNa), or
//  - its source MAC is blocked (Partition: every host of one group blocks
//    the MACs of the hosts of the other groups, so frames between groups are
//    dropped both ways while the switch still forwards and learns).
// One model does both because a CsmaNetDevice holds one receive error model.
// The model sees the frame with its Ethernet header (CsmaNetDevice::Receive
// applies it before stripping the header).
#pragma once

#include <cstdint>
#include <set>

#include "ns3/csma-net-device.h"
#include "ns3/error-model.h"
#include "ns3/mac48-address.h"
#include "ns3/nstime.h"
#include "ns3/random-variable-stream.h"

namespace vipcast::sim {

class FrameFilter : public ns3::ErrorModel {
 public:
  static ns3::TypeId GetTypeId();
  FrameFilter();

  void SetLossRate(double rate) { loss_rate_ = rate; }
  double loss_rate() const { return loss_rate_; }
  void SetBlockedSources(std::set<ns3::Mac48Address> sources) { blocked_ = std::move(sources); }
  // A cut link (link_down with a peer): every frame dropped, no draw.
  void SetCut(bool cut) { cut_ = cut; }
  // A delay fault: every frame that passes is held back `delay` and then
  // handed to `device` (the one this filter sits on) again, instead of
  // reaching the host now. The channel's own Delay attribute cannot serve:
  // ns-3's CSMA channel stays busy for it after every frame, so 15 ms would
  // cap the link at ~66 frames/s. Zero turns it off (held frames still
  // arrive).
  void SetDelay(ns3::Time delay, ns3::Ptr<ns3::CsmaNetDevice> device);
  // An `ignore-garp` client (client_ndp.h): drop unsolicited Neighbor
  // Advertisements (ICMPv6 type 136 with the Solicited flag clear, RFC 4861
  // 4.4), so that only NUD changes the client's neighbour entries.
  void SetDropUnsolicitedNa(bool drop) { drop_unsolicited_na_ = drop; }
  // Fixed random stream, so runs do not depend on ns-3's global stream
  // counter (which survives Simulator::Destroy). Returns streams used (1).
  int64_t AssignStreams(int64_t stream);

 private:
  bool DoCorrupt(ns3::Ptr<ns3::Packet> packet) override;
  void DoReset() override {}

  double loss_rate_ = 0;
  bool cut_ = false;
  bool drop_unsolicited_na_ = false;
  ns3::Time delay_;
  ns3::CsmaNetDevice* device_ = nullptr;  // owns this filter
  std::multiset<uint64_t> held_;          // uids of frames handed back, to pass once
  std::set<ns3::Mac48Address> blocked_;
  ns3::Ptr<ns3::UniformRandomVariable> uniform_;
};

}  // namespace vipcast::sim
