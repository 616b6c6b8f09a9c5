#include "sim/ns3/udp_ports.h"

#include <utility>

#include "ns3/inet-socket-address.h"
#include "ns3/udp-socket-factory.h"
#include "sim/ns3/conversions.h"

namespace vipcast::sim {

void UdpPorts::Attach(ns3::Ptr<ns3::Node> node, ns3::Ipv4Address address, std::string interface,
                      Deliver deliver) {
  node_ = node;
  address_ = address;
  interface_ = std::move(interface);
  deliver_ = std::move(deliver);
}

void UdpPorts::Close() {
  for (auto& [port, socket] : sockets_) {
    socket->SetRecvCallback(ns3::MakeNullCallback<void, ns3::Ptr<ns3::Socket>>());
    socket->Close();
  }
  sockets_.clear();
  node_ = nullptr;
}

ns3::Ptr<ns3::Socket> UdpPorts::SocketFor(uint16_t port) {
  auto it = sockets_.find(port);
  if (it != sockets_.end()) return it->second;
  if (!node_) return nullptr;
  ns3::Ptr<ns3::Socket> socket =
      ns3::Socket::CreateSocket(node_, ns3::UdpSocketFactory::GetTypeId());
  socket->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), port));
  socket->SetIpRecvTtl(true);
  socket->SetRecvCallback(ns3::MakeCallback(&UdpPorts::OnDatagram, this));
  sockets_.emplace(port, socket);
  return socket;
}

void UdpPorts::Send(const core::SendDatagram& send) {
  if (!send.remote.address.is_v4()) return;  // IPv6 datagrams are not carried yet
  ns3::Ptr<ns3::Socket> socket = SocketFor(send.local.port);
  if (!socket) return;
  ns3::Ptr<ns3::Packet> packet = MakePacket(send.payload.data(), send.payload.size());
  // Ipv4L3Protocol::Send takes the TTL from this tag when present.
  ns3::SocketIpTtlTag ttl;
  ttl.SetTtl(send.ttl);
  packet->AddPacketTag(ttl);
  socket->SendTo(packet, 0,
                 ns3::InetSocketAddress(ToNs3(send.remote.address.v4()), send.remote.port));
}

void UdpPorts::OnDatagram(ns3::Ptr<ns3::Socket> socket) {
  ns3::Address local;
  socket->GetSockName(local);
  const uint16_t port = ns3::InetSocketAddress::ConvertFrom(local).GetPort();
  ns3::Address from;
  while (ns3::Ptr<ns3::Packet> packet = socket->RecvFrom(from)) {
    if (!ns3::InetSocketAddress::IsMatchingType(from)) continue;
    const ns3::InetSocketAddress remote = ns3::InetSocketAddress::ConvertFrom(from);
    core::DatagramReceived in;
    in.local = {core::IpAddr(FromNs3(address_)), port};
    in.remote = {core::IpAddr(FromNs3(remote.GetIpv4())), remote.GetPort()};
    ns3::SocketIpTtlTag ttl;
    if (packet->RemovePacketTag(ttl)) in.ttl = ttl.GetTtl();
    in.payload = PacketBytes(packet);
    in.interface = interface_;
    if (deliver_) deliver_(in);
  }
}

}  // namespace vipcast::sim
