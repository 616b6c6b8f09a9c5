// UdpPorts: the engines' UDP datagrams (membership, BFD) on ns-3 UDP
// sockets, one socket per local port, opened on first use and kept until
// Close() (a crashed engine's ports stay bound, as a host's sockets would
// be reopened by the next process; datagrams arriving with no engine are
// dropped by the owner's deliver callback). Carries the IPv4 TTL both ways
// (SocketIpTtlTag), which BFD checks (RFC 5881 5). IPv4 only.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include "engine/core/io.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/socket.h"

namespace vipcast::sim {

class UdpPorts {
 public:
  using Deliver = std::function<void(const core::DatagramReceived&)>;

  UdpPorts() = default;
  UdpPorts(const UdpPorts&) = delete;
  UdpPorts& operator=(const UdpPorts&) = delete;
  ~UdpPorts() { Close(); }

  // `address` and `interface` fill DatagramReceived's local side.
  void Attach(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address address, std::string interface,
              Deliver deliver);
  // Opens the local port's socket if needed (so the port receives from now on).
  void Open(uint16_t port) { SocketFor(port); }
  void Send(const core::SendDatagram& send);
  void Close();

 private:
  ns3::Ptr<ns3::Socket> SocketFor(uint16_t port);
  void OnDatagram(ns3::Ptr<ns3::Socket> socket);

  ns3::Ptr<ns3::Node> node_;
  ns3::Ipv4Address address_;
  std::string interface_;
  Deliver deliver_;
  std::map<uint16_t, ns3::Ptr<ns3::Socket>> sockets_;
};

}  // namespace vipcast::sim
