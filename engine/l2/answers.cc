#include "engine/l2/answers.h"

#include "engine/wire/l2/multicast.h"

namespace vipcast::l2 {

namespace {

wire::L2Frame NaFrame(const wire::EthernetHeader& ethernet, const core::Ipv6Addr& src,
                      const core::Ipv6Addr& dst, bool solicited, const core::Ipv6Addr& vip,
                      const core::MacAddr& our_mac) {
  wire::NdpPacket packet;
  packet.ip.src = src;
  packet.ip.dst = dst;
  packet.ip.hop_limit = wire::kNdpHopLimit;  // RFC 4861 7.1.2: receivers demand 255
  wire::NeighborAdvertisement na;
  na.router_flag = false;
  na.solicited_flag = solicited;
  na.override_flag = true;
  na.target = vip;
  na.target_lla = our_mac;
  packet.message = na;
  return wire::L2Frame{ethernet, packet};
}

}  // namespace

wire::L2Frame ArpReply(const wire::EthernetHeader& request_ethernet, const wire::ArpPacket& request,
                       const core::MacAddr& our_mac) {
  wire::EthernetHeader eth;
  eth.dst = request.sender_mac;
  eth.src = our_mac;
  eth.vlan_tci = request_ethernet.vlan_tci;
  eth.ether_type = wire::kEtherTypeArp;
  wire::ArpPacket reply;
  reply.operation = wire::ArpOperation::kReply;
  reply.sender_mac = our_mac;
  reply.sender_ip = request.target_ip;
  reply.target_mac = request.sender_mac;
  reply.target_ip = request.sender_ip;
  return wire::L2Frame{eth, reply};
}

std::array<wire::L2Frame, 2> GratuitousArp(const core::Ipv4Addr& vip,
                                           const core::MacAddr& our_mac) {
  wire::EthernetHeader eth;
  eth.dst = core::MacAddr::Broadcast();
  eth.src = our_mac;
  eth.ether_type = wire::kEtherTypeArp;
  wire::ArpPacket request;
  request.operation = wire::ArpOperation::kRequest;
  request.sender_mac = our_mac;
  request.sender_ip = vip;
  request.target_mac = core::MacAddr();  // RFC 5227 3: SHOULD be zero
  request.target_ip = vip;
  wire::ArpPacket reply = request;
  reply.operation = wire::ArpOperation::kReply;
  reply.target_mac = core::MacAddr::Broadcast();
  return {wire::L2Frame{eth, request}, wire::L2Frame{eth, reply}};
}

wire::L2Frame SolicitedNa(const wire::EthernetHeader& request_ethernet,
                          const core::Ipv6Addr& solicitation_source,
                          const core::MacAddr& solicitor_mac, const core::Ipv6Addr& vip,
                          const core::MacAddr& our_mac) {
  wire::EthernetHeader eth;
  eth.src = our_mac;
  eth.vlan_tci = request_ethernet.vlan_tci;
  eth.ether_type = wire::kEtherTypeIpv6;
  if (solicitation_source == core::Ipv6Addr()) {
    // RFC 4861 7.2.4: "If the source of the solicitation is the unspecified
    // address, the node MUST set the Solicited flag to zero and multicast
    // the advertisement to the all-nodes address."
    eth.dst = wire::MulticastMac(wire::kAllNodes);
    return NaFrame(eth, vip, wire::kAllNodes, /*solicited=*/false, vip, our_mac);
  }
  eth.dst = solicitor_mac;
  return NaFrame(eth, vip, solicitation_source, /*solicited=*/true, vip, our_mac);
}

wire::L2Frame UnsolicitedNa(const core::Ipv6Addr& vip, const core::MacAddr& our_mac) {
  wire::EthernetHeader eth;
  eth.dst = wire::MulticastMac(wire::kAllNodes);
  eth.src = our_mac;
  eth.ether_type = wire::kEtherTypeIpv6;
  return NaFrame(eth, vip, wire::kAllNodes, /*solicited=*/false, vip, our_mac);
}

}  // namespace vipcast::l2
